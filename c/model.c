/* model.c - Ming's model: the parameter table, one position forward with a
 * KV cache, the loss, and the hand-written backward pass (SPEC.md section 3).
 * Each layer is a pair of functions, forward then backward, top to bottom in
 * the order a position flows through the model; the loops behind them are
 * the kernels (kernels.h), here only called.
 *
 * Parity rule: every forward sum runs left to right from 0.0, exactly as the
 * reference does, so forward values match it to the last bit (but for the
 * softmaxes' exps, the project's own, exp_vec.h, not libm's: within an ulp).
 * Backward sums may run in any order; the reference differs there by
 * rounding only.
 *
 * The forward reads the matrices transposed (params_t: each output's weights
 * side by side for the vector loops). Every function here that writes the
 * dials refreshes that copy before it returns, so it is never stale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"
#include "model.h"

static const char *layer_tensor_names[MG_TENSORS_PER_LAYER] = {
    "attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"};

size_t mg_config_params(const mg_config *c, int vocab_size) {
    size_t E = (size_t)c->n_embd;
    return 2 * (size_t)vocab_size * E + (size_t)c->block_size * E + (size_t)c->n_layer * 12 * E * E;
}

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
    size_t n = mg_config_params(c, vocab_size);
    if (n > MG_MAX_PARAMS)
        return mg_fail(err, MG_ERR_CONFIG, "the model would have %zu parameters; the limit is %d",
                       n, MG_MAX_PARAMS);
    uint64_t bytes = mg_config_memory(c, vocab_size);
    if (bytes > MG_MAX_SESSION_BYTES) {
        char need[32], limit[32];
        return mg_fail(err, MG_ERR_CONFIG,
                       "n_embd %d, n_head %d, n_layer %d, block_size %d need %s MiB of memory; the limit "
                       "is %s MiB: choose a smaller n_embd, n_head, n_layer or block_size",
                       c->n_embd, c->n_head, c->n_layer, c->block_size, mg_format_mib(need, sizeof need, bytes),
                       mg_format_mib(limit, sizeof limit, MG_MAX_SESSION_BYTES));
    }
    return MG_OK;
}

uint64_t mg_zalloc_bytes(uint64_t n) { return (n * sizeof(double) + 63) & ~(uint64_t)63; }

double *mg_zalloc(size_t n) {
    size_t bytes = (size_t)mg_zalloc_bytes(n);
    double *p = aligned_alloc(64, bytes ? bytes : 64);
    if (p) memset(p, 0, bytes);
    return p;
}

uint64_t mg_model_memory(const mg_config *c, int vocab_size) {
    uint64_t P = mg_config_params(c, vocab_size);
    uint64_t tensors = (uint64_t)(MG_NUM_GLOBAL_TENSORS + MG_TENSORS_PER_LAYER * c->n_layer) * sizeof(mg_tensor);
    return tensors + 2 * mg_zalloc_bytes(P); /* params and params_t */
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
    m->params = mg_zalloc(off);
    m->params_t = mg_zalloc(off);
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

/* ------------------------------------------------------------------------ */
/* writing the dials: each writer refreshes the transposed copy */

/* The transposed matrices the forward pass reads (all but wte and wpe: those
 * are looked up by row), for tensors t0..t1-1. */
static void sync_transposed(mg_model *m, int t0, int t1) {
    for (int t = t0 < MG_LM_HEAD ? MG_LM_HEAD : t0; t < t1; t++) {
        const mg_tensor *tt = &m->tensors[t];
        mg_transpose(m->params_t + tt->offset, m->params + tt->offset, tt->rows, tt->cols);
    }
}

void mg_model_randomize(mg_model *m, mg_rng *rng) {
    for (size_t i = 0; i < m->num_params; i++) m->params[i] = mg_rng_gauss(rng, 0.0, 0.08);
    sync_transposed(m, 0, m->num_tensors);
}

void mg_model_set_params(mg_model *m, const double *values) {
    memcpy(m->params, values, sizeof(double) * m->num_params);
    sync_transposed(m, 0, m->num_tensors);
}

void mg_model_set_param(mg_model *m, size_t index, double value) {
    m->params[index] = value;
    for (int t = 0; t < m->num_tensors; t++) {
        const mg_tensor *tt = &m->tensors[t];
        size_t k = index - tt->offset;
        if (index < tt->offset || k >= (size_t)tt->rows * (size_t)tt->cols) continue;
        if (t >= MG_LM_HEAD) /* its place in the transposed copy */
            m->params_t[tt->offset + k % (size_t)tt->cols * (size_t)tt->rows + k / (size_t)tt->cols] = value;
        return;
    }
}

/* Index in the size table of a layer's tensor (layer < 0: a global one). */
static int tensor_index(int layer, int kind) {
    return layer < 0 ? kind : MG_NUM_GLOBAL_TENSORS + layer * MG_TENSORS_PER_LAYER + kind;
}

const mg_tensor *mg_model_tensor(const mg_model *m, int layer, int kind) { return &m->tensors[tensor_index(layer, kind)]; }

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

/* The activation buffers of a, whose sizes T..V are set, and their lengths
 * in doubles, in their order in the one block. 64-bit lengths: mg_acts_memory
 * sizes configs far over the limit, and wasm32's size_t would wrap. */
#define MG_ACTS_PARTS 23
typedef struct { double **p; uint64_t n; } acts_part;
static void acts_layout(mg_acts *a, const mg_config *c, int vocab_size, acts_part *parts) {
    a->T = c->block_size; a->E = c->n_embd; a->F = 4 * c->n_embd;
    a->L = c->n_layer; a->H = c->n_head; a->V = vocab_size;
    uint64_t T = (uint64_t)a->T, E = (uint64_t)a->E, F = (uint64_t)a->F, L = (uint64_t)a->L;
    uint64_t H = (uint64_t)a->H, V = (uint64_t)a->V;
    /* backward scratch: d logits (T, V), or d qkv (T, 3E) and the attention's (T, T) */
    uint64_t tmp = T * V > T * 3 * E + T * T ? T * V : T * 3 * E + T * T;
    acts_part list[MG_ACTS_PARTS] = {
        {&a->emb, T * E}, {&a->emb_rms, T}, {&a->x_in, L * T * E}, {&a->xn1, L * T * E},
        {&a->rms1, L * T}, {&a->q, L * T * E}, {&a->k, L * T * E}, {&a->v, L * T * E},
        {&a->att, L * H * T * T}, {&a->att_out, L * T * E}, {&a->x_mid, L * T * E},
        {&a->xn2, L * T * E}, {&a->rms2, L * T}, {&a->h_pre, L * T * F}, {&a->h, L * T * F},
        {&a->x_out, T * E}, {&a->logits, T * V}, {&a->probs, T * V}, {&a->d_x, T * E},
        {&a->d_xm, T * E}, {&a->d_a, T * E},
        {&a->d_h, T * F}, {&a->d_tmp, tmp}};
    memcpy(parts, list, sizeof list);
}

static uint64_t acts_doubles(const acts_part *parts) {
    uint64_t total = 0;
    for (int i = 0; i < MG_ACTS_PARTS; i++) total += parts[i].n;
    return total;
}

uint64_t mg_acts_memory(const mg_config *c, int vocab_size) {
    mg_acts a;
    acts_part parts[MG_ACTS_PARTS];
    acts_layout(&a, c, vocab_size, parts);
    return mg_zalloc_bytes(acts_doubles(parts));
}

mg_status mg_acts_init(mg_acts *a, const mg_model *m, mg_error *err) {
    memset(a, 0, sizeof *a);
    acts_part parts[MG_ACTS_PARTS];
    acts_layout(a, &m->config, m->vocab_size, parts);
    /* within MG_MAX_SESSION_BYTES: mg_model_init checked the config */
    a->block = mg_zalloc((size_t)acts_doubles(parts));
    if (!a->block) return mg_fail(err, MG_ERR_NOMEM, "out of memory for activations");
    double *p = a->block;
    for (int i = 0; i < MG_ACTS_PARTS; i++) {
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
/* the layers: each a forward / backward pair, outputs first, then inputs,
 * weights, sizes */

/* linear: over P positions y (P, n_out) = x (P, n_in) W^T (+ r), W (n_out,
 * n_in) given transposed, Wt (n_in, n_out). Every y[p][o] is summed left to
 * right over i from 0.0 and only then gets r[p][o] (the residual), as the
 * reference does. */
static void linear_forward(double *y, const double *x, const double *Wt, const double *r, int P, int n_in,
                           int n_out) {
    mg_matmul(y, x, Wt, r, NULL, P, n_in, n_out);
}

/* dW (n_out, n_in) = dy^T x (written); dx (P, n_in) = dy W (written), zeroed
 * where !(mask > 0) if mask: the input of a ReLU between, so d_h comes out
 * already masked. */
static void linear_backward(double *dx, double *dW, const double *dy, const double *x, const double *W,
                            const double *mask, int P, int n_in, int n_out) {
    mg_matmul_tn(dW, dy, x, P, n_out, n_in);
    mg_matmul(dx, dy, W, NULL, mask, P, n_out, n_in);
}

/* rmsnorm (the palate cleanser): y (n) = x (n) * (mean(x^2) + 1e-5)^-0.5
 * (correctly rounded: mg_rsqrt); returns the scale (kept for backward). */
static double rmsnorm_forward(double *restrict y, const double *restrict x, int n) {
    double ss = 0.0;
    for (int i = 0; i < n; i++) ss += x[i] * x[i];
    double ms = ss * (1.0 / n);
    double scale = mg_rsqrt(ms + 1e-5);
    for (int i = 0; i < n; i++) y[i] = x[i] * scale;
    return scale;
}

/* dx (n) += dy * s - x * s^3 / n * (dy . x) */
static void rmsnorm_backward(double *restrict dx, const double *restrict dy, const double *restrict x,
                             double scale, int n) {
    double dot = 0.0;
    for (int i = 0; i < n; i++) dot += dy[i] * x[i];
    double c = scale * scale * scale * dot / n;
    for (int i = 0; i < n; i++) dx[i] += dy[i] * scale - x[i] * c;
}

/* softmax: p (n) = softmax(z (n) / temperature); its backward at the loss is
 * the d logits of mg_backward, and the attention's is inside the kernel. */
void mg_softmax(double *p, const double *z, int n, double temperature) {
    if (temperature == 1.0) mg_softmax_kernel(p, z, n, 1.0, 0);
    else mg_softmax_kernel(p, z, n, 1.0 / temperature, 1);
}

/* attention: mg_attention_forward and mg_attention_backward (kernels.h),
 * q, k, v, out (T, E), the weights (H, T, T). */

/* ------------------------------------------------------------------------ */
/* forward */

/* Positions p0..p1-1 (token of p is tok[p - p0]), layer by layer: the
 * positions' keys and values (0..p1-1 all in the cache) are ready before the
 * attention that reads them, so every matrix product runs over all the
 * positions at once. Each value is still the very sum the reference takes. */
static void forward_range(mg_acts *a, const mg_model *m, const int32_t *tok, int p0, int p1) {
    const int E = a->E, F = a->F, T = a->T, H = a->H, P = p1 - p0;
    const double *Pr = m->params, *Pt = m->params_t;
    for (int pos = p0; pos < p1; pos++) {
        const double *wte = Pr + m->tensors[MG_WTE].offset + (size_t)tok[pos - p0] * E;
        const double *wpe = Pr + m->tensors[MG_WPE].offset + (size_t)pos * E;
        double *emb = a->emb + (size_t)pos * E;
        for (int i = 0; i < E; i++) emb[i] = wte[i] + wpe[i];
        a->emb_rms[pos] = rmsnorm_forward(a->x_in + (size_t)pos * E, emb, E); /* layer 0's input */
    }
    for (int l = 0; l < a->L; l++) {
        size_t lte = (size_t)l * T * E + (size_t)p0 * E; /* (P, E) rows of this layer */
        size_t ltf = (size_t)l * T * F + (size_t)p0 * F;
        const double *wq = Pt + mg_model_tensor(m, l, MG_ATTN_WQ)->offset;
        const double *wk = Pt + mg_model_tensor(m, l, MG_ATTN_WK)->offset;
        const double *wv = Pt + mg_model_tensor(m, l, MG_ATTN_WV)->offset;
        const double *wo = Pt + mg_model_tensor(m, l, MG_ATTN_WO)->offset;
        const double *fc1 = Pt + mg_model_tensor(m, l, MG_MLP_FC1)->offset;
        const double *fc2 = Pt + mg_model_tensor(m, l, MG_MLP_FC2)->offset;
        const double *x_in = a->x_in + lte;
        double *xn1 = a->xn1 + lte;
        for (int p = 0; p < P; p++)
            a->rms1[l * T + p0 + p] = rmsnorm_forward(xn1 + (size_t)p * E, x_in + (size_t)p * E, E);
        linear_forward(a->q + lte, xn1, wq, NULL, P, E, E);
        linear_forward(a->k + lte, xn1, wk, NULL, P, E, E);
        linear_forward(a->v + lte, xn1, wv, NULL, P, E, E);

        /* the roundtable: each sous chef reads the notebook pages 0..pos */
        size_t l0 = (size_t)l * T * E; /* the layer's (T, E) */
        mg_attention_forward(a->att_out + l0, a->att + (size_t)l * H * T * T, a->q + l0, a->k + l0, a->v + l0,
                          p0, p1, T, E, H);
        double *x_mid = a->x_mid + lte;
        linear_forward(x_mid, a->att_out + lte, wo, x_in, P, E, E);

        /* the back kitchen: open wide, quality check, compress */
        double *xn2 = a->xn2 + lte;
        for (int p = 0; p < P; p++)
            a->rms2[l * T + p0 + p] = rmsnorm_forward(xn2 + (size_t)p * E, x_mid + (size_t)p * E, E);
        double *h_pre = a->h_pre + ltf, *hh = a->h + ltf;
        linear_forward(h_pre, xn2, fc1, NULL, P, E, F);
        for (int i = 0; i < P * F; i++) hh[i] = h_pre[i] > 0.0 ? h_pre[i] : 0.0;
        double *x_next = l + 1 < a->L ? a->x_in + lte + (size_t)T * E : a->x_out + (size_t)p0 * E;
        linear_forward(x_next, hh, fc2, x_mid, P, F, E);
    }
    linear_forward(a->logits + (size_t)p0 * a->V, a->x_out + (size_t)p0 * E,
                   Pt + m->tensors[MG_LM_HEAD].offset, NULL, P, E, a->V);
}

void mg_forward_position(mg_acts *a, const mg_model *m, int token, int pos) {
    int32_t tok = token;
    forward_range(a, m, &tok, pos, pos + 1);
}

double mg_forward_loss(mg_acts *a, const mg_model *m, const int32_t *tokens, int n) {
    const int V = a->V;
    forward_range(a, m, tokens, 0, n);
    mg_softmax_rows(a->probs, a->logits, n, V);
    double sum = 0.0;
    for (int pos = 0; pos < n; pos++) sum += -log(a->probs[(size_t)pos * V + tokens[pos + 1]]);
    return (1.0 / n) * sum;
}

/* ------------------------------------------------------------------------ */
/* backward */
void mg_backward(mg_acts *a, const mg_model *m, const int32_t *tokens, int n, double *grads) {
    const int E = a->E, F = a->F, T = a->T, H = a->H, V = a->V;
    const double *P = m->params;
    double *d_x = a->d_x; /* gradient of the stream, (n, E) */

    /* the final vote: d logits = (p - onehot) / n */
    double *d_logits = a->d_tmp; /* (n, V) */
    for (int pos = 0; pos < n; pos++) {
        const double *p = a->probs + (size_t)pos * V;
        double *dl = d_logits + (size_t)pos * V;
        for (int i = 0; i < V; i++) dl[i] = p[i] * (1.0 / n);
        dl[tokens[pos + 1]] -= 1.0 / n;
    }
    linear_backward(d_x, grads + m->tensors[MG_LM_HEAD].offset, d_logits, a->x_out,
                    P + m->tensors[MG_LM_HEAD].offset, NULL, n, E, V);

    for (int l = a->L - 1; l >= 0; l--) {
        size_t lte = (size_t)l * T * E, ltf = (size_t)l * T * F;
        const mg_tensor *tq = mg_model_tensor(m, l, MG_ATTN_WQ), *to = mg_model_tensor(m, l, MG_ATTN_WO);
        const mg_tensor *t1 = mg_model_tensor(m, l, MG_MLP_FC1), *t2 = mg_model_tensor(m, l, MG_MLP_FC2);

        /* back kitchen: x_next = fc2(relu(fc1(rmsnorm(x_mid)))) + x_mid; the
         * ReLU's mask is applied as d_h is written */
        double *d_h = a->d_h, *d_xn = a->d_a;
        linear_backward(d_h, grads + t2->offset, d_x, a->h + ltf, P + t2->offset, a->h_pre + ltf,
                        n, F, E);
        linear_backward(d_xn, grads + t1->offset, d_h, a->xn2 + lte, P + t1->offset, NULL, n, E, F);
        for (int pos = 0; pos < n; pos++) /* d_x becomes d x_mid (the residual kept in place) */
            rmsnorm_backward(d_x + (size_t)pos * E, d_xn + (size_t)pos * E,
                             a->x_mid + lte + (size_t)pos * E, a->rms2[l * T + pos], E);

        /* roundtable: x_mid = wo(att_out) + x_in; d_x goes on to x_in as it is */
        double *d_a = a->d_a;
        linear_backward(d_a, grads + to->offset, d_x, a->att_out + lte, P + to->offset, NULL, n, E, E);
        /* d q, d k, d v side by side as rows of (n, 3E): wq, wk, wv follow one
         * another in the parameters, so they act as one (3E, E) matrix */
        const int E3 = 3 * E;
        double *d_qkv = a->d_tmp, *ds = a->d_tmp + (size_t)T * E3;
        mg_attention_backward(d_qkv, d_qkv + E, d_qkv + 2 * E, E3, ds, d_a, a->att + (size_t)l * H * T * T,
                           a->q + lte, a->k + lte, a->v + lte, n, T, E, H);
        d_xn = a->d_xm;
        linear_backward(d_xn, grads + tq->offset, d_qkv, a->xn1 + lte, P + tq->offset, NULL, n, E, E3);
        for (int pos = 0; pos < n; pos++)
            rmsnorm_backward(d_x + (size_t)pos * E, d_xn + (size_t)pos * E,
                             a->x_in + lte + (size_t)pos * E, a->rms1[l * T + pos], E);
    }

    /* embeddings: x_in[0] = rmsnorm(wte[tok] + wpe[pos]) */
    double *g_wte = grads + m->tensors[MG_WTE].offset, *g_wpe = grads + m->tensors[MG_WPE].offset;
    memset(g_wte, 0, sizeof(double) * (size_t)V * E); /* only the rows used get gradients */
    memset(g_wpe, 0, sizeof(double) * (size_t)T * E);
    double *d_emb = a->d_a;
    memset(d_emb, 0, sizeof(double) * (size_t)n * E);
    for (int pos = 0; pos < n; pos++) {
        double *de = d_emb + (size_t)pos * E;
        rmsnorm_backward(de, d_x + (size_t)pos * E, a->emb + (size_t)pos * E, a->emb_rms[pos], E);
        double *gt = g_wte + (size_t)tokens[pos] * E, *gp = g_wpe + (size_t)pos * E;
        for (int i = 0; i < E; i++) { gt[i] += de[i]; gp[i] += de[i]; }
    }
}

double mg_model_train(mg_model *m, mg_acts *a, mg_adam *opt, const int32_t *tokens, int n, double *grads,
                      int step, int num_steps) {
    const double loss = mg_forward_loss(a, m, tokens, n);
    mg_backward(a, m, tokens, n, grads);
    /* Adam over all the dials after the backward pass, not tensor by tensor
     * as each gradient is done: interleaved, Adam's streams evict what the
     * backward pass reads next (15% slower at 4 layers, n_embd 64). Each
     * tensor transposed right after its update, while it is in the cache. */
    const mg_adam_rate rate = mg_adam_rate_at(opt, step, num_steps);
    for (int t = 0; t < m->num_tensors; t++) {
        const mg_tensor *tt = &m->tensors[t];
        mg_adam_apply(opt, &rate, m->params, grads, tt->offset, (size_t)tt->rows * (size_t)tt->cols);
        sync_transposed(m, t, t + 1);
    }
    return loss;
}
