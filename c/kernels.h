/*
 * kernels.h - the model's hot loops: matrix products, softmax, attention,
 * the transposition of a matrix, Adam's update and rmsnorm's x^-0.5.
 * model.c says what is computed; these say
 * how fast. One interface, two implementations: kernels_native.c (4-wide
 * vectors) and kernels_wasm.c (WebAssembly's 2-wide vectors); both take the
 * softmaxes' exps from the project's own exp (exp_vec.h), and
 * kernels_common.c holds the loops both share.
 *
 * What each build promises (tests/core/kernels.test.mjs checks it against
 * the plain scalar loops in reference order, tests/core/kernels.c):
 *  - every forward sum runs left to right from 0.0, as the reference does;
 *    independent sums (other outputs) advance side by side in vectors;
 *  - the backward sums run in one fixed order too (over t ascending), so
 *    both builds' kernels equal those loops bit for bit;
 *  - but for the exps: the softmax (and the attention's, which calls it)
 *    takes them from exp_vec.h (at most 0.51 ulp off; libm's exp in 99.9% of
 *    cases), so its values may differ from the loop's with libm's exp by an
 *    ulp or so: within 1e-15 of max(1, |value|);
 *  - the two builds give the same bits: the same sums, the same exp.
 */
#ifndef MG_KERNELS_H
#define MG_KERNELS_H

/* C (P, N) = A (P, K) B (K, N): each C[p][j] summed left to right over k from
 * 0.0, then + R[p][j] if R (a residual), then 0 where !(M[p][j] > 0) if M (a
 * ReLU's mask). */
void mg_matmul(double *C, const double *A, const double *B, const double *R, const double *M, int P,
               int K, int N);

/* C (M, N) = A (T, M)^T B (T, N), each C[i][j] summed over t ascending from 0.0. */
void mg_matmul_tn(double *C, const double *A, const double *B, int T, int M, int N);

/* dst (C, R) = src (R, C) transposed. */
void mg_transpose(double *dst, const double *src, int R, int C);

/* p = softmax(z * inv_temp) (scale 0: softmax(z), no multiply), as the
 * reference takes it: the max, exp(z - max), their left-to-right sum, then
 * each times 1/sum. p may be z. */
void mg_softmax_kernel(double *p, const double *z, int n, double inv_temp, int scale);

/* p = softmax(z) row by row for rows rows of n (row r at z + r n, p + r n;
 * p may be z): each row's values those of mg_softmax_kernel (scale 0), bit
 * for bit. Natively four rows at a time, one in each lane. */
void mg_softmax_rows(double *p, const double *z, int rows, int n);

/* Causal self-attention of one layer at positions p0..p1-1, whose keys and
 * values (and those of every earlier position) are in k, v (T, E); q too
 * (T, E). Head h reads dimensions h*hd .. h*hd + hd-1 (hd = E / H). att
 * (H, T, T): row pos of head h gets the weights over 0..pos; out (T, E): the
 * heads side by side. Scores q.k / sqrt(hd) sum left to right over the
 * head's dimensions, outputs left to right over the positions. */
void mg_attention_forward(double *out, double *att, const double *q, const double *k, const double *v,
                          int p0, int p1, int T, int E, int H);

/* Backward of mg_attention_forward over positions 0..n-1: writes dq, dk, dv
 * (rows of stride ld), given dout (T, E) and the forward's att, q, k, v. ds
 * (T, T) is scratch. */
void mg_attention_backward(double *dq, double *dk, double *dv, int ld, double *ds, const double *dout,
                           const double *att, const double *q, const double *k, const double *v, int n,
                           int T, int E, int H);

/* Adam's constants for one step (adam.c): the moments' decays, eps, and the
 * step's learning rate and reciprocal bias corrections. */
typedef struct { double b1, b2, eps, lr_t, ic1, ic2; } mg_adam_step;

/* Adam's update of n dials, each as the plain formula rounds it: m = b1 m +
 * (1 - b1) g, v = b2 v + (1 - b2) (g g), delta = lr_t (m ic1) / (sqrt(v ic2)
 * + eps), p -= delta. Natively with AVX-512 the quotient comes from
 * vrcp14pd, two Newton steps and one fused correction (Markstein's), which
 * keeps the divider for the square roots: the correctly rounded quotient,
 * equal to the division's in every case tests/core/kernels.c tries. */
void mg_adam_update(double *p, double *m, double *v, const double *g, size_t n, const mg_adam_step *k);

/* up = -delta of the update that left the moments m, v (n), as
 * mg_adam_update computed it: the same bits. Adam's stream of last changes
 * is written only when read (adam.c), not at every step: a stream less
 * through the cache. */
void mg_adam_delta(double *up, const double *m, const double *v, size_t n, const mg_adam_step *k);

/* x^-0.5, correctly rounded (rmsnorm's scale; the reference writes
 * (ms + 1e-5) ** -0.5): the square root and its reciprocal, each rounded,
 * then one correction from their exact residuals (x - s s and 1 - r s: an
 * FMA natively, Dekker's product in wasm, which has none; the same values),
 * so the two builds give the same bits. libm's pow(x, -0.5) misrounds about
 * 1 in 1,200 of these (values within 0.001 ulp of a midpoint); this, in
 * every case tests/core/kernels.c checks, gives the nearest double. Outside
 * 2^-1000..2^1000 (and NaN): pow itself. */
double mg_rsqrt(double x);

#endif
