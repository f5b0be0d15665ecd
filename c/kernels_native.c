/* kernels_native.c - kernels.h for the native build: 4-wide vectors (AVX
 * with -march=native), the softmaxes' exps from exp_vec.h (as the wasm
 * build's: the same bits). */
#include <math.h>
#include <stddef.h>
#ifdef __AVX512F__
#include <immintrin.h>
#endif
#define MG_EXP_LANES 4
#include "exp_vec.h"
#include "kernels.h"
#include "kernels_common.h"
#include "microgpt.h"

/* One register tile of C: NP rows, NV * 4 columns. Row p's element at step
 * k of the sum is A[p * sp + k * sk]: C = A B (sp = K, sk = 1) and
 * C = A^T B (sp = 1, sk = rows of C) share the tile.
 * C[p][j] = the sum over k of A(p, k) * B[k][j], left to right from 0.0;
 * then + R[p][j] if R (a residual), then 0 where !(M[p][j] > 0) if M (a
 * ReLU's mask). Strides: B, C, R, M ldc. */
MG_TILE void tile(double *C, const double *restrict A, int sp, int sk, const double *restrict B,
                  const double *R, const double *restrict M, int K, int ldc, int NP, int NV) {
    mg_v4d acc[2][4];
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++)
            acc[p][v] = (mg_v4d){0.0, 0.0, 0.0, 0.0};
    for (int k = 0; k < K; k++) {
        mg_v4d b[4];
        for (int v = 0; v < NV; v++) b[v] = mg_load4(B + (size_t)k * ldc + 4 * v);
        for (int p = 0; p < NP; p++) {
            const double a = A[(size_t)p * sp + (size_t)k * sk];
            for (int v = 0; v < NV; v++) acc[p][v] += b[v] * a;
        }
    }
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++) {
            size_t at = (size_t)p * ldc + 4 * v;
            mg_v4d c = acc[p][v];
            if (R) c += mg_load4(R + at);
            if (M) c = (mg_v4d)((mg_v4i)c & (mg_v4i)(mg_load4(M + at) > 0.0));
            mg_store4(C + at, c);
        }
}

#ifdef __AVX512VL__
/* tile's sums for the last w < 4 columns (lanes past them load 0 and are
 * not stored): NP rows, one vector */
MG_TILE void tile_edge(double *C, const double *restrict A, int sp, int sk, const double *restrict B,
                       const double *R, const double *restrict M, int K, int ldc, int NP, int w) {
    const __mmask8 cols = (__mmask8)((1u << w) - 1);
    __m256d acc[2];
    for (int p = 0; p < NP; p++) acc[p] = _mm256_setzero_pd();
    for (int k = 0; k < K; k++) {
        const __m256d b = _mm256_maskz_loadu_pd(cols, B + (size_t)k * ldc);
        for (int p = 0; p < NP; p++)
            acc[p] = _mm256_add_pd(acc[p], _mm256_mul_pd(b, _mm256_set1_pd(A[(size_t)p * sp + (size_t)k * sk])));
    }
    for (int p = 0; p < NP; p++) {
        const size_t at = (size_t)p * ldc;
        __m256d c = acc[p];
        if (R) c = _mm256_add_pd(c, _mm256_maskz_loadu_pd(cols, R + at));
        if (M) c = _mm256_and_pd(c, _mm256_cmp_pd(_mm256_maskz_loadu_pd(cols, M + at), _mm256_setzero_pd(), _CMP_GT_OQ));
        _mm256_mask_storeu_pd(C + at, cols, c);
    }
}
#endif

/* C (P, N) from A and B (K, N) in tiles: 2 rows x 16 columns at a time,
 * then 8 and 4 columns, then (AVX-512) the last N % 4 masked; returns the
 * first column left, which the plain loop takes. */
MG_TILE int product(double *C, const double *restrict A, int sp, int sk, const double *restrict B,
                    const double *R, const double *restrict M, int P, int K, int N) {
#define MG_TILE_ROWS(NV)                                                                                   \
    for (int p = 0; p < P; p += 2) {                                                                       \
        size_t at = (size_t)p * N + j;                                                                     \
        const double *r = R ? R + at : NULL, *mk = M ? M + at : NULL;                                      \
        if (p + 2 <= P) tile(C + at, A + (size_t)p * sp, sp, sk, B + j, r, mk, K, N, 2, NV);               \
        else tile(C + at, A + (size_t)p * sp, sp, sk, B + j, r, mk, K, N, 1, NV);                          \
    }
    int j = 0;
    for (; j + 16 <= N; j += 16) MG_TILE_ROWS(4)
    if (j + 8 <= N) { MG_TILE_ROWS(2) j += 8; }
    if (j + 4 <= N) { MG_TILE_ROWS(1) j += 4; }
#undef MG_TILE_ROWS
#ifdef __AVX512VL__
    if (j < N) { /* the last N % 4 columns, masked */
        for (int p = 0; p < P; p += 2) {
            size_t at = (size_t)p * N + j;
            const double *r = R ? R + at : NULL, *mk = M ? M + at : NULL;
            if (p + 2 <= P) tile_edge(C + at, A + (size_t)p * sp, sp, sk, B + j, r, mk, K, N, 2, N - j);
            else tile_edge(C + at, A + (size_t)p * sp, sp, sk, B + j, r, mk, K, N, 1, N - j);
        }
        j = N;
    }
#endif
    return j;
}

void mg_matmul(double *C, const double *restrict A, const double *restrict B, const double *R,
               const double *restrict M, int P, int K, int N) {
    int j = product(C, A, K, 1, B, R, M, P, K, N);
    mg_matmul_last_cols(C, A, B, R, M, P, K, N, j);
}

void mg_matmul_tn(double *restrict C, const double *restrict A, const double *restrict B, int T, int M, int N) {
    int j = product(C, A, 1, M, B, NULL, NULL, M, T, N);
    mg_matmul_tn_last_cols(C, A, B, T, M, N, j);
}

/* The plain softmax's steps with the exps four at a time: the max ("if (zi >
 * mx) mx = zi"), each exp(zi - mx) (exp_vec.h), their sum left to right,
 * each times 1/sum. Any z - mx <= -700 (or a NaN): the plain loop, libc's exp. */
void mg_softmax_kernel(double *p, const double *z, int n, double inv_temp, int scale) {
    double mx = scale ? z[0] * inv_temp : z[0], lo = mx;
    for (int i = 1; i < n; i++) {
        const double zi = scale ? z[i] * inv_temp : z[i];
        if (zi > mx) mx = zi;
        if (!(zi >= lo)) lo = zi; /* NaN sticks */
    }
    if (!(lo - mx > -700.0)) {
        mg_softmax_plain(p, z, n, inv_temp, scale);
        return;
    }
    const mg_expk ek = mg_exp_consts();
    mg_expi ok = {-1, -1, -1, -1};
    double t = 0.0;
    for (int i = 0; i < n; i += 4) {
        mg_expd zi;
        for (int l = 0; l < 4; l++) zi[l] = i + l < n ? (scale ? z[i + l] * inv_temp : z[i + l]) : mx;
        const mg_expd e = mg_exp_lanes(zi - mx, &ek, &ok);
        for (int l = 0; l < 4 && i + l < n; l++) {
            p[i + l] = e[l];
            t += e[l];
        }
    }
    const double inv = 1.0 / t;
    for (int i = 0; i < n; i++) p[i] *= inv;
}

/* lane by lane m ? a : b (m: a comparison's lanes, all ones or zeros) */
static inline mg_v4d select4(mg_v4i m, mg_v4d a, mg_v4d b) { return (mg_v4d)(((mg_v4i)a & m) | ((mg_v4i)b & ~m)); }

/* Four rows in the four lanes: lane by lane mg_softmax_kernel's steps (the
 * max, "if (zi > mx) mx = zi"; each exp(zi - mx); their sum left to right;
 * each times 1/sum), the group's columns gathered once. The last group's
 * spare lanes repeat its last row and write nothing. A group with a z - mx
 * <= -700 (or a NaN), or rows over MG_MAX_VOCAB: row by row. */
void mg_softmax_rows(double *p, const double *z, int rows, int n) {
    if (n < 1) return;
    const mg_expk ek = mg_exp_consts();
    mg_v4d zt[MG_MAX_VOCAB]; /* the group's z, then its exps: column i, a lane a row */
    for (int r = 0; r < rows; r += 4) {
        const int nl = rows - r < 4 ? rows - r : 4; /* lanes with a row of their own */
        const double *zl[4];
        double *pl[4];
        for (int l = 0; l < 4; l++) {
            const size_t at = (size_t)(r + (l < nl ? l : nl - 1)) * n;
            zl[l] = z + at;
            pl[l] = p + at;
        }
        if (n > MG_MAX_VOCAB) {
            for (int l = 0; l < nl; l++) mg_softmax_kernel(pl[l], zl[l], n, 1.0, 0);
            continue;
        }
        mg_v4d mx = {zl[0][0], zl[1][0], zl[2][0], zl[3][0]}, lo = mx;
        zt[0] = mx;
        for (int i = 1; i < n; i++) {
            const mg_v4d zi = {zl[0][i], zl[1][i], zl[2][i], zl[3][i]};
            zt[i] = zi;
            const mg_v4i up = zi > mx, low = ~(zi >= lo); /* NaN sticks */
            mx = select4(up, zi, mx);
            lo = select4(low, zi, lo);
        }
        const mg_v4i fine = lo - mx > -700.0;
        if (!(fine[0] & fine[1] & fine[2] & fine[3])) {
            for (int l = 0; l < nl; l++) mg_softmax_kernel(pl[l], zl[l], n, 1.0, 0);
            continue;
        }
        mg_expi ok = {-1, -1, -1, -1};
        mg_v4d t = {0.0, 0.0, 0.0, 0.0};
        for (int i = 0; i < n; i++) {
            zt[i] = mg_exp_lanes(zt[i] - mx, &ek, &ok);
            t += zt[i];
        }
        const mg_v4d inv = 1.0 / t;
        for (int i = 0; i < n; i++) {
            const mg_v4d pi = zt[i] * inv;
            for (int l = 0; l < nl; l++) pl[l][i] = pi[l];
        }
    }
}

/* dims d of heads h..h+3 of row x (head size 4): lane l holds x[4 (h + l) + d] */
static inline void heads_by_dim(mg_v4d out[4], const double *x) {
    const mg_v4d a = mg_load4(x), b = mg_load4(x + 4), c = mg_load4(x + 8), e = mg_load4(x + 12);
    const mg_v4d ab0 = __builtin_shufflevector(a, b, 0, 4, 2, 6), ab1 = __builtin_shufflevector(a, b, 1, 5, 3, 7);
    const mg_v4d ce0 = __builtin_shufflevector(c, e, 0, 4, 2, 6), ce1 = __builtin_shufflevector(c, e, 1, 5, 3, 7);
    out[0] = __builtin_shufflevector(ab0, ce0, 0, 1, 4, 5);
    out[1] = __builtin_shufflevector(ab1, ce1, 0, 1, 4, 5);
    out[2] = __builtin_shufflevector(ab0, ce0, 2, 3, 6, 7);
    out[3] = __builtin_shufflevector(ab1, ce1, 2, 3, 6, 7);
}

/* Heads h..h+3 of head size 4 at position pos, one head in each lane: lane
 * by lane the very sums of mg_attention_forward_heads (scores summed left to
 * right over the 4 dimensions, times 1/2; the softmax's max, exps (exp_vec.h),
 * left-to-right sum and 1/sum; the outputs summed left to right over the
 * positions). Returns 0, having written nothing, if an exp needs the scalar
 * path. */
static int attention_quad4(double *restrict op, double *restrict att, const double *restrict qp,
                           const double *restrict k, const double *restrict v, int pos, int T, int E, int h,
                           const void *exp) {
    const mg_expk *ek = exp;
    mg_v4d s[MG_MAX_BLOCK], qd[4], kd[4];
    heads_by_dim(qd, qp + 4 * h);
    mg_v4d mx = {0.0, 0.0, 0.0, 0.0};
    for (int t = 0; t <= pos; t++) {
        heads_by_dim(kd, k + (size_t)t * E + 4 * h);
        mg_v4d acc = (mg_v4d){0.0, 0.0, 0.0, 0.0} + qd[0] * kd[0];
        acc += qd[1] * kd[1];
        acc += qd[2] * kd[2];
        acc += qd[3] * kd[3];
        acc *= 0.5; /* 1 / sqrt(4) */
        s[t] = acc;
        const mg_v4i up = acc > mx; /* "if (s > mx) mx = s" */
        mx = t ? select4(up, acc, mx) : acc;
    }
    mg_expi ok = {-1, -1, -1, -1};
    mg_v4d sum = {0.0, 0.0, 0.0, 0.0};
    for (int t = 0; t <= pos; t++) {
        s[t] = mg_exp_lanes(s[t] - mx, ek, &ok);
        sum += s[t];
    }
    if (__builtin_expect(!(ok[0] & ok[1] & ok[2] & ok[3]), 0)) return 0;
    const mg_v4d inv = 1.0 / sum;
    mg_v4d o[4] = {{0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0}};
    for (int t = 0; t <= pos; t++) {
        const mg_v4d w = s[t] * inv;
        const double *vt = v + (size_t)t * E + 4 * h;
        for (int l = 0; l < 4; l++) {
            att[((size_t)(h + l) * T + pos) * T + t] = w[l];
            o[l] += mg_load4(vt + 4 * l) * w[l];
        }
    }
    for (int l = 0; l < 4; l++) mg_store4(op + 4 * (h + l), o[l]);
    return 1;
}

/* heads_by_dim's inverse: row l (head h + l) from lane l of the dims' vectors */
static inline void store_heads(double *x, const mg_v4d by_dim[4]) {
    double tmp[16];
    for (int d = 0; d < 4; d++) mg_store4(tmp + 4 * d, by_dim[d]);
    mg_v4d rows[4];
    heads_by_dim(rows, tmp); /* a 4 x 4 transposition is its own inverse */
    for (int l = 0; l < 4; l++) mg_store4(x + 4 * l, rows[l]);
}

/* Backward of the attention for heads h..h+3 of head size 4 over positions
 * 0..n-1 (n <= MG_QUAD_BACK_MAX), one head in each lane: lane by lane the
 * very sums of mg_attention_backward_any (g[t] = dout . v[t] left to right
 * over the dimensions from 0.0, gsum over t ascending, ds = w (g - gsum) / 2;
 * dq[p] over t ascending, dk[t] and dv[t] over p ascending, each from 0.0). */
#define MG_QUAD_BACK_MAX 32
static void attention_backward_quad4(double *restrict dq, double *restrict dk, double *restrict dv, int ld,
                                     const double *restrict dout, const double *restrict att,
                                     const double *restrict q, const double *restrict k,
                                     const double *restrict v, int n, int T, int E, int h) {
    enum { TRI = MG_QUAD_BACK_MAX * (MG_QUAD_BACK_MAX + 1) / 2 };
    mg_v4d qd[MG_QUAD_BACK_MAX][4], kd[MG_QUAD_BACK_MAX][4], vd[MG_QUAD_BACK_MAX][4], dd[MG_QUAD_BACK_MAX][4];
    mg_v4d ws[TRI], ds[TRI]; /* row p's weights and score gradients over t <= p at p (p + 1) / 2 */
    const mg_v4d zero = {0.0, 0.0, 0.0, 0.0};
    for (int p = 0; p < n; p++) {
        const size_t row = (size_t)p * E + 4 * h;
        heads_by_dim(qd[p], q + row);
        heads_by_dim(kd[p], k + row);
        heads_by_dim(vd[p], v + row);
        heads_by_dim(dd[p], dout + row);
        const double *w0 = att + ((size_t)h * T + p) * T, *w1 = w0 + (size_t)T * T;
        const double *w2 = w1 + (size_t)T * T, *w3 = w2 + (size_t)T * T;
        mg_v4d *wp = ws + p * (p + 1) / 2;
        for (int t = 0; t <= p; t++) wp[t] = (mg_v4d){w0[t], w1[t], w2[t], w3[t]};
    }
    for (int p = 0; p < n; p++) {
        const mg_v4d *wp = ws + p * (p + 1) / 2;
        mg_v4d *dsp = ds + p * (p + 1) / 2, gsum = zero;
        for (int t = 0; t <= p; t++) {
            mg_v4d g = zero + dd[p][0] * vd[t][0];
            g += dd[p][1] * vd[t][1];
            g += dd[p][2] * vd[t][2];
            g += dd[p][3] * vd[t][3];
            dsp[t] = g;
            gsum += wp[t] * g;
        }
        for (int t = 0; t <= p; t++) dsp[t] = wp[t] * (dsp[t] - gsum) * 0.5; /* 1 / sqrt(4) */
    }
    for (int p = 0; p < n; p++) {
        const mg_v4d *dsp = ds + p * (p + 1) / 2;
        mg_v4d a[4] = {zero, zero, zero, zero};
        for (int t = 0; t <= p; t++)
            for (int j = 0; j < 4; j++) a[j] += dsp[t] * kd[t][j];
        store_heads(dq + (size_t)p * ld + 4 * h, a);
    }
    for (int t = 0; t < n; t++) {
        mg_v4d a[4] = {zero, zero, zero, zero}, b[4] = {zero, zero, zero, zero};
        for (int p = t; p < n; p++) {
            const mg_v4d dpt = ds[p * (p + 1) / 2 + t], wpt = ws[p * (p + 1) / 2 + t];
            for (int j = 0; j < 4; j++) {
                a[j] += dpt * qd[p][j];
                b[j] += wpt * dd[p][j];
            }
        }
        store_heads(dk + (size_t)t * ld + 4 * h, a);
        store_heads(dv + (size_t)t * ld + 4 * h, b);
    }
}

void mg_attention_backward(double *dq, double *dk, double *dv, int ld, double *ds, const double *dout,
                           const double *att, const double *q, const double *k, const double *v, int n, int T,
                           int E, int H) {
    if (E / H == 4 && H % 4 == 0 && n <= MG_QUAD_BACK_MAX) {
        for (int h = 0; h < H; h += 4) attention_backward_quad4(dq, dk, dv, ld, dout, att, q, k, v, n, T, E, h);
        return;
    }
    mg_attention_backward_any(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H);
}

void mg_attention_forward(double *restrict out, double *restrict att, const double *restrict q,
                          const double *restrict k, const double *restrict v, int p0, int p1, int T, int E,
                          int H) {
    const mg_expk ek = mg_exp_consts();
    mg_attention_forward_grouped(out, att, q, k, v, p0, p1, T, E, H, 4, attention_quad4, &ek);
}

#ifdef __AVX512F__
/* lr_t (m ic1) / (sqrt(v ic2) + eps), 8 at a time: the quotient from vrcp14pd
 * (14 bits), two Newton steps (about 53) and Markstein's correction q + r (a
 * - d q), whose residual a - d q is exact: the correctly rounded quotient */
static inline __m512d adam_delta8(__m512d mi, __m512d vi, __m512d ic1, __m512d ic2, __m512d eps, __m512d lr) {
    const __m512d two = _mm512_set1_pd(2.0);
    const __m512d d = _mm512_add_pd(_mm512_sqrt_pd(_mm512_mul_pd(vi, ic2)), eps);
    const __m512d a = _mm512_mul_pd(lr, _mm512_mul_pd(mi, ic1));
    __m512d r = _mm512_rcp14_pd(d);
    r = _mm512_mul_pd(r, _mm512_fnmadd_pd(d, r, two));
    r = _mm512_mul_pd(r, _mm512_fnmadd_pd(d, r, two));
    const __m512d q = _mm512_mul_pd(a, r);
    return _mm512_fmadd_pd(r, _mm512_fnmadd_pd(d, q, a), q);
}
#endif

void mg_adam_update(double *restrict p, double *restrict m, double *restrict v, const double *restrict g,
                    size_t n, const mg_adam_step *k) {
    size_t i = 0;
#ifdef __AVX512F__
    /* the plain loop's values, 8 at a time; the divider (shared by division
     * and square root, 40% of a step) only takes the square roots */
    const __m512d b1 = _mm512_set1_pd(k->b1), b2 = _mm512_set1_pd(k->b2);
    const __m512d g1 = _mm512_set1_pd(1.0 - k->b1), g2 = _mm512_set1_pd(1.0 - k->b2);
    const __m512d ic1 = _mm512_set1_pd(k->ic1), ic2 = _mm512_set1_pd(k->ic2), eps = _mm512_set1_pd(k->eps);
    const __m512d lr = _mm512_set1_pd(k->lr_t);
    for (; i + 8 <= n; i += 8) {
        const __m512d gi = _mm512_loadu_pd(g + i);
        const __m512d mi = _mm512_add_pd(_mm512_mul_pd(b1, _mm512_loadu_pd(m + i)), _mm512_mul_pd(g1, gi));
        const __m512d vi = _mm512_add_pd(_mm512_mul_pd(b2, _mm512_loadu_pd(v + i)), _mm512_mul_pd(g2, _mm512_mul_pd(gi, gi)));
        _mm512_storeu_pd(m + i, mi);
        _mm512_storeu_pd(v + i, vi);
        _mm512_storeu_pd(p + i, _mm512_sub_pd(_mm512_loadu_pd(p + i), adam_delta8(mi, vi, ic1, ic2, eps, lr)));
    }
#endif
    mg_adam_update_plain(p, m, v, g, i, n, k);
}

void mg_adam_delta(double *restrict up, const double *restrict m, const double *restrict v, size_t n,
                   const mg_adam_step *k) {
    size_t i = 0;
#ifdef __AVX512F__
    const __m512d ic1 = _mm512_set1_pd(k->ic1), ic2 = _mm512_set1_pd(k->ic2), eps = _mm512_set1_pd(k->eps);
    const __m512d lr = _mm512_set1_pd(k->lr_t), neg = _mm512_set1_pd(-0.0);
    for (; i + 8 <= n; i += 8) /* -q: -0.0 for 0, as -delta */
        _mm512_storeu_pd(up + i, _mm512_xor_pd(adam_delta8(_mm512_loadu_pd(m + i), _mm512_loadu_pd(v + i), ic1, ic2,
                                                           eps, lr), neg));
#endif
    mg_adam_delta_plain(up, m, v, i, n, k);
}
