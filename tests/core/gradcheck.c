/* gradcheck.c - the hand-written backward pass against finite differences.
 *
 * Usage: gradcheck DATA N_EMBD N_HEAD N_LAYER BLOCK TRAIN_STEPS PERTURB
 *
 * Creates a session on DATA (seed 7) with the given sizes, trains
 * TRAIN_STEPS steps (0: at initialisation), then, if PERTURB > 0, adds
 * gauss(0, PERTURB) to every dial ("random parameters"). For 4 random
 * documents it computes d loss / d dial with mg_forward_loss + mg_backward
 * into a zeroed buffer and compares it with the 4-point central difference
 *     (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / (12 h),  h = 1e-4
 * on 8 dials of every tensor per document (for wte, mostly rows of the
 * document's own tokens, whose gradient is not trivially 0).
 *
 * Error measure: |a - n| / max(FLOOR, |a| + |n|) with FLOOR = 1e-4. The floor
 * is there because the difference quotient itself carries rounding noise: the
 * loss (about 3) is known to a few ulp (~1e-15), and the stencil multiplies
 * that by 18 / (12 h) = 1.5e4, so |n| is uncertain by ~1e-11 absolute. With a
 * floor of 1e-6 a gradient that is exactly 0 against a numeric -7e-13 would
 * already score 7e-7; with 1e-4 the noise scores < 1e-7, so the test's bound
 * of 1e-6 is still 1e-10 absolute for small gradients and one part in a
 * million for the others.
 *
 * A dial whose stencil crosses a ReLU kink is not differentiable there; such
 * dials are found by comparing the estimates at h and h/10, skipped and
 * counted ("kinks"). Prints one line of JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "session_internal.h" /* white-box: the model and its activations */

#define FLOOR 1e-4
#define DOCS 4
#define PER_TENSOR 8

static double loss_of(mg_session *s, const int32_t *tokens, int n) {
    return mg_forward_loss(&s->acts, &s->model, tokens, n);
}

/* 4-point central difference of the loss in dial i */
static double central(mg_session *s, const int32_t *tokens, int n, size_t i, double h) {
    mg_model *m = &s->model;
    double p = m->params[i], f[4];
    const double off[4] = {2 * h, h, -h, -2 * h};
    for (int j = 0; j < 4; j++) {
        mg_model_set_param(m, i, p + off[j]);
        f[j] = loss_of(s, tokens, n);
    }
    mg_model_set_param(m, i, p);
    return (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
}

static char *read_all(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) { perror(path); return NULL; }
    size_t cap = MG_MAX_DATA_BYTES + 1;
    char *text = malloc(cap);
    *len = text ? fread(text, 1, cap, fp) : 0;
    int bad = !text || ferror(fp) || *len == cap;
    fclose(fp);
    if (bad) { fprintf(stderr, "gradcheck: cannot read %s (or it is over 16 MiB)\n", path); free(text); return NULL; }
    return text;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: gradcheck DATA N_EMBD N_HEAD N_LAYER BLOCK TRAIN_STEPS PERTURB\n");
        return 2;
    }
    size_t len;
    char *text = read_all(argv[1], &len);
    if (!text) return 2;
    mg_config c = {atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5])};
    int steps = atoi(argv[6]);
    double perturb = atof(argv[7]);
    mg_session *s;
    mg_error err;
    if (mg_session_create(&s, &c, text, len, 7, &err)) { fprintf(stderr, "gradcheck: %s\n", err.msg); return 1; }
    free(text);
    if (steps > 0 && mg_train(s, steps, steps + 100, NULL)) {
        fprintf(stderr, "gradcheck: %s\n", mg_session_error(s)->msg);
        return 1;
    }
    mg_model *m = &s->model;
    const mg_dataset *ds = &s->data;
    mg_rng rng;
    mg_rng_seed(&rng, 12345);
    if (perturb > 0) {
        for (size_t i = 0; i < m->num_params; i++)
            mg_model_set_param(m, i, m->params[i] + mg_rng_gauss(&rng, 0.0, perturb));
    }
    double *grads = calloc(m->num_params, sizeof(double));
    int32_t *tokens = calloc((size_t)c.block_size + 2, sizeof(int32_t));
    int *covered = calloc((size_t)m->num_tensors, sizeof(int));
    if (!grads || !tokens || !covered) { fprintf(stderr, "gradcheck: out of memory\n"); return 1; }
    const double h = 1e-4;
    double worst = 0.0, worst_a = 0, worst_n = 0, max_abs = 0.0, max_grad = 0.0, loss_sum = 0.0;
    size_t worst_i = 0;
    int checked = 0, kinks = 0;
    for (int doc = 0; doc < DOCS; doc++) {
        int d = (int)mg_rng_randbelow(&rng, (uint32_t)ds->num_docs);
        int dl = ds->doc_len[d];
        int n = dl + 1 < c.block_size ? dl + 1 : c.block_size;
        tokens[0] = ds->bos;
        for (int i = 1; i <= n; i++) tokens[i] = i <= dl ? ds->tokens[ds->doc_start[d] + i - 1] : ds->bos;
        memset(grads, 0, sizeof(double) * m->num_params);
        loss_sum += loss_of(s, tokens, n);
        mg_backward(&s->acts, m, tokens, n, grads);
        for (int t = 0; t < m->num_tensors; t++) {
            const mg_tensor *tt = &m->tensors[t];
            size_t size = (size_t)tt->rows * (size_t)tt->cols;
            for (int k = 0; k < PER_TENSOR; k++) {
                size_t i = tt->offset + mg_rng_randbelow(&rng, (uint32_t)size);
                if (t == MG_WTE && k < PER_TENSOR - 2) /* rows this document reads */
                    i = tt->offset + (size_t)tokens[k % n] * tt->cols + mg_rng_randbelow(&rng, (uint32_t)tt->cols);
                if (t == MG_WPE && k < PER_TENSOR - 2) /* positions this document reaches */
                    i = tt->offset + (size_t)(k % n) * tt->cols + mg_rng_randbelow(&rng, (uint32_t)tt->cols);
                double num = central(s, tokens, n, i, h), finer = central(s, tokens, n, i, h / 10);
                if (fabs(num - finer) > 1e-6 * (fabs(num) + fabs(finer)) + 1e-9) { kinks++; continue; }
                double a = grads[i];
                double rel = fabs(a - num) / fmax(FLOOR, fabs(a) + fabs(num));
                if (rel > worst) { worst = rel; worst_i = i; worst_a = a; worst_n = num; }
                if (fabs(a - num) > max_abs) max_abs = fabs(a - num);
                if (fabs(a) > max_grad) max_grad = fabs(a);
                covered[t]++;
                checked++;
            }
        }
    }
    int tensors_covered = 0;
    for (int t = 0; t < m->num_tensors; t++) tensors_covered += covered[t] > 0;
    char name[64];
    mg_model_dial_name(m, worst_i, name, sizeof name);
    printf("{\"num_params\": %zu, \"num_tensors\": %d, \"tensors_covered\": %d, \"checked\": %d, "
           "\"kinks\": %d, \"mean_loss\": %.6f, \"max_grad\": %.3e, \"max_abs_error\": %.3e, "
           "\"max_rel_error\": %.3e, \"worst\": \"%s\", \"analytic\": %.10g, \"numeric\": %.10g}\n",
           m->num_params, m->num_tensors, tensors_covered, checked, kinks, loss_sum / DOCS, max_grad, max_abs,
           worst, name, worst_a, worst_n);
    free(grads);
    free(tokens);
    free(covered);
    mg_session_free(s);
    return 0;
}
