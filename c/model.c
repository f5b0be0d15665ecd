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

/* n zeroed doubles on a 64-byte boundary: whole cache lines for the vector loops */
static double *zalloc(size_t n) {
    size_t bytes = (n * sizeof(double) + 63) & ~(size_t)63;
    double *p = aligned_alloc(64, bytes ? bytes : 64);
    if (p) memset(p, 0, bytes);
    return p;
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
    m->params = zalloc(off);
    m->params_t = zalloc(off);
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

/* Four doubles as one value: GCC and clang map it to AVX or wasm SIMD. */
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4i __attribute__((vector_size(32)));
static inline v4d load4(const double *p) { v4d v; memcpy(&v, p, sizeof v); return v; }
static inline void store4(double *p, v4d v) { memcpy(p, &v, sizeof v); }

/* Refreshes the transposed matrices the forward pass reads (not wte, wpe:
 * those are looked up by row). Adam moves every dial, so this runs once per
 * step: 4 x 4 blocks go through registers (two rounds of shuffles), the
 * ragged edges element by element. */
static void sync_transposed(mg_model *m) {
    if (!m->params_t_stale) return;
    for (int t = MG_LM_HEAD; t < m->num_tensors; t++) {
        const mg_tensor *tt = &m->tensors[t];
        const int R = tt->rows, C = tt->cols, R4 = R & ~3, C4 = C & ~3;
        const double *src = m->params + tt->offset;
        double *dst = m->params_t + tt->offset;
        for (int r = 0; r < R4; r += 4)
            for (int c = 0; c < C4; c += 4) {
                const double *s = src + (size_t)r * C + c;
                v4d a = load4(s), b = load4(s + C), e = load4(s + 2 * C), f = load4(s + 3 * C);
                v4d ab0 = __builtin_shufflevector(a, b, 0, 4, 2, 6), ab1 = __builtin_shufflevector(a, b, 1, 5, 3, 7);
                v4d ef0 = __builtin_shufflevector(e, f, 0, 4, 2, 6), ef1 = __builtin_shufflevector(e, f, 1, 5, 3, 7);
                double *d = dst + (size_t)c * R + r;
                store4(d, __builtin_shufflevector(ab0, ef0, 0, 1, 4, 5));
                store4(d + R, __builtin_shufflevector(ab1, ef1, 0, 1, 4, 5));
                store4(d + 2 * R, __builtin_shufflevector(ab0, ef0, 2, 3, 6, 7));
                store4(d + 3 * R, __builtin_shufflevector(ab1, ef1, 2, 3, 6, 7));
            }
        for (int r = 0; r < R; r++)
            for (int c = r < R4 ? C4 : 0; c < C; c++) dst[(size_t)c * R + r] = src[(size_t)r * C + c];
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
    /* backward scratch: d logits (T, V), or d qkv (T, 3E) and the attention's (T, T) */
    size_t tmp = T * V > T * 3 * E + T * T ? T * V : T * 3 * E + T * T;
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
    a->block = zalloc(total);
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

/* The tile kernels below take their tile shape as constants: forced inlining
 * turns their little arrays of sums into registers. */
#define MG_TILE static inline __attribute__((always_inline))

/* One register tile of C = A B: NP rows of C, NV * 4 columns.
 * C[p][j] = (sum over k of A[p][k] * B[k][j], left to right from 0.0), then
 * + R[p][j] if R (a residual), then 0 where !(M[p][j] > 0) if M.
 * Strides: A K, B / C / R / M ldc. */
MG_TILE void matmul_tile(double *C, const double *restrict A, const double *restrict B,
                         const double *R, const double *restrict M, int K, int ldc, int NP, int NV) {
    v4d acc[2][4];
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++) acc[p][v] = (v4d){0.0, 0.0, 0.0, 0.0};
    for (int k = 0; k < K; k++) {
        v4d b[4];
        for (int v = 0; v < NV; v++) b[v] = load4(B + (size_t)k * ldc + 4 * v);
        for (int p = 0; p < NP; p++) {
            const double ak = A[(size_t)p * K + k];
            for (int v = 0; v < NV; v++) acc[p][v] += b[v] * ak;
        }
    }
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++) {
            size_t at = (size_t)p * ldc + 4 * v;
            v4d c = acc[p][v];
            if (R) c += load4(R + at);
            if (M) c = (v4d)((v4i)c & (v4i)(load4(M + at) > 0.0));
            store4(C + at, c);
        }
}

/* C (P, N) = A (P, K) B (K, N) (+ R) (masked by M), as matmul_tile says: the
 * sum over k is the forward's left-to-right sum; independent sums advance
 * side by side, 2 rows x 16 columns at a time. */
static void matmul(double *C, const double *restrict A, const double *restrict B, const double *R,
                   const double *restrict M, int P, int K, int N) {
#define MG_TILE_ROWS(NV)                                                                        \
    for (int p = 0; p < P; p += 2) {                                                            \
        size_t at = (size_t)p * N + j;                                                          \
        const double *r = R ? R + at : NULL, *mk = M ? M + at : NULL;                           \
        if (p + 2 <= P) matmul_tile(C + at, A + (size_t)p * K, B + j, r, mk, K, N, 2, NV);      \
        else matmul_tile(C + at, A + (size_t)p * K, B + j, r, mk, K, N, 1, NV);                 \
    }
    int j = 0;
    for (; j + 16 <= N; j += 16) MG_TILE_ROWS(4)
    if (j + 8 <= N) { MG_TILE_ROWS(2) j += 8; }
    if (j + 4 <= N) { MG_TILE_ROWS(1) j += 4; }
#undef MG_TILE_ROWS
    for (int p = 0; p < P && j < N; p++) /* the last N % 4 columns */
        for (int jj = j; jj < N; jj++) {
            size_t at = (size_t)p * N + jj;
            double s = 0.0;
            for (int k = 0; k < K; k++) s += A[(size_t)p * K + k] * B[(size_t)k * N + jj];
            if (R) s += R[at];
            if (M && !(M[at] > 0.0)) s = 0.0;
            C[at] = s;
        }
}

/* One register tile of C += A^T B: NM rows of C, NV * 4 columns, summed over t. */
MG_TILE void matmul_tn_tile(double *restrict C, const double *restrict A, const double *restrict B,
                            int T, int lda, int ldc, int NM, int NV) {
    v4d acc[2][4];
    for (int i = 0; i < NM; i++)
        for (int v = 0; v < NV; v++) acc[i][v] = load4(C + (size_t)i * ldc + 4 * v);
    for (int t = 0; t < T; t++) {
        v4d b[4];
        for (int v = 0; v < NV; v++) b[v] = load4(B + (size_t)t * ldc + 4 * v);
        for (int i = 0; i < NM; i++) {
            const double a = A[(size_t)t * lda + i];
            for (int v = 0; v < NV; v++) acc[i][v] += b[v] * a;
        }
    }
    for (int i = 0; i < NM; i++)
        for (int v = 0; v < NV; v++) store4(C + (size_t)i * ldc + 4 * v, acc[i][v]);
}

/* C (M, N) += A (T, M)^T B (T, N): a backward sum, so any order. */
static void matmul_tn(double *restrict C, const double *restrict A, const double *restrict B, int T,
                      int M, int N) {
#define MG_TILE_ROWS(NV)                                                                        \
    for (int i = 0; i < M; i += 2) {                                                            \
        if (i + 2 <= M) matmul_tn_tile(C + (size_t)i * N + j, A + i, B + j, T, M, N, 2, NV);    \
        else matmul_tn_tile(C + (size_t)i * N + j, A + i, B + j, T, M, N, 1, NV);               \
    }
    int j = 0;
    for (; j + 16 <= N; j += 16) MG_TILE_ROWS(4)
    if (j + 8 <= N) { MG_TILE_ROWS(2) j += 8; }
    if (j + 4 <= N) { MG_TILE_ROWS(1) j += 4; }
#undef MG_TILE_ROWS
    for (int i = 0; i < M && j < N; i++)
        for (int t = 0; t < T; t++)
            for (int jj = j; jj < N; jj++) C[(size_t)i * N + jj] += A[(size_t)t * M + i] * B[(size_t)t * N + jj];
}

/* Over P positions: y (P, n_out) = x (P, n_in) W^T (+ r), with W given
 * transposed, Wt (n_in, n_out). Every y[p][o] is summed left to right over i
 * from 0.0 and only then gets r[p][o] (the residual), as the reference does. */
static void linear_forward(double *y, const double *restrict x, const double *restrict Wt,
                           const double *r, int P, int n_in, int n_out) {
    matmul(y, x, Wt, r, NULL, P, n_in, n_out);
}

/* Over P positions: dW += dy^T x; dx = dy W (written, not added), zeroed
 * where !(mask > 0) if mask: the input of a ReLU between, so d_h comes out
 * already masked. */
static void linear_backward(double *restrict dx, double *restrict dW, const double *restrict dy,
                            const double *restrict x, const double *restrict W,
                            const double *restrict mask, int P, int n_in, int n_out) {
    matmul_tn(dW, dy, x, P, n_out, n_in);
    matmul(dx, dy, W, NULL, mask, P, n_out, n_in);
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

/* Causal self-attention of one layer over positions p0..p1-1, whose keys and
 * values (and those of all earlier positions) are in k, v (T, E). Head h reads
 * dimensions h*hd .. h*hd+hd-1. att (H, T, T): row pos gets the weights over
 * 0..pos; out (T, E): the heads side by side. Each score is q.k summed left
 * to right over the head's dimensions, each output a left-to-right sum over
 * the positions; with hd % 4 == 0 four such sums advance as one vector. */
MG_TILE void attention_forward_hd(double *restrict out, double *restrict att, const double *restrict q,
                                  const double *restrict k, const double *restrict v, int p0, int p1,
                                  int T, int E, int H, int hd) {
    const double scale = 1.0 / sqrt((double)hd);
    for (int pos = p0; pos < p1; pos++) {
        const double *qp = q + (size_t)pos * E;
        double *op = out + (size_t)pos * E;
        for (int h = 0; h < H; h++) {
            const int hs = h * hd;
            double *w = att + ((size_t)h * T + pos) * T;
            for (int t = 0; t <= pos; t++) {
                const double *kt = k + (size_t)t * E + hs;
                double s = 0.0;
                for (int j = 0; j < hd; j++) s += qp[hs + j] * kt[j];
                w[t] = s * scale;
            }
            softmax_forward(w, w, pos + 1, 1.0, 0);
            if (hd % 4 == 0) {
                for (int c = hs; c < hs + hd; c += 4) {
                    v4d acc = {0.0, 0.0, 0.0, 0.0};
                    for (int t = 0; t <= pos; t++) acc += load4(v + (size_t)t * E + c) * w[t];
                    store4(op + c, acc);
                }
            } else {
                for (int j = hs; j < hs + hd; j++) {
                    double s = 0.0;
                    for (int t = 0; t <= pos; t++) s += w[t] * v[(size_t)t * E + j];
                    op[j] = s;
                }
            }
        }
    }
}

static void attention_forward(double *restrict out, double *restrict att, const double *restrict q,
                              const double *restrict k, const double *restrict v, int p0, int p1, int T,
                              int E, int H) {
    const int hd = E / H; /* 4 in both shipped configs: let the compiler see it */
    if (hd == 4) attention_forward_hd(out, att, q, k, v, p0, p1, T, E, H, 4);
    else attention_forward_hd(out, att, q, k, v, p0, p1, T, E, H, hd);
}

/* Backward of attention_forward over positions 0..n-1: writes dq, dk, dv
 * (rows of stride ld). ds (T, T) is scratch. With w = softmax(s) and
 * g[t] = dout . v[t]: ds[t] = w[t] * (g[t] - sum_u w[u] g[u]) * scale. Each
 * head first fills its ds, then every gradient row is one sum kept in
 * registers: dq[p] = sum_t ds[p][t] k[t], dk[t] = sum_p ds[p][t] q[p],
 * dv[t] = sum_p w[p][t] dout[p]. */
MG_TILE void attention_backward_hd(double *restrict dq, double *restrict dk, double *restrict dv, int ld,
                                   double *restrict ds, const double *restrict dout,
                                   const double *restrict att, const double *restrict q,
                                   const double *restrict k, const double *restrict v, int n, int T,
                                   int E, int H, int hd) {
    const double scale = 1.0 / sqrt((double)hd);
    for (int h = 0; h < H; h++) {
        const int hs = h * hd;
        const double *w = att + (size_t)h * T * T; /* (T, T), row p over 0..p */
        for (int p = 0; p < n; p++) {
            const double *wp = w + (size_t)p * T, *da = dout + (size_t)p * E + hs;
            double *dsp = ds + (size_t)p * T, gsum = 0.0;
            for (int t = 0; t <= p; t++) {
                const double *vt = v + (size_t)t * E + hs;
                double g = 0.0;
                for (int j = 0; j < hd; j++) g += da[j] * vt[j];
                dsp[t] = g;
                gsum += wp[t] * g;
            }
            for (int t = 0; t <= p; t++) dsp[t] = wp[t] * (dsp[t] - gsum) * scale;
        }
        for (int p = 0; p < n; p++) {
            double *dqp = dq + (size_t)p * ld + hs;
            for (int j = 0; j < hd; j++) dqp[j] = 0.0;
            for (int t = 0; t <= p; t++)
                for (int j = 0; j < hd; j++) dqp[j] += ds[(size_t)p * T + t] * k[(size_t)t * E + hs + j];
        }
        for (int t = 0; t < n; t++) {
            double *dkt = dk + (size_t)t * ld + hs, *dvt = dv + (size_t)t * ld + hs;
            for (int j = 0; j < hd; j++) dkt[j] = dvt[j] = 0.0;
            for (int p = t; p < n; p++) {
                const double dsp = ds[(size_t)p * T + t], wp = w[(size_t)p * T + t];
                for (int j = 0; j < hd; j++) {
                    dkt[j] += dsp * q[(size_t)p * E + hs + j];
                    dvt[j] += wp * dout[(size_t)p * E + hs + j];
                }
            }
        }
    }
}

static void attention_backward(double *restrict dq, double *restrict dk, double *restrict dv, int ld,
                               double *restrict ds, const double *restrict dout, const double *restrict att,
                               const double *restrict q, const double *restrict k,
                               const double *restrict v, int n, int T, int E, int H) {
    const int hd = E / H;
    if (hd == 4) attention_backward_hd(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H, 4);
    else attention_backward_hd(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H, hd);
}

/* ------------------------------------------------------------------------ */
/* forward */

/* Positions p0..p1-1 (token of p is tok[p - p0]), layer by layer: the
 * positions' keys and values (0..p1-1 all in the cache) are ready before the
 * attention that reads them, so every matrix product runs over all the
 * positions at once. Each value is still the very sum the reference takes. */
static void forward_range(mg_acts *a, mg_model *m, const int32_t *tok, int p0, int p1) {
    sync_transposed(m);
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
        attention_forward(a->att_out + l0, a->att + (size_t)l * H * T * T, a->q + l0, a->k + l0, a->v + l0,
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

void mg_forward_position(mg_acts *a, mg_model *m, int token, int pos) {
    int32_t tok = token;
    forward_range(a, m, &tok, pos, pos + 1);
}

double mg_forward_loss(mg_acts *a, mg_model *m, const int32_t *tokens, int n) {
    const int V = a->V;
    forward_range(a, m, tokens, 0, n);
    double sum = 0.0;
    for (int pos = 0; pos < n; pos++) {
        double *p = a->probs + (size_t)pos * V;
        softmax_forward(p, a->logits + (size_t)pos * V, V, 1.0, 0);
        sum += -log(p[tokens[pos + 1]]);
    }
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
        attention_backward(d_qkv, d_qkv + E, d_qkv + 2 * E, E3, ds, d_a, a->att + (size_t)l * H * T * T,
                           a->q + lte, a->k + lte, a->v + lte, n, T, E, H);
        d_xn = a->d_xm;
        linear_backward(d_xn, grads + tq->offset, d_qkv, a->xn1 + lte, P + tq->offset, NULL, n, E, E3);
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
