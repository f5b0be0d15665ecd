/* kernels_wasm.c - kernels.h for WebAssembly: 2-wide vectors (wasm SIMD),
 * the softmaxes' exps from exp_vec.h. WebAssembly has 2-wide vectors and the
 * engines 16 vector registers (x64): the same sums as the native build, in
 * the same order, in tiles that fit those registers. */
#include <math.h>
#include <stddef.h>
#include <wasm_simd128.h>
#define MG_EXP_LANES 2
#include "exp_vec.h"
#include "kernels.h"
#include "kernels_common.h"
#include "microgpt.h"

/* The project's exp (exp_vec.h) on a wasm vector. */
static inline v128_t exp_f64x2(v128_t x, const mg_expk *c, v128_t *ok) {
    mg_expi lanes_ok = (mg_expi)*ok;
    const v128_t e = (v128_t)mg_exp_lanes((mg_expd)x, c, &lanes_ok);
    *ok = (v128_t)lanes_ok;
    return e;
}

/* One register tile of C: NP rows, NV * 2 columns, as the native tile says
 * (row p's element at step k of the sum is A[p * sp + k * sk]; sums left to
 * right over k from 0.0; then + R, then the mask M). */
MG_TILE void tile2(double *C, const double *restrict A, int sp, int sk, const double *restrict B,
                   const double *R, const double *restrict M, int K, int ldc, int NP, int NV) {
    v128_t acc[2][4];
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++)
            acc[p][v] = wasm_f64x2_splat(0.0);
    const double *bk = B, *ak = A;
#pragma clang loop unroll(disable)
    for (int k = 0; k < K; k++, ak += sk, bk += ldc) {
        v128_t b[4];
        for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(bk + 2 * v);
        for (int p = 0; p < NP; p++) {
            const v128_t a = wasm_v128_load64_splat(ak + (size_t)p * sp);
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

/* Rows p..p+NP-1 of C in tiles of NP x 2 NV, then narrower ones; returns the
 * first column left (N odd). */
MG_TILE int rows2(double *C, const double *restrict A, int sp, int sk, const double *restrict B,
                  const double *R, const double *restrict M, int p, int K, int N, int NP, int NV) {
    int j = 0;
#define MG_AT(nv)                                                                                          \
    {                                                                                                      \
        size_t at = (size_t)p * N + j;                                                                     \
        tile2(C + at, A + (size_t)p * sp, sp, sk, B + j, R ? R + at : NULL, M ? M + at : NULL, K, N, NP,   \
              nv);                                                                                         \
        j += 2 * (nv);                                                                                     \
    }
    while (j + 2 * NV <= N) MG_AT(NV)
    if (NV > 2 && j + 4 <= N) MG_AT(2)
    if (NV > 1 && j + 2 <= N) MG_AT(1)
#undef MG_AT
    return j;
}

/* C (P, N) from A and B (K, N): 2 rows x 8 columns at a time (13 of the 16
 * vector registers); returns the first column left. */
MG_TILE int product2(double *C, const double *restrict A, int sp, int sk, const double *restrict B,
                     const double *R, const double *restrict M, int P, int K, int N) {
    int p = 0, j = N;
    for (; p + 2 <= P; p += 2) j = rows2(C, A, sp, sk, B, R, M, p, K, N, 2, 4);
    if (p < P) j = rows2(C, A, sp, sk, B, R, M, p, K, N, 1, 4);
    return j;
}

void mg_matmul(double *C, const double *restrict A, const double *restrict B, const double *R,
               const double *restrict M, int P, int K, int N) {
    int j = product2(C, A, K, 1, B, R, M, P, K, N);
    mg_matmul_last_cols(C, A, B, R, M, P, K, N, j); /* the last column if N is odd */
}

void mg_matmul_tn(double *restrict C, const double *restrict A, const double *restrict B, int T, int M, int N) {
    int j = product2(C, A, 1, M, B, NULL, NULL, M, T, N);
    mg_matmul_tn_last_cols(C, A, B, T, M, N, j);
}

/* The softmax as mg_softmax_plain computes it, but for the exps, two at a time
 * (p may be z). The max and min come two lanes at a time: the
 * same max (a -0 / +0 tie may pick the other zero, which changes no z - mx);
 * if some z - mx is -700 or less, or NaN, all of it goes to mg_softmax_plain. */
void mg_softmax_kernel(double *p, const double *z, int n, double inv_temp, int scale_logits) {
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
        mg_softmax_plain(p, z, n, inv_temp, scale_logits);
        return;
    }
    const v128_t vm = wasm_f64x2_splat(mx);
    const mg_expk ek = mg_exp_consts();
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

/* Heads h and h + 1 of head size 4 at position pos, one head in each lane:
 * lane by lane the very sums of mg_attention_forward_heads (scores summed left to
 * right over the 4 dimensions, the softmax's max, exps, left-to-right sum and
 * 1/sum, the outputs summed left to right over the positions). Returns 0,
 * having written nothing, if an exp needs the scalar path. */
static int attention_pair4(double *restrict op, double *restrict att, const double *restrict qp,
                           const double *restrict k, const double *restrict v, int pos, int T, int E, int h,
                           const void *exp) {
    const mg_expk *ek = exp;
    const int hs = h * 4;
    double *w0 = att + ((size_t)h * T + pos) * T, *w1 = w0 + (size_t)T * T;
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
/* mg_attention_backward_any for head size 4 with 2-wide vectors: the same sums in
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
void mg_attention_forward(double *restrict out, double *restrict att, const double *restrict q,
                          const double *restrict k, const double *restrict v, int p0, int p1, int T, int E,
                          int H) {
    const mg_expk ek = mg_exp_consts();
    mg_attention_forward_grouped(out, att, q, k, v, p0, p1, T, E, H, 2, attention_pair4, &ek);
}

void mg_attention_backward(double *dq, double *dk, double *dv, int ld, double *ds, const double *dout,
                           const double *att, const double *q, const double *k, const double *v, int n, int T,
                           int E, int H) {
    if (E / H == 4) attention_backward4(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H);
    else mg_attention_backward_any(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H);
}

void mg_softmax_rows(double *p, const double *z, int rows, int n) {
    for (int r = 0; r < rows; r++) mg_softmax_kernel(p + (size_t)r * n, z + (size_t)r * n, n, 1.0, 0);
}

void mg_adam_update(double *p, double *m, double *v, const double *g, size_t n, const mg_adam_step *k) {
    mg_adam_update_plain(p, m, v, g, 0, n, k); /* clang vectorizes it: f64x2 sqrt and div */
}

void mg_adam_delta(double *up, const double *m, const double *v, size_t n, const mg_adam_step *k) {
    mg_adam_delta_plain(up, m, v, 0, n, k);
}
