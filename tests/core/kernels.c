/* kernels.c - each kernel of c/kernels.h against the plain scalar loop in
 * reference order (written here, apart from the kernels), over shapes that
 * reach every tile and every ragged edge. Built twice: natively
 * (build/kernels_check) and for WebAssembly under Node
 * (build/kernels_check.js). Prints one line of JSON per kernel:
 *   {"kernel": name, "values": n, "unequal": values not bit-equal,
 *    "max_rel": the largest |kernel - plain| / max(1, |plain|),
 *    "digest": FNV-1a 64 of every value the kernel gave, bit by bit: the two
 *    builds' kernels compute the same sums, so their digests agree}
 * tests/core/kernels.test.mjs holds each build to what kernels.h promises. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

/* splitmix64: inputs of the test, nothing to do with the model's generator */
static uint64_t state = 0x9e3779b97f4a7c15ull;
static double uniform(double lo, double hi) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return lo + (hi - lo) * (double)(z >> 11) * 0x1p-53;
}
static double *randoms(size_t n, double lo, double hi) {
    double *x = malloc(sizeof(double) * (n ? n : 1));
    if (!x) { fprintf(stderr, "kernels: out of memory\n"); exit(1); }
    for (size_t i = 0; i < n; i++) x[i] = uniform(lo, hi);
    return x;
}

typedef struct { const char *name; long values, unequal; double max_rel; uint64_t digest; } tally;
#define TALLY(name) {name, 0, 0, 0, 0xcbf29ce484222325ull}
static void compare(tally *t, const double *got, const double *want, size_t n) {
    for (size_t i = 0; i < n; i++) {
        t->values++;
        unsigned char b[sizeof(double)];
        memcpy(b, &got[i], sizeof b);
        for (size_t j = 0; j < sizeof b; j++) t->digest = (t->digest ^ b[j]) * 0x100000001b3ull;
        if (memcmp(&got[i], &want[i], sizeof(double)) != 0) t->unequal++;
        double rel = fabs(got[i] - want[i]) / fmax(1.0, fabs(want[i]));
        if (!(rel <= t->max_rel)) t->max_rel = isnan(rel) ? INFINITY : rel;
    }
}
static void report(const tally *t) {
    printf("{\"kernel\": \"%s\", \"values\": %ld, \"unequal\": %ld, \"max_rel\": %.3g, \"digest\": \"%016llx\"}\n",
           t->name, t->values, t->unequal, t->max_rel, (unsigned long long)t->digest);
}

/* ---- the plain loops, in the reference's order ---- */

static void plain_matmul(double *C, const double *A, const double *B, const double *R, const double *M, int P,
                         int K, int N) {
    for (int p = 0; p < P; p++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < K; k++) s += A[p * K + k] * B[k * N + j];
            if (R) s += R[p * N + j];
            if (M && !(M[p * N + j] > 0.0)) s = 0.0;
            C[p * N + j] = s;
        }
}

static void plain_matmul_tn(double *C, const double *A, const double *B, int T, int M, int N) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int t = 0; t < T; t++) s += A[t * M + i] * B[t * N + j];
            C[i * N + j] = s;
        }
}

static void plain_softmax(double *p, const double *z, int n, double inv_temp, int scale) {
    double mx = scale ? z[0] * inv_temp : z[0];
    for (int i = 1; i < n; i++) {
        double zi = scale ? z[i] * inv_temp : z[i];
        if (zi > mx) mx = zi;
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        p[i] = exp((scale ? z[i] * inv_temp : z[i]) - mx);
        sum += p[i];
    }
    double inv = 1.0 / sum;
    for (int i = 0; i < n; i++) p[i] *= inv;
}

static void plain_attention_forward(double *out, double *att, const double *q, const double *k, const double *v,
                                    int p0, int p1, int T, int E, int H) {
    const int hd = E / H;
    const double scale = 1.0 / sqrt((double)hd);
    for (int pos = p0; pos < p1; pos++)
        for (int h = 0; h < H; h++) {
            double *w = att + (h * T + pos) * T;
            for (int t = 0; t <= pos; t++) {
                double s = 0.0;
                for (int j = 0; j < hd; j++) s += q[pos * E + h * hd + j] * k[t * E + h * hd + j];
                w[t] = s * scale;
            }
            plain_softmax(w, w, pos + 1, 1.0, 0);
            for (int j = 0; j < hd; j++) {
                double s = 0.0;
                for (int t = 0; t <= pos; t++) s += w[t] * v[t * E + h * hd + j];
                out[pos * E + h * hd + j] = s;
            }
        }
}

/* with w = softmax(s), g[t] = dout . v[t]: ds[t] = w[t] (g[t] - sum_u w[u] g[u]) scale;
 * dq[p] = sum_t ds[p][t] k[t], dk[t] = sum_p ds[p][t] q[p], dv[t] = sum_p w[p][t] dout[p] */
static void plain_attention_backward(double *dq, double *dk, double *dv, int ld, const double *dout,
                                     const double *att, const double *q, const double *k, const double *v, int n,
                                     int T, int E, int H) {
    const int hd = E / H;
    const double scale = 1.0 / sqrt((double)hd);
    double *ds = calloc((size_t)T * T, sizeof(double));
    if (!ds) exit(1);
    for (int h = 0; h < H; h++) {
        const double *w = att + h * T * T;
        for (int p = 0; p < n; p++) {
            double gsum = 0.0;
            for (int t = 0; t <= p; t++) {
                double g = 0.0;
                for (int j = 0; j < hd; j++) g += dout[p * E + h * hd + j] * v[t * E + h * hd + j];
                ds[p * T + t] = g;
                gsum += w[p * T + t] * g;
            }
            for (int t = 0; t <= p; t++) ds[p * T + t] = w[p * T + t] * (ds[p * T + t] - gsum) * scale;
        }
        for (int p = 0; p < n; p++)
            for (int j = 0; j < hd; j++) {
                double s = 0.0;
                for (int t = 0; t <= p; t++) s += ds[p * T + t] * k[t * E + h * hd + j];
                dq[p * ld + h * hd + j] = s;
            }
        for (int t = 0; t < n; t++)
            for (int j = 0; j < hd; j++) {
                double sk = 0.0, sv = 0.0;
                for (int p = t; p < n; p++) {
                    sk += ds[p * T + t] * q[p * E + h * hd + j];
                    sv += w[p * T + t] * dout[p * E + h * hd + j];
                }
                dk[t * ld + h * hd + j] = sk;
                dv[t * ld + h * hd + j] = sv;
            }
    }
    free(ds);
}

/* ---- the checks ---- */

static void check_matmul(void) {
    tally t = TALLY("matmul");
    const int Ps[] = {1, 2, 3, 7, 16}, Ks[] = {1, 3, 4, 16, 64}, Ns[] = {1, 2, 3, 4, 5, 8, 12, 16, 17, 27, 64, 66};
    for (size_t a = 0; a < sizeof Ps / sizeof *Ps; a++)
        for (size_t b = 0; b < sizeof Ks / sizeof *Ks; b++)
            for (size_t c = 0; c < sizeof Ns / sizeof *Ns; c++)
                for (int extra = 0; extra < 3; extra++) { /* plain, + residual, masked */
                    const int P = Ps[a], K = Ks[b], N = Ns[c];
                    double *A = randoms((size_t)P * K, -1, 1), *B = randoms((size_t)K * N, -1, 1);
                    double *R = extra == 1 ? randoms((size_t)P * N, -1, 1) : NULL;
                    double *M = extra == 2 ? randoms((size_t)P * N, -1, 1) : NULL;
                    double *got = randoms((size_t)P * N, -1, 1), *want = randoms((size_t)P * N, -1, 1);
                    mg_matmul(got, A, B, R, M, P, K, N);
                    plain_matmul(want, A, B, R, M, P, K, N);
                    compare(&t, got, want, (size_t)P * N);
                    free(A); free(B); free(R); free(M); free(got); free(want);
                }
    report(&t);
}

static void check_matmul_tn(void) {
    tally t = TALLY("matmul_tn");
    const int Ts[] = {1, 2, 5, 7, 16}, Ms[] = {1, 2, 3, 16, 27, 48, 64}, Ns[] = {1, 3, 4, 8, 16, 17, 64};
    for (size_t a = 0; a < sizeof Ts / sizeof *Ts; a++)
        for (size_t b = 0; b < sizeof Ms / sizeof *Ms; b++)
            for (size_t c = 0; c < sizeof Ns / sizeof *Ns; c++) {
                const int T = Ts[a], M = Ms[b], N = Ns[c];
                double *A = randoms((size_t)T * M, -1, 1), *B = randoms((size_t)T * N, -1, 1);
                double *got = randoms((size_t)M * N, -1, 1), *want = randoms((size_t)M * N, -1, 1);
                mg_matmul_tn(got, A, B, T, M, N); /* written over what was there */
                plain_matmul_tn(want, A, B, T, M, N);
                compare(&t, got, want, (size_t)M * N);
                free(A); free(B); free(got); free(want);
            }
    report(&t);
}

static void check_transpose(void) {
    tally t = TALLY("transpose");
    const int Rs[] = {1, 3, 4, 16, 27, 64}, Cs[] = {1, 2, 4, 5, 16, 64};
    for (size_t a = 0; a < sizeof Rs / sizeof *Rs; a++)
        for (size_t b = 0; b < sizeof Cs / sizeof *Cs; b++) {
            const int R = Rs[a], C = Cs[b];
            double *src = randoms((size_t)R * C, -1, 1), *got = randoms((size_t)R * C, -1, 1);
            double *want = malloc(sizeof(double) * (size_t)R * C);
            for (int r = 0; r < R; r++)
                for (int c = 0; c < C; c++) want[c * R + r] = src[r * C + c];
            mg_transpose(got, src, R, C);
            compare(&t, got, want, (size_t)R * C);
            free(src); free(got); free(want);
        }
    report(&t);
}

static void check_softmax(void) {
    tally t = TALLY("softmax");
    const int ns[] = {1, 2, 3, 16, 27, 28, 100, 257};
    const double temps[] = {1.0, 0.5, 0.1, 1.5, 0.001};
    const double spreads[] = {1, 10, 40, 800}; /* 800: some z - max below -700, the wasm build's scalar path */
    for (size_t a = 0; a < sizeof ns / sizeof *ns; a++)
        for (size_t b = 0; b < sizeof temps / sizeof *temps; b++)
            for (size_t c = 0; c < sizeof spreads / sizeof *spreads; c++)
                for (int in_place = 0; in_place < 2; in_place++) {
                    const int n = ns[a];
                    const int scale = temps[b] != 1.0;
                    double *z = randoms((size_t)n, -spreads[c], spreads[c] * 0.1);
                    double *want = malloc(sizeof(double) * (size_t)n), *got = malloc(sizeof(double) * (size_t)n);
                    plain_softmax(want, z, n, 1.0 / temps[b], scale);
                    if (in_place) {
                        memcpy(got, z, sizeof(double) * (size_t)n);
                        mg_softmax_kernel(got, got, n, 1.0 / temps[b], scale);
                    } else {
                        mg_softmax_kernel(got, z, n, 1.0 / temps[b], scale);
                    }
                    compare(&t, got, want, (size_t)n);
                    free(z); free(want); free(got);
                }
    report(&t);
}

/* mg_softmax_rows against mg_softmax_kernel row by row (its promise: the
 * same bits): row counts around the groups of four, in place or not, and
 * groups where one row has z - max below -700 (that group row by row) */
static void check_softmax_rows(void) {
    tally t = TALLY("softmax_rows");
    const int rows_of[] = {1, 3, 4, 5, 8, 16, 33}, ns[] = {1, 2, 3, 27, 28, 100};
    for (size_t a = 0; a < sizeof rows_of / sizeof *rows_of; a++)
        for (size_t b = 0; b < sizeof ns / sizeof *ns; b++)
            for (int wide = 0; wide < 2; wide++)
                for (int in_place = 0; in_place < 2; in_place++) {
                    const int rows = rows_of[a], n = ns[b];
                    const size_t size = (size_t)rows * n;
                    double *z = randoms(size, -20, 2);
                    if (wide) z[size / 2] = -900; /* one row's z - max below -700 */
                    double *want = malloc(sizeof(double) * size), *got = malloc(sizeof(double) * size);
                    for (int r = 0; r < rows; r++) mg_softmax_kernel(want + (size_t)r * n, z + (size_t)r * n, n, 1.0, 0);
                    if (in_place) {
                        memcpy(got, z, sizeof(double) * size);
                        mg_softmax_rows(got, got, rows, n);
                    } else {
                        mg_softmax_rows(got, z, rows, n);
                    }
                    compare(&t, got, want, size);
                    free(z); free(want); free(got);
                }
    report(&t);
}

/* the shipped head shapes (hd 4 with an even and odd number of heads, hd 16)
 * and others (hd 8, 3, 1) */
static const int shapes[][3] = {{16, 16, 4}, {16, 12, 3}, {16, 64, 4}, {8, 8, 1}, {9, 6, 2}, {5, 4, 4}, {32, 32, 8}};

static void check_attention_forward(void) {
    tally t = TALLY("attention_forward");
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        const int T = shapes[s][0], E = shapes[s][1], H = shapes[s][2];
        for (int cached = 0; cached < 2; cached++) {
            double *q = randoms((size_t)T * E, -2, 2), *k = randoms((size_t)T * E, -2, 2);
            double *v = randoms((size_t)T * E, -1, 1);
            double *out = calloc((size_t)T * E, sizeof(double)), *att = calloc((size_t)H * T * T, sizeof(double));
            double *out0 = calloc((size_t)T * E, sizeof(double)), *att0 = calloc((size_t)H * T * T, sizeof(double));
            if (cached) /* one position at a time, as sampling runs it */
                for (int p = 0; p < T; p++) mg_attention_forward(out, att, q, k, v, p, p + 1, T, E, H);
            else
                mg_attention_forward(out, att, q, k, v, 0, T, T, E, H);
            plain_attention_forward(out0, att0, q, k, v, 0, T, T, E, H);
            compare(&t, out, out0, (size_t)T * E);
            compare(&t, att, att0, (size_t)H * T * T);
            free(q); free(k); free(v); free(out); free(att); free(out0); free(att0);
        }
    }
    report(&t);
}

static void check_attention_backward(void) {
    tally t = TALLY("attention_backward");
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        const int T = shapes[s][0], E = shapes[s][1], H = shapes[s][2], ld = 3 * E;
        for (int n = 1; n <= T; n += T > 8 ? 5 : 1) {
            double *q = randoms((size_t)T * E, -2, 2), *k = randoms((size_t)T * E, -2, 2);
            double *v = randoms((size_t)T * E, -1, 1), *dout = randoms((size_t)T * E, -1, 1);
            double *out = calloc((size_t)T * E, sizeof(double)), *att = calloc((size_t)H * T * T, sizeof(double));
            plain_attention_forward(out, att, q, k, v, 0, n, T, E, H); /* the same weights for both */
            double *got = calloc((size_t)T * ld, sizeof(double)), *want = calloc((size_t)T * ld, sizeof(double));
            double *ds = calloc((size_t)T * T, sizeof(double));
            mg_attention_backward(got, got + E, got + 2 * E, ld, ds, dout, att, q, k, v, n, T, E, H);
            plain_attention_backward(want, want + E, want + 2 * E, ld, dout, att, q, k, v, n, T, E, H);
            compare(&t, got, want, (size_t)n * ld);
            free(q); free(k); free(v); free(dout); free(out); free(att); free(got); free(want); free(ds);
        }
    }
    report(&t);
}

/* Adam's update as adam.c's formula rounds it, the plain loop */
static void plain_adam(double *p, double *m, double *v, double *up, const double *g, size_t n,
                       const mg_adam_step *k) {
    for (size_t i = 0; i < n; i++) {
        m[i] = k->b1 * m[i] + (1.0 - k->b1) * g[i];
        v[i] = k->b2 * v[i] + (1.0 - k->b2) * (g[i] * g[i]);
        const double delta = k->lr_t * (m[i] * k->ic1) / (sqrt(v[i] * k->ic2) + k->eps);
        p[i] -= delta;
        up[i] = -delta;
    }
}

/* dials of every size class a run has (gradients from 1e-12 to 10, some 0,
 * the moments of a long run and a first step), counts that reach each edge */
static void check_adam(void) {
    tally t = TALLY("adam");
    const size_t ns[] = {1, 7, 8, 9, 64, 4192, 26816};
    for (size_t a = 0; a < sizeof ns / sizeof *ns; a++)
        for (int step = 0; step < 40; step++) {
            const size_t n = ns[a];
            double *g = randoms(n, -1, 1), *p = randoms(n, -0.3, 0.3), *m = randoms(n, -1e-3, 1e-3);
            double *v = randoms(n, 0, 1e-4);
            for (size_t i = 0; i < n; i++) {
                g[i] = ldexp(g[i], (int)uniform(-40, 4)); /* exact scalings: the same inputs in both builds */
                if (step == 0) m[i] = v[i] = 0.0; /* the first step */
                if (i % 17 == 3) g[i] = 0.0;       /* a dial the name did not touch */
                v[i] = ldexp(v[i], (int)uniform(-66, 1));
            }
            double b1t = 1.0, b2t = 1.0; /* beta^(step + 1), by products (libm's pow differs between builds) */
            for (int j = 0; j <= step; j++) { b1t *= 0.85; b2t *= 0.99; }
            const mg_adam_step k = {0.85, 0.99, 1e-8, 0.01 * (1.0 - step / 40.0), 1.0 / (1.0 - b1t), 1.0 / (1.0 - b2t)};
            double *p0 = malloc(sizeof(double) * n), *m0 = malloc(sizeof(double) * n), *v0 = malloc(sizeof(double) * n);
            double *up = malloc(sizeof(double) * n), *up0 = malloc(sizeof(double) * n);
            memcpy(p0, p, sizeof(double) * n); memcpy(m0, m, sizeof(double) * n); memcpy(v0, v, sizeof(double) * n);
            mg_adam_update(p, m, v, g, n, &k);
            mg_adam_delta(up, m, v, n, &k); /* the change, from the moments the update left */
            plain_adam(p0, m0, v0, up0, g, n, &k);
            compare(&t, p, p0, n); compare(&t, m, m0, n); compare(&t, v, v0, n); compare(&t, up, up0, n);
            free(g); free(p); free(m); free(v); free(p0); free(m0); free(v0); free(up); free(up0);
        }
    report(&t);
}

/* mg_rsqrt against libm's pow(x, -0.5), which misrounds now and then: the
 * first 40 values where they differ are printed (as the bits of x, of
 * mg_rsqrt's value and of pow's) for kernels.test.mjs to decide exactly
 * which is nearer. Inputs: rmsnorm's range (1e-5 up, mean squares of
 * activations) and 2^-60..2^40 in general, exact squares, the ends of
 * 2^-1000..2^1000 and beyond them (pow's: exact powers of 2 in both libms). */
static void check_rsqrt(void) {
    tally t = TALLY("rsqrt");
    enum { N = 2000000, CASES = 40 };
    unsigned long long cases[CASES][3];
    int ncases = 0;
    for (long i = 0; i < N + 8; i++) {
        double x;
        if (i < 8) {
            const double edges[8] = {0x1p-1010, 0x1p1010, 0x1p-1000, 0x1p1000, 1e-5, 4.0, 0.25, 1.0};
            x = edges[i];
        } else { /* one draw per statement: the order of two in one expression is the compiler's */
            const double u = uniform(0, 1), e = uniform(0, 1);
            x = i % 2 ? 1e-5 + u * ldexp(1.0, (int)(-20 + 24 * e)) : ldexp(1.0 + u, (int)(-60 + 100 * e));
        }
        const double got = mg_rsqrt(x), want = pow(x, -0.5);
        compare(&t, &got, &want, 1);
        if (memcmp(&got, &want, sizeof got) != 0 && ncases < CASES) {
            memcpy(&cases[ncases][0], &x, 8); memcpy(&cases[ncases][1], &got, 8); memcpy(&cases[ncases][2], &want, 8);
            ncases++;
        }
    }
    printf("{\"kernel\": \"%s\", \"values\": %ld, \"unequal\": %ld, \"max_rel\": %.3g, \"digest\": \"%016llx\", "
           "\"cases\": [", t.name, t.values, t.unequal, t.max_rel, (unsigned long long)t.digest);
    for (int c = 0; c < ncases; c++)
        printf("%s[\"%016llx\", \"%016llx\", \"%016llx\"]", c ? ", " : "", cases[c][0], cases[c][1], cases[c][2]);
    printf("]}\n");
}

int main(void) {
    check_matmul();
    check_matmul_tn();
    check_transpose();
    check_softmax();
    check_softmax_rows();
    check_attention_forward();
    check_attention_backward();
    check_adam();
    check_rsqrt();
    return 0;
}
