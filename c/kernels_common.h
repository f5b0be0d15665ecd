/*
 * kernels_common.h - what kernels_native.c and kernels_wasm.c share
 * (kernels_common.c): the loops for every shape, in the order kernels.h
 * promises. Private to the kernel files.
 */
#ifndef MG_KERNELS_COMMON_H
#define MG_KERNELS_COMMON_H

#include <string.h>

/* Four doubles as one value: GCC and clang map it to AVX or wasm SIMD. */
typedef double mg_v4d __attribute__((vector_size(32)));
typedef long long mg_v4i __attribute__((vector_size(32)));
static inline mg_v4d mg_load4(const double *p) { mg_v4d v; memcpy(&v, p, sizeof v); return v; }
static inline void mg_store4(double *p, mg_v4d v) { memcpy(p, &v, sizeof v); }

/* Tile kernels take their tile shape as constants: forced inlining turns
 * their little arrays of sums into registers. */
#define MG_TILE static inline __attribute__((always_inline))

/* Columns j..N-1 of mg_matmul, one plain sum each: what the vector tiles
 * leave over when N is not a multiple of their width. */
void mg_matmul_last_cols(double *C, const double *A, const double *B, const double *R, const double *M,
                         int P, int K, int N, int j);
/* Columns j..N-1 of mg_matmul_tn. */
void mg_matmul_tn_last_cols(double *C, const double *A, const double *B, int T, int M, int N, int j);

/* mg_adam_update's and mg_adam_delta's plain loops, for dials i0..n-1. */
void mg_adam_update_plain(double *p, double *m, double *v, const double *g, size_t i0, size_t n,
                          const mg_adam_step *k);
void mg_adam_delta_plain(double *up, const double *m, const double *v, size_t i0, size_t n,
                         const mg_adam_step *k);

/* The softmax as the reference takes it, with libm's exp. */
void mg_softmax_plain(double *p, const double *z, int n, double inv_temp, int scale);

/* mg_attention_forward for heads h0..h1-1 only, any head size; each row's
 * softmax is the build's mg_softmax_kernel. */
void mg_attention_forward_heads(double *out, double *att, const double *q, const double *k, const double *v,
                                int p0, int p1, int T, int E, int H, int h0, int h1);

/* Heads h..h+G-1 of head size 4 at position pos, one head in each of the G
 * lanes of a build's vectors (exp: the build's exp constants); 0, having
 * written nothing, if an exp needs the scalar path. */
typedef int mg_head_group_fn(double *out_pos, double *att, const double *q_pos, const double *k,
                             const double *v, int pos, int T, int E, int h, const void *exp);

/* mg_attention_forward with head size 4: the heads G at a time by group, the
 * rest (and a group an exp sent to the scalar path) by
 * mg_attention_forward_heads; any other head size by that alone. */
MG_TILE void mg_attention_forward_grouped(double *out, double *att, const double *q, const double *k,
                                          const double *v, int p0, int p1, int T, int E, int H, int G,
                                          mg_head_group_fn *group, const void *exp) {
    if (E / H != 4) {
        mg_attention_forward_heads(out, att, q, k, v, p0, p1, T, E, H, 0, H);
        return;
    }
    for (int pos = p0; pos < p1; pos++) {
        int h = 0;
        for (; h + G <= H; h += G)
            if (!group(out + (size_t)pos * E, att, q + (size_t)pos * E, k, v, pos, T, E, h, exp))
                mg_attention_forward_heads(out, att, q, k, v, pos, pos + 1, T, E, H, h, h + G);
        if (h < H) mg_attention_forward_heads(out, att, q, k, v, pos, pos + 1, T, E, H, h, H);
    }
}

/* mg_attention_backward for any head size. */
void mg_attention_backward_any(double *dq, double *dk, double *dv, int ld, double *ds, const double *dout,
                               const double *att, const double *q, const double *k, const double *v, int n,
                               int T, int E, int H);

#endif
