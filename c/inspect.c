/* inspect.c - read-only looks inside Ming's kitchen for the chapter views:
 * the roundtable's weights, the back kitchen's units, the final vote and the
 * diner's penalty, and one name's gradient. They use the session's scratch
 * activations, which training recomputes, so they never disturb a run. */
#include <math.h>
#include <string.h>
#include "session_internal.h"

mg_inspect_layout mg_inspect_layout_of(const mg_session *s, int n_chars) {
    const mg_model *m = &s->model;
    size_t n = (size_t)n_chars + 1, L = (size_t)m->config.n_layer, H = (size_t)m->config.n_head;
    size_t F = 4 * (size_t)m->config.n_embd, V = (size_t)m->vocab_size;
    mg_inspect_layout o;
    o.tokens = 0;
    o.next = o.tokens + n;
    o.att = o.next + n;
    o.mlp_pre = o.att + L * H * n * n;
    o.mlp_post = o.mlp_pre + L * n * F;
    o.stream = o.mlp_post + L * n * F;
    o.probs = o.stream + L * n * 3;
    o.penalty = o.probs + n * V;
    o.size = o.penalty + n;
    return o;
}

size_t mg_inspect_size(const mg_session *s, int n_chars) { return mg_inspect_layout_of(s, n_chars).size; }

static double norm2(const double *x, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += x[i] * x[i];
    return sqrt(s);
}

/* Encodes [BOS, text..., BOS] and runs the forward over the n_chars + 1 inputs. */
static mg_status run_text(mg_session *s, const char *text, size_t len, int32_t *tokens, int *n) {
    int n_tokens = 0;
    mg_status rc = mg_session_encode_name(s, text, len, tokens, &n_tokens);
    if (rc) return rc;
    *n = n_tokens - 1;
    mg_forward_loss(&s->acts, &s->model, tokens, *n);
    return MG_OK;
}

/* Empty prefixes are allowed here (the vote after the bell alone). */
static mg_status run_prefix(mg_session *s, const char *text, size_t len, int *n) {
    const mg_dataset *ds = &s->data;
    const mg_model *m = &s->model;
    int32_t tokens[MG_MAX_BLOCK + 2];
    int k = 0;
    mg_status rc = mg_dataset_encode(ds, text, len, tokens + 1, m->config.block_size - 1, &k,
                                     &s->err);
    if (rc) return rc;
    tokens[0] = ds->bos;
    for (int p = 0; p <= k; p++) mg_forward_position(&s->acts, m, tokens[p], p);
    *n = k + 1;
    return MG_OK;
}

mg_status mg_inspect(mg_session *s, const char *text, size_t len, double *out, size_t cap,
                     int *n_positions) {
    int32_t tokens[MG_MAX_BLOCK + 2];
    int n = 0;
    mg_status rc = run_text(s, text, len, tokens, &n);
    if (rc) return rc;
    if (cap < mg_inspect_size(s, n - 1))
        return mg_fail(&s->err, MG_ERR_ARG, "the inspect buffer needs %zu values",
                       mg_inspect_size(s, n - 1));
    const mg_acts *a = &s->acts;
    const int L = a->L, H = a->H, T = a->T, E = a->E, F = a->F, V = a->V;
    const mg_inspect_layout at = mg_inspect_layout_of(s, n - 1);
    double *o = out + at.tokens;
    for (int p = 0; p < n; p++) *o++ = tokens[p];
    o = out + at.next;
    for (int p = 0; p < n; p++) *o++ = tokens[p + 1];
    o = out + at.att;
    for (int l = 0; l < L; l++)
        for (int h = 0; h < H; h++)
            for (int p = 0; p < n; p++)
                for (int t = 0; t < n; t++)
                    *o++ = t <= p ? a->att[(((size_t)l * H + h) * T + p) * T + t] : 0.0;
    o = out + at.mlp_pre;
    for (int l = 0; l < L; l++)
        for (int p = 0; p < n; p++, o += F) memcpy(o, a->h_pre + ((size_t)l * T + p) * F, sizeof(double) * F);
    o = out + at.mlp_post;
    for (int l = 0; l < L; l++)
        for (int p = 0; p < n; p++, o += F) memcpy(o, a->h + ((size_t)l * T + p) * F, sizeof(double) * F);
    o = out + at.stream;
    for (int l = 0; l < L; l++)
        for (int p = 0; p < n; p++) {
            size_t i = ((size_t)l * T + p) * E;
            const double *next = l + 1 < L ? a->x_in + i + (size_t)T * E : a->x_out + (size_t)p * E;
            *o++ = norm2(a->x_in + i, E);
            *o++ = norm2(a->x_mid + i, E);
            *o++ = norm2(next, E);
        }
    memcpy(out + at.probs, a->probs, sizeof(double) * (size_t)n * V);
    o = out + at.penalty;
    for (int p = 0; p < n; p++) *o++ = -log(a->probs[(size_t)p * V + tokens[p + 1]]);
    *n_positions = n;
    return MG_OK;
}

mg_status mg_next_probs(mg_session *s, const char *prefix, size_t len, double temperature,
                        double *probs) {
    mg_status rc = mg_check_temperature(temperature, &s->err);
    if (rc) return rc;
    int n = 0;
    if ((rc = run_prefix(s, prefix, len, &n))) return rc;
    const mg_acts *a = &s->acts;
    mg_probs_at_temperature(probs, a->logits + (size_t)(n - 1) * a->V, a->V, temperature);
    return MG_OK;
}

mg_status mg_name_grad(mg_session *s, const char *name, size_t len, double *grads, double *loss) {
    int32_t tokens[MG_MAX_BLOCK + 2];
    int n = 0;
    mg_status rc = mg_session_encode_name(s, name, len, tokens, &n);
    if (rc) return rc;
    n -= 1;
    *loss = mg_forward_loss(&s->acts, &s->model, tokens, n);
    mg_backward(&s->acts, &s->model, tokens, n, grads);
    return MG_OK;
}

void mg_step_stats(mg_session *s, double *out) {
    const mg_model *m = &s->model;
    const double *g = s->grads, *u = s->adam.update;
    for (int t = 0; t < m->num_tensors; t++) {
        const mg_tensor *tt = &m->tensors[t];
        size_t size = (size_t)tt->rows * (size_t)tt->cols;
        double gs = 0.0, us = 0.0;
        for (size_t i = tt->offset; i < tt->offset + size; i++) {
            gs += g[i] * g[i];
            us += u[i] * u[i];
        }
        out[2 * t] = sqrt(gs);
        out[2 * t + 1] = sqrt(us / (double)size);
    }
}
