/* model.c - Ming's model: the parameter table, one position forward with a
 * KV cache, the loss, and the hand-written backward pass (SPEC.md section 3).
 *
 * Parity rule: every forward sum runs left to right from 0.0, exactly as the
 * reference does, so forward values match it to the last bit. Independent
 * sums (different output rows) may run side by side. Backward sums may run
 * in any order; the reference differs there by rounding only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "microgpt.h"

static const char *layer_tensor_names[MG_TENSORS_PER_LAYER] = {
    "attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"};

mg_status mg_config_check(const mg_config *c, int vocab_size, mg_error *err) {
    if (c->n_embd < 1 || c->n_embd > MG_MAX_EMBD)
        return mg_fail(err, MG_ERR_CONFIG, "n_embd must be 1..%d (got %d)", MG_MAX_EMBD, c->n_embd);
    if (c->n_head < 1 || c->n_head > c->n_embd)
        return mg_fail(err, MG_ERR_CONFIG, "n_head must be 1..n_embd (got %d)", c->n_head);
    if (c->n_embd % c->n_head != 0)
        return mg_fail(err, MG_ERR_CONFIG, "n_embd (%d) must be divisible by n_head (%d)",
                       c->n_embd, c->n_head);
    if (c->n_layer < 1 || c->n_layer > MG_MAX_LAYER)
        return mg_fail(err, MG_ERR_CONFIG, "n_layer must be 1..%d (got %d)", MG_MAX_LAYER, c->n_layer);
    if (c->block_size < 1 || c->block_size > MG_MAX_BLOCK)
        return mg_fail(err, MG_ERR_CONFIG, "block_size must be 1..%d (got %d)", MG_MAX_BLOCK,
                       c->block_size);
    if (vocab_size < 2 || vocab_size > MG_MAX_VOCAB)
        return mg_fail(err, MG_ERR_CONFIG, "vocab size must be 2..%d (got %d)", MG_MAX_VOCAB, vocab_size);
    size_t E = (size_t)c->n_embd;
    size_t n = 2 * (size_t)vocab_size * E + (size_t)c->block_size * E + (size_t)c->n_layer * 12 * E * E;
    if (n > MG_MAX_PARAMS)
        return mg_fail(err, MG_ERR_CONFIG, "the model would have %zu parameters; the limit is %d",
                       n, MG_MAX_PARAMS);
    return MG_OK;
}

mg_status mg_model_init(mg_model *m, const mg_config *c, int vocab_size, mg_error *err) {
    memset(m, 0, sizeof *m);
    mg_status rc = mg_config_check(c, vocab_size, err);
    if (rc) return rc;
    m->config = *c;
    m->vocab_size = vocab_size;
    m->num_tensors = MG_NUM_GLOBAL_TENSORS + MG_TENSORS_PER_LAYER * c->n_layer;
    m->tensors = calloc((size_t)m->num_tensors, sizeof(mg_tensor));
    if (!m->tensors) return mg_fail(err, MG_ERR_NOMEM, "out of memory for the parameter table");
    int E = c->n_embd;
    int shapes[MG_TENSORS_PER_LAYER][2] = {{E, E}, {E, E}, {E, E}, {E, E}, {4 * E, E}, {E, 4 * E}};
    size_t off = 0;
    for (int t = 0; t < m->num_tensors; t++) {
        mg_tensor *tt = &m->tensors[t];
        if (t < MG_NUM_GLOBAL_TENSORS) {
            static const char *names[] = {"wte", "wpe", "lm_head"};
            snprintf(tt->name, sizeof tt->name, "%s", names[t]);
            tt->rows = t == MG_WPE ? c->block_size : vocab_size;
            tt->cols = E;
        } else {
            int layer = (t - MG_NUM_GLOBAL_TENSORS) / MG_TENSORS_PER_LAYER;
            int kind = (t - MG_NUM_GLOBAL_TENSORS) % MG_TENSORS_PER_LAYER;
            snprintf(tt->name, sizeof tt->name, "layer%d.%s", layer, layer_tensor_names[kind]);
            tt->rows = shapes[kind][0];
            tt->cols = shapes[kind][1];
        }
        tt->offset = off;
        off += (size_t)tt->rows * (size_t)tt->cols;
    }
    m->num_params = off;
    m->params = calloc(off, sizeof(double));
    m->params_t = calloc(off, sizeof(double));
    m->params_t_stale = 1;
    if (!m->params || !m->params_t) {
        mg_model_free(m);
        return mg_fail(err, MG_ERR_NOMEM, "out of memory for %zu parameters", off);
    }
    return MG_OK;
}

void mg_model_free(mg_model *m) {
    free(m->tensors);
    free(m->params);
    free(m->params_t);
    memset(m, 0, sizeof *m);
}

void mg_model_randomize(mg_model *m, mg_rng *rng) {
    for (size_t i = 0; i < m->num_params; i++) m->params[i] = mg_rng_gauss(rng, 0.0, 0.08);
    m->params_t_stale = 1;
}

/* Refreshes the transposed matrices the forward pass reads (not wte, wpe:
 * those are looked up by row). */
static void sync_transposed(mg_model *m) {
    if (!m->params_t_stale) return;
    for (int t = MG_LM_HEAD; t < m->num_tensors; t++) {
        const mg_tensor *tt = &m->tensors[t];
        const int R = tt->rows, C = tt->cols;
        const double *src = m->params + tt->offset;
        double *dst = m->params_t + tt->offset;
        /* 8 x 8 tiles keep the strided writes within a few cache lines */
        for (int r0 = 0; r0 < R; r0 += 8)
            for (int c0 = 0; c0 < C; c0 += 8) {
                int r1 = r0 + 8 < R ? r0 + 8 : R, c1 = c0 + 8 < C ? c0 + 8 : C;
                for (int c = c0; c < c1; c++)
                    for (int r = r0; r < r1; r++) dst[(size_t)c * R + r] = src[(size_t)r * C + c];
            }
    }
    m->params_t_stale = 0;
}

const mg_tensor *mg_model_tensor(const mg_model *m, int layer, int kind) {
    if (layer < 0) return &m->tensors[kind];
    return &m->tensors[MG_NUM_GLOBAL_TENSORS + layer * MG_TENSORS_PER_LAYER + kind];
}

void mg_model_dial_name(const mg_model *m, size_t index, char *out, size_t cap) {
    for (int t = 0; t < m->num_tensors; t++) {
        const mg_tensor *tt = &m->tensors[t];
        size_t size = (size_t)tt->rows * (size_t)tt->cols;
        if (index >= tt->offset && index < tt->offset + size) {
            size_t k = index - tt->offset;
            snprintf(out, cap, "%s[%zu][%zu]", tt->name, k / (size_t)tt->cols, k % (size_t)tt->cols);
            return;
        }
    }
    snprintf(out, cap, "?");
}

/* ------------------------------------------------------------------------ */
/* activations */

mg_status mg_acts_init(mg_acts *a, const mg_model *m, mg_error *err) {
    memset(a, 0, sizeof *a);
    const mg_config *c = &m->config;
    a->T = c->block_size; a->E = c->n_embd; a->F = 4 * c->n_embd;
    a->L = c->n_layer; a->H = c->n_head; a->V = m->vocab_size;
    size_t T = (size_t)a->T, E = (size_t)a->E, F = (size_t)a->F, L = (size_t)a->L;
    size_t H = (size_t)a->H, V = (size_t)a->V;
    size_t tmp = F > V ? F : V;
    if (T > tmp) tmp = T;
    struct { double **p; size_t n; } parts[] = {
        {&a->emb, T * E}, {&a->emb_rms, T}, {&a->x_in, L * T * E}, {&a->xn1, L * T * E},
        {&a->rms1, L * T}, {&a->q, L * T * E}, {&a->k, L * T * E}, {&a->v, L * T * E},
        {&a->att, L * H * T * T}, {&a->att_out, L * T * E}, {&a->x_mid, L * T * E},
        {&a->xn2, L * T * E}, {&a->rms2, L * T}, {&a->h_pre, L * T * F}, {&a->h, L * T * F},
        {&a->x_out, T * E}, {&a->logits, T * V}, {&a->probs, T * V}, {&a->d_x, T * E},
        {&a->d_xm, T * E}, {&a->d_a, T * E}, {&a->d_q, T * E}, {&a->d_k, T * E},
        {&a->d_v, T * E}, {&a->d_h, T * F}, {&a->d_tmp, tmp}};
    size_t total = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) total += parts[i].n;
    a->block = calloc(total, sizeof(double));
    if (!a->block) return mg_fail(err, MG_ERR_NOMEM, "out of memory for activations");
    double *p = a->block;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        *parts[i].p = p;
        p += parts[i].n;
    }
    return MG_OK;
}

void mg_acts_free(mg_acts *a) {
    free(a->block);
    memset(a, 0, sizeof *a);
}

/* ------------------------------------------------------------------------ */
/* ops: each a forward / backward pair, outputs first, then inputs, weights, sizes */

/* Four doubles as one value: GCC and clang map it to AVX or wasm SIMD. */
typedef double v4d __attribute__((vector_size(32)));
static inline v4d load4(const double *p) { v4d v; memcpy(&v, p, sizeof v); return v; }
static inline void store4(double *p, v4d v) { memcpy(p, &v, sizeof v); }

/* y = W x with W given transposed, Wt (n_in, n_out): every y[o] is still summed
 * left to right over i from 0.0, but all rows advance together, so the
 * inner loop is a contiguous vector update. */
static void linear_forward(double *restrict y, const double *restrict x, const double *restrict Wt,
                           int n_out, int n_in) {
    int o0 = 0;
    for (; o0 + 16 <= n_out; o0 += 16) { /* sixteen sums held in registers */
        v4d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (int i = 0; i < n_in; i++) {
            const double xi = x[i];
            const double *w = Wt + (size_t)i * n_out + o0;
            a0 += load4(w) * xi; a1 += load4(w + 4) * xi; a2 += load4(w + 8) * xi; a3 += load4(w + 12) * xi;
        }
        store4(y + o0, a0); store4(y + o0 + 4, a1); store4(y + o0 + 8, a2); store4(y + o0 + 12, a3);
    }
    if (o0 == n_out) return;
    for (int o = o0; o < n_out; o++) y[o] = 0.0;
    for (int i = 0; i < n_in; i++) {
        const double xi = x[i];
        const double *restrict w = Wt + (size_t)i * n_out;
        for (int o = o0; o < n_out; o++) y[o] += w[o] * xi;
    }
}

/* Over T positions: dW += dy^T x; dx += dy W (dx may be NULL). Columns go in
 * blocks of 16 held in registers (four v4d); the rest one by one. */
static void linear_backward(double *restrict dx, double *restrict dW, const double *restrict dy,
                            const double *restrict x, const double *restrict W, int T, int n_out,
                            int n_in) {
    const int n16 = n_in - n_in % 16;
    for (int o = 0; o < n_out; o++) {
        double *restrict dw = dW + (size_t)o * n_in;
        for (int i0 = 0; i0 < n16; i0 += 16) {
            v4d a0 = load4(dw + i0), a1 = load4(dw + i0 + 4), a2 = load4(dw + i0 + 8), a3 = load4(dw + i0 + 12);
            for (int t = 0; t < T; t++) {
                const double g = dy[(size_t)t * n_out + o];
                const double *xt = x + (size_t)t * n_in + i0;
                a0 += g * load4(xt); a1 += g * load4(xt + 4); a2 += g * load4(xt + 8); a3 += g * load4(xt + 12);
            }
            store4(dw + i0, a0); store4(dw + i0 + 4, a1); store4(dw + i0 + 8, a2); store4(dw + i0 + 12, a3);
        }
        for (int t = 0; t < T; t++) {
            const double g = dy[(size_t)t * n_out + o];
            for (int i = n16; i < n_in; i++) dw[i] += g * x[(size_t)t * n_in + i];
        }
    }
    if (!dx) return;
    for (int t = 0; t < T; t++) {
        double *restrict dxt = dx + (size_t)t * n_in;
        const double *restrict dyt = dy + (size_t)t * n_out;
        for (int i0 = 0; i0 < n16; i0 += 16) {
            v4d a0 = load4(dxt + i0), a1 = load4(dxt + i0 + 4), a2 = load4(dxt + i0 + 8), a3 = load4(dxt + i0 + 12);
            for (int o = 0; o < n_out; o++) {
                const double g = dyt[o];
                const double *w = W + (size_t)o * n_in + i0;
                a0 += g * load4(w); a1 += g * load4(w + 4); a2 += g * load4(w + 8); a3 += g * load4(w + 12);
            }
            store4(dxt + i0, a0); store4(dxt + i0 + 4, a1); store4(dxt + i0 + 8, a2); store4(dxt + i0 + 12, a3);
        }
        for (int o = 0; o < n_out; o++)
            for (int i = n16; i < n_in; i++) dxt[i] += dyt[o] * W[(size_t)o * n_in + i];
    }
}

/* y = x * (mean(x^2) + 1e-5)^-0.5; returns the scale (kept for backward). */
static double rmsnorm_forward(double *restrict y, const double *restrict x, int n) {
    double ss = 0.0;
    for (int i = 0; i < n; i++) ss += x[i] * x[i];
    double ms = ss * (1.0 / n);
    double scale = pow(ms + 1e-5, -0.5);
    for (int i = 0; i < n; i++) y[i] = x[i] * scale;
    return scale;
}

/* dx += dy * s - x * s^3 / n * (dy . x) */
static void rmsnorm_backward(double *restrict dx, const double *restrict dy, const double *restrict x,
                             double scale, int n) {
    double dot = 0.0;
    for (int i = 0; i < n; i++) dot += dy[i] * x[i];
    double c = scale * scale * scale * dot / n;
    for (int i = 0; i < n; i++) dx[i] += dy[i] * scale - x[i] * c;
}

/* p = softmax(z * inv_temp): the reference's max, exp, left-to-right sum, times 1/sum. */
static void softmax_forward(double *p, const double *z, int n, double inv_temp,
                            int scale_logits) {
    double mx = scale_logits ? z[0] * inv_temp : z[0];
    for (int i = 1; i < n; i++) {
        double zi = scale_logits ? z[i] * inv_temp : z[i];
        if (zi > mx) mx = zi;
    }
    double t = 0.0;
    for (int i = 0; i < n; i++) {
        double zi = scale_logits ? z[i] * inv_temp : z[i];
        p[i] = exp(zi - mx);
        t += p[i];
    }
    double inv = 1.0 / t;
    for (int i = 0; i < n; i++) p[i] *= inv;
}

void mg_softmax(double *p, const double *z, int n, double temperature) {
    if (temperature == 1.0) softmax_forward(p, z, n, 1.0, 0);
    else softmax_forward(p, z, n, 1.0 / temperature, 1);
}

/* ------------------------------------------------------------------------ */
/* forward */

void mg_forward_position(mg_acts *a, mg_model *m, int token, int pos) {
    sync_transposed(m);
    const int E = a->E, F = a->F, T = a->T, H = a->H, hd = E / H;
    const double *P = m->params, *Pt = m->params_t;
    const double *wte = P + m->tensors[MG_WTE].offset + (size_t)token * E;
    const double *wpe = P + m->tensors[MG_WPE].offset + (size_t)pos * E;
    double *emb = a->emb + (size_t)pos * E;
    for (int i = 0; i < E; i++) emb[i] = wte[i] + wpe[i];
    double *x = a->x_in + (size_t)pos * E; /* layer 0's input */
    a->emb_rms[pos] = rmsnorm_forward(x, emb, E);
    const double att_scale = 1.0 / sqrt((double)hd);

    for (int l = 0; l < a->L; l++) {
        size_t lte = (size_t)l * T * E + (size_t)pos * E;
        size_t ltf = (size_t)l * T * F + (size_t)pos * F;
        const double *wq = Pt + mg_model_tensor(m, l, MG_ATTN_WQ)->offset;
        const double *wk = Pt + mg_model_tensor(m, l, MG_ATTN_WK)->offset;
        const double *wv = Pt + mg_model_tensor(m, l, MG_ATTN_WV)->offset;
        const double *wo = Pt + mg_model_tensor(m, l, MG_ATTN_WO)->offset;
        const double *fc1 = Pt + mg_model_tensor(m, l, MG_MLP_FC1)->offset;
        const double *fc2 = Pt + mg_model_tensor(m, l, MG_MLP_FC2)->offset;
        const double *x_in = a->x_in + lte;
        double *xn1 = a->xn1 + lte;
        a->rms1[l * T + pos] = rmsnorm_forward(xn1, x_in, E);
        double *q = a->q + lte;
        linear_forward(q, xn1, wq, E, E);
        linear_forward(a->k + lte, xn1, wk, E, E);
        linear_forward(a->v + lte, xn1, wv, E, E);

        /* the roundtable: each sous chef reads the notebook pages 0..pos */
        const double *kc = a->k + (size_t)l * T * E, *vc = a->v + (size_t)l * T * E;
        double *out = a->att_out + lte;
        for (int h = 0; h < H; h++) {
            int hs = h * hd;
            double *w = a->att + (((size_t)l * H + h) * T + pos) * T;
            for (int t = 0; t <= pos; t++) {
                const double *kt = kc + (size_t)t * E + hs;
                double s = 0.0;
                for (int j = 0; j < hd; j++) s += q[hs + j] * kt[j];
                w[t] = s * att_scale;
            }
            softmax_forward(w, w, pos + 1, 1.0, 0);
            for (int j = 0; j < hd; j++) {
                double s = 0.0;
                for (int t = 0; t <= pos; t++) s += w[t] * vc[(size_t)t * E + hs + j];
                out[hs + j] = s;
            }
        }
        double *x_mid = a->x_mid + lte;
        linear_forward(x_mid, out, wo, E, E);
        for (int i = 0; i < E; i++) x_mid[i] += x_in[i];

        /* the back kitchen: open wide, quality check, compress */
        double *xn2 = a->xn2 + lte;
        a->rms2[l * T + pos] = rmsnorm_forward(xn2, x_mid, E);
        double *h_pre = a->h_pre + ltf, *hh = a->h + ltf;
        linear_forward(h_pre, xn2, fc1, F, E);
        for (int i = 0; i < F; i++) hh[i] = h_pre[i] > 0.0 ? h_pre[i] : 0.0;
        double *x_next = l + 1 < a->L ? a->x_in + lte + (size_t)T * E : a->x_out + (size_t)pos * E;
        linear_forward(x_next, hh, fc2, E, F);
        for (int i = 0; i < E; i++) x_next[i] += x_mid[i];
    }
    linear_forward(a->logits + (size_t)pos * a->V, a->x_out + (size_t)pos * E,
                   Pt + m->tensors[MG_LM_HEAD].offset, a->V, E);
}

double mg_forward_loss(mg_acts *a, mg_model *m, const int32_t *tokens, int n) {
    const int V = a->V;
    double sum = 0.0;
    for (int pos = 0; pos < n; pos++) {
        mg_forward_position(a, m, tokens[pos], pos);
        double *p = a->probs + (size_t)pos * V;
        softmax_forward(p, a->logits + (size_t)pos * V, V, 1.0, 0);
        sum += -log(p[tokens[pos + 1]]);
    }
    return (1.0 / n) * sum;
}

/* ------------------------------------------------------------------------ */
/* backward */

void mg_backward(mg_acts *a, const mg_model *m, const int32_t *tokens, int n, double *grads) {
    const int E = a->E, F = a->F, T = a->T, H = a->H, V = a->V, hd = E / H;
    const double *P = m->params;
    const double att_scale = 1.0 / sqrt((double)hd);
    double *d_x = a->d_x; /* gradient of the stream, (n, E) */

    /* the final vote: d logits = (p - onehot) / n */
    double *d_logits_buf = a->d_tmp; /* (V) */
    memset(d_x, 0, sizeof(double) * (size_t)n * E);
    const double *lm_head = P + m->tensors[MG_LM_HEAD].offset;
    double *g_lm_head = grads + m->tensors[MG_LM_HEAD].offset;
    for (int pos = 0; pos < n; pos++) {
        const double *p = a->probs + (size_t)pos * V;
        for (int i = 0; i < V; i++) d_logits_buf[i] = p[i] * (1.0 / n);
        d_logits_buf[tokens[pos + 1]] -= 1.0 / n;
        linear_backward(d_x + (size_t)pos * E, g_lm_head, d_logits_buf, a->x_out + (size_t)pos * E,
                        lm_head, 1, V, E);
    }

    for (int l = a->L - 1; l >= 0; l--) {
        size_t lte = (size_t)l * T * E, ltf = (size_t)l * T * F;
        const mg_tensor *tq = mg_model_tensor(m, l, MG_ATTN_WQ), *tk = mg_model_tensor(m, l, MG_ATTN_WK);
        const mg_tensor *tv = mg_model_tensor(m, l, MG_ATTN_WV), *to = mg_model_tensor(m, l, MG_ATTN_WO);
        const mg_tensor *t1 = mg_model_tensor(m, l, MG_MLP_FC1), *t2 = mg_model_tensor(m, l, MG_MLP_FC2);

        /* back kitchen: x_next = fc2(relu(fc1(rmsnorm(x_mid)))) + x_mid */
        double *d_xm = a->d_xm, *d_h = a->d_h, *d_xn = a->d_a;
        memcpy(d_xm, d_x, sizeof(double) * (size_t)n * E);
        memset(d_h, 0, sizeof(double) * (size_t)n * F);
        linear_backward(d_h, grads + t2->offset, d_x, a->h + ltf, P + t2->offset, n, E, F);
        for (int i = 0; i < n * F; i++)
            if (!(a->h_pre[ltf + i] > 0.0)) d_h[i] = 0.0;
        memset(d_xn, 0, sizeof(double) * (size_t)n * E);
        linear_backward(d_xn, grads + t1->offset, d_h, a->xn2 + lte, P + t1->offset, n, F, E);
        for (int pos = 0; pos < n; pos++)
            rmsnorm_backward(d_xm + (size_t)pos * E, d_xn + (size_t)pos * E,
                             a->x_mid + lte + (size_t)pos * E, a->rms2[l * T + pos], E);

        /* roundtable: x_mid = wo(att_out) + x_in */
        memcpy(d_x, d_xm, sizeof(double) * (size_t)n * E); /* residual into x_in */
        double *d_a = a->d_a;
        memset(d_a, 0, sizeof(double) * (size_t)n * E);
        linear_backward(d_a, grads + to->offset, d_xm, a->att_out + lte, P + to->offset, n, E, E);
        double *d_q = a->d_q, *d_k = a->d_k, *d_v = a->d_v, *dw = a->d_tmp;
        memset(d_q, 0, sizeof(double) * (size_t)n * E);
        memset(d_k, 0, sizeof(double) * (size_t)n * E);
        memset(d_v, 0, sizeof(double) * (size_t)n * E);
        const double *q = a->q + lte, *k = a->k + lte, *v = a->v + lte;
        for (int pos = 0; pos < n; pos++) {
            for (int h = 0; h < H; h++) {
                int hs = h * hd;
                const double *w = a->att + (((size_t)l * H + h) * T + pos) * T;
                const double *da = d_a + (size_t)pos * E + hs;
                double dsum = 0.0;
                for (int t = 0; t <= pos; t++) {
                    const double *vt = v + (size_t)t * E + hs;
                    double *dvt = d_v + (size_t)t * E + hs;
                    double s = 0.0;
                    for (int j = 0; j < hd; j++) {
                        s += da[j] * vt[j];
                        dvt[j] += w[t] * da[j];
                    }
                    dw[t] = s;
                    dsum += w[t] * s;
                }
                const double *qp = q + (size_t)pos * E + hs;
                double *dqp = d_q + (size_t)pos * E + hs;
                for (int t = 0; t <= pos; t++) {
                    double ds = w[t] * (dw[t] - dsum) * att_scale;
                    const double *kt = k + (size_t)t * E + hs;
                    double *dkt = d_k + (size_t)t * E + hs;
                    for (int j = 0; j < hd; j++) {
                        dqp[j] += ds * kt[j];
                        dkt[j] += ds * qp[j];
                    }
                }
            }
        }
        d_xn = a->d_xm; /* d_xm is consumed: reuse it for d xn1 */
        memset(d_xn, 0, sizeof(double) * (size_t)n * E);
        linear_backward(d_xn, grads + tq->offset, d_q, a->xn1 + lte, P + tq->offset, n, E, E);
        linear_backward(d_xn, grads + tk->offset, d_k, a->xn1 + lte, P + tk->offset, n, E, E);
        linear_backward(d_xn, grads + tv->offset, d_v, a->xn1 + lte, P + tv->offset, n, E, E);
        for (int pos = 0; pos < n; pos++)
            rmsnorm_backward(d_x + (size_t)pos * E, d_xn + (size_t)pos * E,
                             a->x_in + lte + (size_t)pos * E, a->rms1[l * T + pos], E);
    }

    /* embeddings: x_in[0] = rmsnorm(wte[tok] + wpe[pos]) */
    double *g_wte = grads + m->tensors[MG_WTE].offset, *g_wpe = grads + m->tensors[MG_WPE].offset;
    double *d_emb = a->d_a;
    memset(d_emb, 0, sizeof(double) * (size_t)n * E);
    for (int pos = 0; pos < n; pos++) {
        double *de = d_emb + (size_t)pos * E;
        rmsnorm_backward(de, d_x + (size_t)pos * E, a->emb + (size_t)pos * E, a->emb_rms[pos], E);
        double *gt = g_wte + (size_t)tokens[pos] * E, *gp = g_wpe + (size_t)pos * E;
        for (int i = 0; i < E; i++) { gt[i] += de[i]; gp[i] += de[i]; }
    }
}
