/* model.c - Ming's model: the parameter table, one position forward with a
 * KV cache, the loss, and the hand-written backward pass (SPEC.md section 3).
 *
 * Parity rule: every forward sum runs left to right from 0.0, exactly as the
 * reference does, so forward values match it to the last bit. Independent
 * sums (different output rows) may run side by side. Backward sums may run
 * in any order; the reference differs there by rounding only. The wasm
 * build's softmaxes take their exps from exp_f64x2, not libc: within an ulp. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "microgpt.h"
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

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
/* ops: each a forward / backward pair, outputs first, then inputs, weights, sizes */

/* The tile kernels below take their tile shape as constants: forced inlining
 * turns their little arrays of sums into registers. */
#define MG_TILE static inline __attribute__((always_inline))

/* Columns j..N-1 of C = A B (+ R, masked by M), one plain sum each: what the
 * vector tiles leave over when N is not a multiple of their width. */
static void matmul_last_cols(double *C, const double *restrict A, const double *restrict B,
                             const double *R, const double *restrict M, int P, int K, int N, int j) {
    for (int p = 0; p < P && j < N; p++)
        for (int jj = j; jj < N; jj++) {
            size_t at = (size_t)p * N + jj;
            double s = 0.0;
            for (int k = 0; k < K; k++) s += A[(size_t)p * K + k] * B[(size_t)k * N + jj];
            if (R) s += R[at];
            if (M && !(M[at] > 0.0)) s = 0.0;
            C[at] = s;
        }
}

#ifdef __wasm_simd128__
/* WebAssembly has 2-wide vectors and the engines 16 vector registers (x64):
 * the same sums, in the same order, in tiles that fit those registers. */
/* One register tile of C = A B: NP rows of C, NV * 2 columns; as the
 * native matmul_tile says (sums left to right over k from 0.0, then + R,
 * then the mask M). */
MG_TILE void matmul_tile2(double *C, const double *restrict A, const double *restrict B, const double *R,
                          const double *restrict M, int K, int ldc, int NP, int NV) {
    v128_t acc[2][4];
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++) acc[p][v] = wasm_f64x2_splat(0.0);
    const double *bk = B, *ak = A, *const aend = A + K;
#pragma clang loop unroll(disable)
    for (; ak < aend; ak++, bk += ldc) {
        v128_t b[4];
        for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(bk + 2 * v);
        for (int p = 0; p < NP; p++) {
            const v128_t a = wasm_v128_load64_splat(ak + (size_t)p * K);
            for (int v = 0; v < NV; v++) acc[p][v] = wasm_f64x2_add(acc[p][v], wasm_f64x2_mul(b[v], a));
        }
    }
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++) {
            size_t at = (size_t)p * ldc + 2 * v;
            v128_t c = acc[p][v];
            if (R) c = wasm_f64x2_add(c, wasm_v128_load(R + at));
            if (M) c = wasm_v128_and(c, wasm_f64x2_gt(wasm_v128_load(M + at), wasm_f64x2_splat(0.0)));
            wasm_v128_store(C + at, c);
        }
}

/* Rows p..p+NP-1 of C = A B (+ R) (masked by M) in tiles of NP x 2 NV, then
 * narrower ones; returns the first column left (N odd). */
MG_TILE int matmul_rows(double *C, const double *restrict A, const double *restrict B, const double *R,
                        const double *restrict M, int p, int K, int N, int NP, int NV) {
    int j = 0;
#define MG_AT(nv)                                                                               \
    {                                                                                           \
        size_t at = (size_t)p * N + j;                                                          \
        matmul_tile2(C + at, A + (size_t)p * K, B + j, R ? R + at : NULL, M ? M + at : NULL,    \
                     K, N, NP, nv);                                                             \
        j += 2 * (nv);                                                                          \
    }
    while (j + 2 * NV <= N) MG_AT(NV)
    if (NV > 2 && j + 4 <= N) MG_AT(2)
    if (NV > 1 && j + 2 <= N) MG_AT(1)
#undef MG_AT
    return j;
}

/* C (P, N) = A (P, K) B (K, N) (+ R) (masked by M): 2 rows x 8 columns at a
 * time (13 of the 16 vector registers). */
static void matmul(double *C, const double *restrict A, const double *restrict B, const double *R,
                   const double *restrict M, int P, int K, int N) {
    int p = 0, j = N;
    for (; p + 2 <= P; p += 2) j = matmul_rows(C, A, B, R, M, p, K, N, 2, 4);
    if (p < P) j = matmul_rows(C, A, B, R, M, p, K, N, 1, 4);
    matmul_last_cols(C, A, B, R, M, P, K, N, j); /* the last column if N is odd */
}

/* One register tile of C += A^T B: NM rows of C, NV * 2 columns, summed over t. */
MG_TILE void matmul_tn_tile2(double *restrict C, const double *restrict A, const double *restrict B,
                             int T, int lda, int ldc, int NM, int NV) {
    v128_t acc[2][4];
    for (int i = 0; i < NM; i++)
        for (int v = 0; v < NV; v++) acc[i][v] = wasm_v128_load(C + (size_t)i * ldc + 2 * v);
    const double *bt = B, *at = A;
#pragma clang loop unroll(disable)
    for (int t = 0; t < T; t++, at += lda, bt += ldc) {
        v128_t b[4];
        for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(bt + 2 * v);
        for (int i = 0; i < NM; i++) {
            const v128_t a = wasm_v128_load64_splat(at + i);
            for (int v = 0; v < NV; v++) acc[i][v] = wasm_f64x2_add(acc[i][v], wasm_f64x2_mul(b[v], a));
        }
    }
    for (int i = 0; i < NM; i++)
        for (int v = 0; v < NV; v++) wasm_v128_store(C + (size_t)i * ldc + 2 * v, acc[i][v]);
}

MG_TILE int matmul_tn_rows(double *restrict C, const double *restrict A, const double *restrict B,
                           int i, int T, int M, int N, int NM, int NV) {
    int j = 0;
#define MG_AT(nv)                                                                               \
    {                                                                                           \
        matmul_tn_tile2(C + (size_t)i * N + j, A + i, B + j, T, M, N, NM, nv);                  \
        j += 2 * (nv);                                                                          \
    }
    while (j + 2 * NV <= N) MG_AT(NV)
    if (NV > 2 && j + 4 <= N) MG_AT(2)
    if (NV > 1 && j + 2 <= N) MG_AT(1)
#undef MG_AT
    return j;
}

/* C (M, N) += A (T, M)^T B (T, N), tiled as matmul. */
static void matmul_tn(double *restrict C, const double *restrict A, const double *restrict B, int T,
                      int M, int N) {
    int i = 0, j = N;
    for (; i + 2 <= M; i += 2) j = matmul_tn_rows(C, A, B, i, T, M, N, 2, 4);
    if (i < M) j = matmul_tn_rows(C, A, B, i, T, M, N, 1, 4);
    for (i = 0; i < M && j < N; i++)
        for (int t = 0; t < T; t++)
            for (int jj = j; jj < N; jj++) C[(size_t)i * N + jj] += A[(size_t)t * M + i] * B[(size_t)t * N + jj];
}
#else /* native: 4-wide vectors */

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
    matmul_last_cols(C, A, B, R, M, P, K, N, j); /* the last N % 4 columns */
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

#endif

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
static void softmax_scalar(double *p, const double *z, int n, double inv_temp,
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

#ifdef __wasm_simd128__
/* exp of two doubles at once, for the wasm build's softmaxes: a call to the
 * libc exp per element costs more than the exp (the engines keep nothing in
 * registers across a call). e^x = 2^(k/N) e^r with N = 128:
 *  - k = x N/ln2 rounded to nearest: adding 1.5 * 2^52 leaves k in the low
 *    bits of the sum, and subtracting it again gives k as a double;
 *  - r = x - k ln2/N with ln2/N = hi + lo (Cody-Waite): hi has 33 bits, so
 *    k hi is exact for |k| < 2^20, and |r| <= ln2/(2N) < 0.0028;
 *  - 2^(k/N) = 2^floor(k/N) 2^(j/N), j = k mod N: exp_tab holds 2^(j/N) as a
 *    double T and a relative tail t (2^(j/N) = T (1 + t), |t| < 2^-52), and
 *    floor(k/N) is added to T's exponent bits, giving s;
 *  - e^r - 1 = r + r^2/2! + ... + r^5/5!: the next term, r^6/6!, is < 2^-60;
 *  - e^x = s + s (t + (e^r - 1)), rounded once at the end (t (e^r - 1),
 *    dropped, is < 2^-60 too).
 * Measured error: at most 0.510 ulp (10^7 random x in [-40, 0], 10^7 in
 * (-700, 700) and the ends of every r interval, against a long double exp):
 * the correctly rounded e^x or a neighbour. It is musl's exp in 99.9% of
 * cases and 1 ulp away in the rest.
 * Lanes with |x| >= 700 or NaN clear *ok: the caller takes the scalar exp
 * there (no call inside the vector loops). */
#define MG_EXP_BITS 7
#define MG_EXP_N (1 << MG_EXP_BITS)
static double exp_tab[2 * MG_EXP_N] __attribute__((aligned(16))); /* {T, t} for j = 0..N-1 */

/* a^2 = *hi + *lo exactly (Dekker: a in halves of 26 bits, whose products are exact) */
static void exact_square(double a, double *hi, double *lo) {
    const double c = 134217729.0 * a; /* 2^27 + 1 */
    const double ah = c - (c - a), al = a - ah;
    *hi = a * a;
    *lo = ((ah * ah - *hi) + 2.0 * ah * al) + al * al;
}

/* T = exp2(j/N) is within an ulp of 2^(j/N). T^N, squared 7 times in
 * double-double (about 100 good bits), is 2^j (1 + e), and then
 * 2^(j/N) = T (1 + e)^(-1/N) = T (1 - e/N + O(e^2)): t = -e/N, and T (1 + t)
 * is 2^(j/N) to 2^-100. */
static void exp_tab_init(void) {
    for (int j = 0; j < MG_EXP_N; j++) {
        const double T = exp2((double)j / MG_EXP_N);
        double h = T, l = 0.0;
        for (int i = 0; i < MG_EXP_BITS; i++) { /* (h + l)^2, l^2 dropped */
            double sh, sl;
            exact_square(h, &sh, &sl);
            sl += 2.0 * h * l;
            h = sh + sl;
            l = sl - (h - sh);
        }
        const double p = ldexp(1.0, j), e = ((h - p) + l) / p; /* h - p is exact */
        exp_tab[2 * j] = T;
        exp_tab[2 * j + 1] = -e / MG_EXP_N;
    }
}

typedef struct { v128_t n_ln2, shift, ln2_hi, ln2_lo, c2, c3, c4, c5, big; } mg_expk;
static inline mg_expk exp_consts(void) {
    static int ready;
    if (!ready) {
        exp_tab_init();
        ready = 1;
    }
    mg_expk c;
    c.n_ln2 = wasm_f64x2_splat(0x1.71547652b82fep7); /* N / ln2 */
    c.shift = wasm_f64x2_splat(0x1.8p52);
    c.ln2_hi = wasm_f64x2_splat(0x1.62e42fefp-8); /* ln2 / N: its first 33 bits */
    c.ln2_lo = wasm_f64x2_splat(0x1.473de6af278edp-41); /* and the rest */
    c.c2 = wasm_f64x2_splat(1.0 / 2);
    c.c3 = wasm_f64x2_splat(1.0 / 6);
    c.c4 = wasm_f64x2_splat(1.0 / 24);
    c.c5 = wasm_f64x2_splat(1.0 / 120);
    c.big = wasm_f64x2_splat(700.0);
    return c;
}

static inline v128_t exp_f64x2(v128_t x, const mg_expk *c, v128_t *ok) {
    const v128_t kb = wasm_f64x2_add(wasm_f64x2_mul(x, c->n_ln2), c->shift); /* k in the low bits */
    const v128_t k = wasm_f64x2_sub(kb, c->shift);
    const v128_t r = wasm_f64x2_sub(wasm_f64x2_sub(x, wasm_f64x2_mul(k, c->ln2_hi)), wasm_f64x2_mul(k, c->ln2_lo));
    const v128_t e0 = wasm_v128_load(exp_tab + 2 * (wasm_i64x2_extract_lane(kb, 0) & (MG_EXP_N - 1)));
    const v128_t e1 = wasm_v128_load(exp_tab + 2 * (wasm_i64x2_extract_lane(kb, 1) & (MG_EXP_N - 1)));
    /* the bits of 1.5 * 2^52 shift out: floor(k/N) lands in the exponent */
    const v128_t s = wasm_i64x2_add(wasm_i64x2_shuffle(e0, e1, 0, 2),
                                    wasm_i64x2_shl(wasm_i64x2_shr(kb, MG_EXP_BITS), 52));
    const v128_t t = wasm_i64x2_shuffle(e0, e1, 1, 3);
    const v128_t r2 = wasm_f64x2_mul(r, r);
    const v128_t p23 = wasm_f64x2_mul(r2, wasm_f64x2_add(c->c2, wasm_f64x2_mul(r, c->c3)));
    const v128_t p45 = wasm_f64x2_mul(wasm_f64x2_mul(r2, r2), wasm_f64x2_add(c->c4, wasm_f64x2_mul(r, c->c5)));
    const v128_t em1 = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_add(t, p45), p23), r); /* small terms first */
    *ok = wasm_v128_and(*ok, wasm_f64x2_lt(wasm_f64x2_abs(x), c->big));
    return wasm_f64x2_add(s, wasm_f64x2_mul(s, em1));
}

/* p = softmax(z * inv_temp) as softmax_scalar computes it, but for the exps,
 * two at a time (p may be z). The max and min come two lanes at a time: the
 * same max (a -0 / +0 tie may pick the other zero, which changes no z - mx);
 * if some z - mx is -700 or less, or NaN, all of it goes to softmax_scalar. */
static void softmax_forward(double *p, const double *z, int n, double inv_temp,
                            int scale_logits) {
    const v128_t vt = wasm_f64x2_splat(inv_temp);
    v128_t hi = wasm_v128_load64_splat(z);
    if (scale_logits) hi = wasm_f64x2_mul(hi, vt);
    v128_t lo = hi;
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        v128_t zi = wasm_v128_load(z + i);
        if (scale_logits) zi = wasm_f64x2_mul(zi, vt);
        hi = wasm_f64x2_pmax(hi, zi); /* "if (zi > mx) mx = zi" */
        lo = wasm_f64x2_min(lo, zi);  /* NaN if any is */
    }
    if (i < n) {
        v128_t zi = wasm_v128_load64_splat(z + i);
        if (scale_logits) zi = wasm_f64x2_mul(zi, vt);
        hi = wasm_f64x2_pmax(hi, zi);
        lo = wasm_f64x2_min(lo, zi);
    }
    const double h0 = wasm_f64x2_extract_lane(hi, 0), h1 = wasm_f64x2_extract_lane(hi, 1);
    const double mx = h1 > h0 ? h1 : h0;
    if (!(wasm_f64x2_extract_lane(lo, 0) - mx > -700.0 && wasm_f64x2_extract_lane(lo, 1) - mx > -700.0)) {
        softmax_scalar(p, z, n, inv_temp, scale_logits);
        return;
    }
    const v128_t vm = wasm_f64x2_splat(mx);
    const mg_expk ek = exp_consts();
    v128_t ok = wasm_i64x2_splat(-1); /* stays set: every |z - mx| < 700 */
    double t = 0.0;
    for (i = 0; i + 2 <= n; i += 2) {
        v128_t zi = wasm_v128_load(z + i);
        if (scale_logits) zi = wasm_f64x2_mul(zi, vt);
        const v128_t e = exp_f64x2(wasm_f64x2_sub(zi, vm), &ek, &ok);
        wasm_v128_store(p + i, e);
        t += wasm_f64x2_extract_lane(e, 0);
        t += wasm_f64x2_extract_lane(e, 1);
    }
    if (i < n) {
        v128_t zi = wasm_v128_load64_splat(z + i);
        if (scale_logits) zi = wasm_f64x2_mul(zi, vt);
        const v128_t e = exp_f64x2(wasm_f64x2_sub(zi, vm), &ek, &ok);
        wasm_v128_store64_lane(p + i, e, 0);
        t += wasm_f64x2_extract_lane(e, 0);
    }
    const v128_t inv = wasm_f64x2_splat(1.0 / t);
    for (i = 0; i + 2 <= n; i += 2) wasm_v128_store(p + i, wasm_f64x2_mul(wasm_v128_load(p + i), inv));
    if (i < n) p[i] *= 1.0 / t;
}
#else
static void softmax_forward(double *p, const double *z, int n, double inv_temp,
                            int scale_logits) {
    softmax_scalar(p, z, n, inv_temp, scale_logits);
}
#endif

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
                                  int T, int E, int h0, int h1, int hd) {
    const double scale = 1.0 / sqrt((double)hd);
    for (int pos = p0; pos < p1; pos++) {
        const double *qp = q + (size_t)pos * E;
        double *op = out + (size_t)pos * E;
        for (int h = h0; h < h1; h++) {
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

#ifdef __wasm_simd128__
/* Heads h and h + 1 of head size 4 at position pos, one head in each lane:
 * lane by lane the very sums of attention_forward_hd (scores summed left to
 * right over the 4 dimensions, the softmax's max, exps, left-to-right sum and
 * 1/sum, the outputs summed left to right over the positions). Returns 0,
 * having written nothing, if an exp needs the scalar path. */
static int attention_pair4(double *restrict op, double *restrict w0, double *restrict w1,
                           const double *restrict qp, const double *restrict k, const double *restrict v,
                           int pos, int E, int hs, const mg_expk *ek) {
    v128_t s[MG_MAX_BLOCK];
    const v128_t qa = wasm_v128_load(qp + hs), qb = wasm_v128_load(qp + hs + 2);
    const v128_t qc = wasm_v128_load(qp + hs + 4), qd = wasm_v128_load(qp + hs + 6);
    const v128_t q0 = wasm_i64x2_shuffle(qa, qc, 0, 2), q1 = wasm_i64x2_shuffle(qa, qc, 1, 3);
    const v128_t q2 = wasm_i64x2_shuffle(qb, qd, 0, 2), q3 = wasm_i64x2_shuffle(qb, qd, 1, 3);
    const v128_t scale = wasm_f64x2_splat(0.5); /* 1 / sqrt(4) */
    v128_t mx = wasm_f64x2_splat(0.0);
    for (int t = 0; t <= pos; t++) {
        const double *kt = k + (size_t)t * E + hs;
        const v128_t ka = wasm_v128_load(kt), kb = wasm_v128_load(kt + 2);
        const v128_t kc = wasm_v128_load(kt + 4), kd = wasm_v128_load(kt + 6);
        v128_t acc = wasm_f64x2_add(wasm_f64x2_splat(0.0), wasm_f64x2_mul(q0, wasm_i64x2_shuffle(ka, kc, 0, 2)));
        acc = wasm_f64x2_add(acc, wasm_f64x2_mul(q1, wasm_i64x2_shuffle(ka, kc, 1, 3)));
        acc = wasm_f64x2_add(acc, wasm_f64x2_mul(q2, wasm_i64x2_shuffle(kb, kd, 0, 2)));
        acc = wasm_f64x2_add(acc, wasm_f64x2_mul(q3, wasm_i64x2_shuffle(kb, kd, 1, 3)));
        acc = wasm_f64x2_mul(acc, scale);
        s[t] = acc;
        mx = t ? wasm_f64x2_pmax(mx, acc) : acc; /* "if (s > mx) mx = s" */
    }
    v128_t ok = wasm_i64x2_splat(-1), sum = wasm_f64x2_splat(0.0);
    for (int t = 0; t <= pos; t++) {
        s[t] = exp_f64x2(wasm_f64x2_sub(s[t], mx), ek, &ok);
        sum = wasm_f64x2_add(sum, s[t]);
    }
    if (__builtin_expect(!wasm_i64x2_all_true(ok), 0)) return 0;
    const v128_t inv = wasm_f64x2_div(wasm_f64x2_splat(1.0), sum);
    v128_t o0 = wasm_f64x2_splat(0.0), o1 = o0, o2 = o0, o3 = o0;
    for (int t = 0; t <= pos; t++) {
        const v128_t w = wasm_f64x2_mul(s[t], inv);
        wasm_v128_store64_lane(w0 + t, w, 0);
        wasm_v128_store64_lane(w1 + t, w, 1);
        const v128_t wa = wasm_i64x2_shuffle(w, w, 0, 0), wb = wasm_i64x2_shuffle(w, w, 1, 1);
        const double *vt = v + (size_t)t * E + hs;
        o0 = wasm_f64x2_add(o0, wasm_f64x2_mul(wasm_v128_load(vt), wa));
        o1 = wasm_f64x2_add(o1, wasm_f64x2_mul(wasm_v128_load(vt + 2), wa));
        o2 = wasm_f64x2_add(o2, wasm_f64x2_mul(wasm_v128_load(vt + 4), wb));
        o3 = wasm_f64x2_add(o3, wasm_f64x2_mul(wasm_v128_load(vt + 6), wb));
    }
    wasm_v128_store(op + hs, o0);
    wasm_v128_store(op + hs + 2, o1);
    wasm_v128_store(op + hs + 4, o2);
    wasm_v128_store(op + hs + 6, o3);
    return 1;
}
#endif

static void attention_forward(double *restrict out, double *restrict att, const double *restrict q,
                              const double *restrict k, const double *restrict v, int p0, int p1, int T,
                              int E, int H) {
    const int hd = E / H; /* 4 in both shipped configs: let the compiler see it */
#ifdef __wasm_simd128__
    if (hd == 4) {
        const mg_expk ek = exp_consts();
        for (int pos = p0; pos < p1; pos++) {
            int h = 0;
            for (; h + 2 <= H; h += 2) {
                double *w0 = att + ((size_t)h * T + pos) * T, *w1 = w0 + (size_t)T * T;
                if (!attention_pair4(out + (size_t)pos * E, w0, w1, q + (size_t)pos * E, k, v, pos, E, h * 4, &ek))
                    attention_forward_hd(out, att, q, k, v, pos, pos + 1, T, E, h, h + 2, 4);
            }
            if (h < H) attention_forward_hd(out, att, q, k, v, pos, pos + 1, T, E, h, H, 4);
        }
        return;
    }
#endif
    if (hd == 4) attention_forward_hd(out, att, q, k, v, p0, p1, T, E, 0, H, 4);
    else attention_forward_hd(out, att, q, k, v, p0, p1, T, E, 0, H, hd);
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

#ifdef __wasm_simd128__
/* attention_backward_hd for head size 4 with 2-wide vectors: the same sums in
 * the same order. The scores' gradients g[t] = dout . v[t] (each a left to
 * right sum over the 4 dimensions) two positions t at a time, one in each
 * lane; gsum and the rest as there. */
static void attention_backward4(double *restrict dq, double *restrict dk, double *restrict dv, int ld,
                                double *restrict ds, const double *restrict dout,
                                const double *restrict att, const double *restrict q,
                                const double *restrict k, const double *restrict v, int n, int T, int E,
                                int H) {
    const v128_t scale = wasm_f64x2_splat(0.5), zero = wasm_f64x2_splat(0.0); /* 1 / sqrt(4) */
    for (int h = 0; h < H; h++) {
        const int hs = h * 4;
        const double *w = att + (size_t)h * T * T; /* (T, T), row p over 0..p */
        for (int p = 0; p < n; p++) {
            const double *wp = w + (size_t)p * T, *da = dout + (size_t)p * E + hs;
            double *dsp = ds + (size_t)p * T, gsum = 0.0;
            const v128_t d0 = wasm_v128_load64_splat(da), d1 = wasm_v128_load64_splat(da + 1);
            const v128_t d2 = wasm_v128_load64_splat(da + 2), d3 = wasm_v128_load64_splat(da + 3);
            int t = 0;
            for (; t + 1 <= p; t += 2) {
                const double *vt = v + (size_t)t * E + hs;
                const v128_t a01 = wasm_v128_load(vt), a23 = wasm_v128_load(vt + 2);
                const v128_t b01 = wasm_v128_load(vt + E), b23 = wasm_v128_load(vt + E + 2);
                v128_t g = wasm_f64x2_add(zero, wasm_f64x2_mul(d0, wasm_i64x2_shuffle(a01, b01, 0, 2)));
                g = wasm_f64x2_add(g, wasm_f64x2_mul(d1, wasm_i64x2_shuffle(a01, b01, 1, 3)));
                g = wasm_f64x2_add(g, wasm_f64x2_mul(d2, wasm_i64x2_shuffle(a23, b23, 0, 2)));
                g = wasm_f64x2_add(g, wasm_f64x2_mul(d3, wasm_i64x2_shuffle(a23, b23, 1, 3)));
                wasm_v128_store(dsp + t, g);
                const v128_t wg = wasm_f64x2_mul(wasm_v128_load(wp + t), g);
                gsum += wasm_f64x2_extract_lane(wg, 0);
                gsum += wasm_f64x2_extract_lane(wg, 1);
            }
            if (t <= p) {
                const double *vt = v + (size_t)t * E + hs;
                double g = 0.0;
                for (int j = 0; j < 4; j++) g += da[j] * vt[j];
                dsp[t] = g;
                gsum += wp[t] * g;
            }
            const v128_t gs = wasm_f64x2_splat(gsum);
            for (t = 0; t + 1 <= p; t += 2)
                wasm_v128_store(dsp + t, wasm_f64x2_mul(wasm_f64x2_mul(wasm_v128_load(wp + t),
                                                                       wasm_f64x2_sub(wasm_v128_load(dsp + t), gs)),
                                                        scale));
            if (t <= p) dsp[t] = wp[t] * (dsp[t] - gsum) * 0.5;
        }
        for (int p = 0; p < n; p++) {
            const double *dsp = ds + (size_t)p * T;
            v128_t a = zero, b = zero;
            for (int t = 0; t <= p; t++) {
                const v128_t d = wasm_v128_load64_splat(dsp + t);
                const double *kt = k + (size_t)t * E + hs;
                a = wasm_f64x2_add(a, wasm_f64x2_mul(d, wasm_v128_load(kt)));
                b = wasm_f64x2_add(b, wasm_f64x2_mul(d, wasm_v128_load(kt + 2)));
            }
            wasm_v128_store(dq + (size_t)p * ld + hs, a);
            wasm_v128_store(dq + (size_t)p * ld + hs + 2, b);
        }
        for (int t = 0; t < n; t++) {
            v128_t ka = zero, kb = zero, va = zero, vb = zero;
            for (int p = t; p < n; p++) {
                const v128_t d = wasm_v128_load64_splat(ds + (size_t)p * T + t);
                const v128_t wpt = wasm_v128_load64_splat(w + (size_t)p * T + t);
                const double *qp = q + (size_t)p * E + hs, *op = dout + (size_t)p * E + hs;
                ka = wasm_f64x2_add(ka, wasm_f64x2_mul(d, wasm_v128_load(qp)));
                kb = wasm_f64x2_add(kb, wasm_f64x2_mul(d, wasm_v128_load(qp + 2)));
                va = wasm_f64x2_add(va, wasm_f64x2_mul(wpt, wasm_v128_load(op)));
                vb = wasm_f64x2_add(vb, wasm_f64x2_mul(wpt, wasm_v128_load(op + 2)));
            }
            wasm_v128_store(dk + (size_t)t * ld + hs, ka);
            wasm_v128_store(dk + (size_t)t * ld + hs + 2, kb);
            wasm_v128_store(dv + (size_t)t * ld + hs, va);
            wasm_v128_store(dv + (size_t)t * ld + hs + 2, vb);
        }
    }
}
#endif

static void attention_backward(double *restrict dq, double *restrict dk, double *restrict dv, int ld,
                               double *restrict ds, const double *restrict dout, const double *restrict att,
                               const double *restrict q, const double *restrict k,
                               const double *restrict v, int n, int T, int E, int H) {
    const int hd = E / H;
#ifdef __wasm_simd128__
    if (hd == 4) {
        attention_backward4(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H);
        return;
    }
#endif
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
