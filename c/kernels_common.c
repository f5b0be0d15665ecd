/* kernels_common.c - the kernel loops both builds share (kernels_common.h):
 * every shape, the reference's order. */
#include <math.h>
#include <stddef.h>
#include "kernels.h"
#include "kernels_common.h"

void mg_matmul_last_cols(double *C, const double *restrict A, const double *restrict B, const double *R,
                         const double *restrict M, int P, int K, int N, int j) {
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

void mg_matmul_tn_last_cols(double *restrict C, const double *restrict A, const double *restrict B, int T,
                            int M, int N, int j) {
    for (int i = 0; i < M && j < N; i++)
        for (int jj = j; jj < N; jj++) {
            double s = 0.0;
            for (int t = 0; t < T; t++) s += A[(size_t)t * M + i] * B[(size_t)t * N + jj];
            C[(size_t)i * N + jj] = s;
        }
}

void mg_transpose(double *restrict dst, const double *restrict src, int R, int C) {
    /* 4 x 4 blocks through registers (two rounds of shuffles), the ragged
     * edges element by element; block columns outside, so that dst is
     * written row after row (4 streams) and only src is read across */
    const int R4 = R & ~3, C4 = C & ~3;
    for (int c = 0; c < C4; c += 4)
        for (int r = 0; r < R4; r += 4) {
            const double *s = src + (size_t)r * C + c;
            mg_v4d a = mg_load4(s), b = mg_load4(s + C), e = mg_load4(s + 2 * C), f = mg_load4(s + 3 * C);
            mg_v4d ab0 = __builtin_shufflevector(a, b, 0, 4, 2, 6), ab1 = __builtin_shufflevector(a, b, 1, 5, 3, 7);
            mg_v4d ef0 = __builtin_shufflevector(e, f, 0, 4, 2, 6), ef1 = __builtin_shufflevector(e, f, 1, 5, 3, 7);
            double *d = dst + (size_t)c * R + r;
            mg_store4(d, __builtin_shufflevector(ab0, ef0, 0, 1, 4, 5));
            mg_store4(d + R, __builtin_shufflevector(ab1, ef1, 0, 1, 4, 5));
            mg_store4(d + 2 * R, __builtin_shufflevector(ab0, ef0, 2, 3, 6, 7));
            mg_store4(d + 3 * R, __builtin_shufflevector(ab1, ef1, 2, 3, 6, 7));
        }
    for (int r = 0; r < R; r++)
        for (int c = r < R4 ? C4 : 0; c < C; c++) dst[(size_t)c * R + r] = src[(size_t)r * C + c];
}

void mg_adam_update_plain(double *restrict p, double *restrict m, double *restrict v, const double *restrict g,
                          size_t i0, size_t n, const mg_adam_step *k) {
    const double b1 = k->b1, b2 = k->b2, g1 = 1.0 - b1, g2 = 1.0 - b2, eps = k->eps;
    const double lr_t = k->lr_t, ic1 = k->ic1, ic2 = k->ic2;
    for (size_t i = i0; i < n; i++) {
        const double gi = g[i];
        const double mi = b1 * m[i] + g1 * gi;
        const double vi = b2 * v[i] + g2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        p[i] -= lr_t * (mi * ic1) / (sqrt(vi * ic2) + eps);
    }
}

void mg_adam_delta_plain(double *restrict up, const double *restrict m, const double *restrict v, size_t i0,
                         size_t n, const mg_adam_step *k) {
    const double eps = k->eps, lr_t = k->lr_t, ic1 = k->ic1, ic2 = k->ic2;
    for (size_t i = i0; i < n; i++) up[i] = -(lr_t * (m[i] * ic1) / (sqrt(v[i] * ic2) + eps));
}

/* x y - p exactly, for p = x y rounded (|x y| far from overflow and
 * underflow): one FMA, or without one Dekker's product of the halves of x
 * and y (Veltkamp's split), the same value */
static inline double product_error(double x, double y, double p) {
#ifdef __FMA__
    return fma(x, y, -p);
#else
    const double split = 134217729.0; /* 2^27 + 1 */
    double t = split * x;
    const double xh = t - (t - x), xl = x - xh;
    t = split * y;
    const double yh = t - (t - y), yl = y - yh;
    return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
#endif
}

double mg_rsqrt(double x) {
    if (!(x >= 0x1p-1000 && x <= 0x1p1000)) return pow(x, -0.5);
    /* s = sqrt(x) (1 + a), r = (1 / s) (1 + b), |a|, |b| <= 2^-53; with
     * e1 = 1 - r s and e2 = x - s^2 (each to within a rounding of a value
     * some 2^-53 of 1 and of x: r s and s^2 are that close), x^-0.5 = r (1 + e1 + e1^2 ...) (1 - e2 / (2 s^2) ...)
     * = r + r (e1 - e2 r^2 / 2) to within 2^-104 r: the sum rounds to the
     * nearest double but within 2^-50 ulp of a midpoint */
    const double s = sqrt(x), r = 1.0 / s;
    const double rs = r * s, e1 = (1.0 - rs) - product_error(r, s, rs);
    const double ss = s * s, e2 = (x - ss) - product_error(s, s, ss);
    return r + r * (e1 - 0.5 * e2 * (r * r));
}

void mg_softmax_plain(double *p, const double *z, int n, double inv_temp, int scale_logits) {
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

/* Heads h0..h1-1 at positions p0..p1-1; with hd % 4 == 0 four of the
 * outputs' sums advance as one vector. */
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
            mg_softmax_kernel(w, w, pos + 1, 1.0, 0);
            if (hd % 4 == 0) {
                for (int c = hs; c < hs + hd; c += 4) {
                    mg_v4d acc = {0.0, 0.0, 0.0, 0.0};
                    for (int t = 0; t <= pos; t++) acc += mg_load4(v + (size_t)t * E + c) * w[t];
                    mg_store4(op + c, acc);
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

void mg_attention_forward_heads(double *restrict out, double *restrict att, const double *restrict q,
                                const double *restrict k, const double *restrict v, int p0, int p1, int T,
                                int E, int H, int h0, int h1) {
    const int hd = E / H; /* 4 in both shipped configs: let the compiler see it */
    if (hd == 4) attention_forward_hd(out, att, q, k, v, p0, p1, T, E, h0, h1, 4);
    else attention_forward_hd(out, att, q, k, v, p0, p1, T, E, h0, h1, hd);
}

/* Backward of attention_forward_hd over positions 0..n-1: writes dq, dk, dv
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

void mg_attention_backward_any(double *restrict dq, double *restrict dk, double *restrict dv, int ld,
                               double *restrict ds, const double *restrict dout, const double *restrict att,
                               const double *restrict q, const double *restrict k, const double *restrict v,
                               int n, int T, int E, int H) {
    const int hd = E / H;
    if (hd == 4) attention_backward_hd(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H, 4);
    else attention_backward_hd(dq, dk, dv, ld, ds, dout, att, q, k, v, n, T, E, H, hd);
}
