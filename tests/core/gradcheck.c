/* gradcheck.c - the hand-written backward pass against finite differences.
 * Usage: gradcheck DATA N_EMBD N_HEAD N_LAYER BLOCK TRAIN_STEPS PERTURB
 * Trains TRAIN_STEPS steps (0: at initialisation), optionally perturbs every
 * dial randomly (PERTURB > 0: gauss(0, PERTURB) added), then for several
 * random documents compares d loss / d dial with a 4-point central
 * difference (h = 1e-4) on dials spread over every tensor; dials where a
 * ReLU switches within the stencil are skipped and counted. Prints JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "microgpt.h"

static double loss_of(mg_session *s, const int32_t *tokens, int n) {
    return mg_forward_loss(mg_session_acts(s), mg_session_model_mut(s), tokens, n);
}

/* 4-point central difference of the loss in dial i */
static double central(mg_session *s, const int32_t *tokens, int n, size_t i, double h) {
    mg_model *m = mg_session_model_mut(s);
    double p = m->params[i], f[4];
    const double off[4] = {2 * h, h, -h, -2 * h};
    for (int j = 0; j < 4; j++) {
        m->params[i] = p + off[j];
        m->params_t_stale = 1; /* the forward reads transposed copies of the matrices */
        f[j] = loss_of(s, tokens, n);
    }
    m->params[i] = p;
    m->params_t_stale = 1;
    return (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
}

int main(int argc, char **argv) {
    if (argc != 8) { fprintf(stderr, "usage: gradcheck DATA E H L T STEPS PERTURB\n"); return 2; }
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) { perror(argv[1]); return 2; }
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text, fp);
    fclose(fp);
    mg_config c = {atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5])};
    int steps = atoi(argv[6]);
    double perturb = atof(argv[7]);
    mg_session *s;
    mg_error err;
    if (mg_session_create(&s, &c, text, len, 7, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    if (steps > 0 && mg_train(s, steps, steps + 100, NULL)) { fprintf(stderr, "%s\n", mg_session_error(s)->msg); return 1; }
    mg_model *m = mg_session_model_mut(s);
    const mg_dataset *ds = mg_session_dataset(s);
    mg_rng rng;
    mg_rng_seed(&rng, 12345);
    if (perturb > 0) {
        for (size_t i = 0; i < m->num_params; i++) m->params[i] += mg_rng_gauss(&rng, 0.0, perturb);
        m->params_t_stale = 1;
    }
    double *grads = calloc(m->num_params, sizeof(double));
    int32_t *tokens = calloc((size_t)c.block_size + 2, sizeof(int32_t));
    const double h = 1e-4;
    double worst = 0.0, worst_a = 0, worst_n = 0;
    size_t worst_i = 0;
    int checked = 0, kinks = 0;
    for (int doc = 0; doc < 4; doc++) {
        int d = (int)mg_rng_randbelow(&rng, (uint32_t)ds->num_docs);
        int dl = ds->doc_len[d];
        int n = dl + 1 < c.block_size ? dl + 1 : c.block_size;
        tokens[0] = ds->bos;
        for (int i = 1; i <= n; i++) tokens[i] = i <= dl ? ds->tokens[ds->doc_start[d] + i - 1] : ds->bos;
        memset(grads, 0, sizeof(double) * m->num_params);
        loss_of(s, tokens, n);
        mg_backward(mg_session_acts(s), m, tokens, n, grads);
        /* every tensor, a handful of dials each, plus the rows this document uses */
        for (int t = 0; t < m->num_tensors; t++) {
            const mg_tensor *tt = &m->tensors[t];
            size_t size = (size_t)tt->rows * (size_t)tt->cols;
            for (int k = 0; k < 8; k++) {
                size_t i = tt->offset + mg_rng_randbelow(&rng, (uint32_t)size);
                if (t == MG_WTE) i = tt->offset + (size_t)tokens[1 + k % n] * tt->cols + (size_t)k % tt->cols;
                if (t == MG_WPE) i = tt->offset + (size_t)(k % n) * tt->cols + (size_t)(k * 3) % tt->cols;
                double num = central(s, tokens, n, i, h), finer = central(s, tokens, n, i, h / 10);
                /* a ReLU unit switching within 2h makes the two disagree: not smooth there, skip */
                if (fabs(num - finer) > 1e-6 * (fabs(num) + fabs(finer)) + 1e-9) { kinks++; continue; }
                double a = grads[i];
                /* relative error, absolute below 1e-9 (rounding of the loss itself) */
                double rel = fabs(a - num) / fmax(1e-3, fabs(a) + fabs(num));
                if (rel > worst) { worst = rel; worst_i = i; worst_a = a; worst_n = num; }
                checked++;
            }
        }
    }
    char name[64];
    mg_model_dial_name(m, worst_i, name, sizeof name);
    printf("{\"checked\": %d, \"kinks\": %d, \"max_rel_error\": %.3e, \"worst\": \"%s\", \"analytic\": %.10g, \"numeric\": %.10g}\n",
           checked, kinks, worst, name, worst_a, worst_n);
    free(grads);
    free(tokens);
    mg_session_free(s);
    return 0;
}
