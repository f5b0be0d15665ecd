/*
 * exp_vec.h - the project's own exp, lane by lane on a vector of doubles, for
 * the softmaxes of both builds: kernels_wasm.c (2 lanes, wasm SIMD) and
 * kernels_native.c (4 lanes). The includer sets MG_EXP_LANES first; the
 * table is in exp_vec.c. One algorithm, so both builds' exps are the same
 * bits.
 *
 * A call to the libc exp per element costs more than the exp (nothing stays
 * in registers across a call). e^x = 2^(k/N) e^r with N = 128:
 *  - k = x N/ln2 rounded to nearest: adding 1.5 * 2^52 leaves k in the low
 *    bits of the sum, and subtracting it again gives k as a double;
 *  - r = x - k ln2/N with ln2/N = hi + lo (Cody-Waite): hi has 33 bits, so
 *    k hi is exact for |k| < 2^20, and |r| <= ln2/(2N) < 0.0028;
 *  - 2^(k/N) = 2^floor(k/N) 2^(j/N), j = k mod N: the table holds 2^(j/N) as
 *    a double T and a relative tail t (2^(j/N) = T (1 + t), |t| < 2^-52), and
 *    floor(k/N) is added to T's exponent bits, giving s;
 *  - e^r - 1 = r + r^2/2! + ... + r^5/5!: the next term, r^6/6!, is < 2^-60;
 *  - e^x = s + s (t + (e^r - 1)), rounded once at the end (t (e^r - 1),
 *    dropped, is < 2^-60 too).
 * Measured error: at most 0.510 ulp (10^7 random x in [-40, 0], 10^7 in
 * (-700, 700) and the ends of every r interval, against a long double exp):
 * the correctly rounded e^x or a neighbour. It is musl's exp in 99.9% of
 * cases and 1 ulp away in the rest.
 * Lanes with |x| >= 700 or NaN clear their lane of *ok: the caller takes the
 * scalar exp there (no call inside the vector loops). */
#ifndef MG_EXP_VEC_H
#define MG_EXP_VEC_H

#ifndef MG_EXP_LANES
#error "set MG_EXP_LANES (the lanes of the build's vectors) before including exp_vec.h"
#endif

#define MG_EXP_BITS 7
#define MG_EXP_N (1 << MG_EXP_BITS)

typedef double mg_expd __attribute__((vector_size(8 * MG_EXP_LANES)));
typedef long long mg_expi __attribute__((vector_size(8 * MG_EXP_LANES)));
typedef unsigned long long mg_expu __attribute__((vector_size(8 * MG_EXP_LANES)));

/* The table of 2^(j/N): {T, t} for j = 0..N-1, filled at the first call. */
const double *mg_exp_table(void);

/* The constants, read once per kernel call and kept in registers (in wasm,
 * constants written inside the loops cost a load at each use). */
typedef struct { double n_ln2, shift, ln2_hi, ln2_lo, c2, c3, c4, c5, big; const double *tab; } mg_expk;
static inline mg_expk mg_exp_consts(void) {
    mg_expk c = {
        0x1.71547652b82fep7,    /* N / ln2 */
        0x1.8p52,
        0x1.62e42fefp-8,        /* ln2 / N: its first 33 bits */
        0x1.473de6af278edp-41,  /* and the rest */
        1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120,
        700.0, mg_exp_table()};
    return c;
}

static inline mg_expd mg_exp_lanes(mg_expd x, const mg_expk *c, mg_expi *ok) {
    const double *tab = c->tab;
    const mg_expd kb = x * c->n_ln2 + c->shift; /* k in the low bits */
    const mg_expd k = kb - c->shift;
    const mg_expd r = (x - k * c->ln2_hi) - k * c->ln2_lo;
    const mg_expi kbits = (mg_expi)kb;
    mg_expd T, t;
#if defined(__wasm_simd128__) && MG_EXP_LANES == 2
    /* two loads of {T, t} and two shuffles: faster in wasm than lane inserts */
    const mg_expd e0 = *(const mg_expd *)(tab + 2 * (kbits[0] & (MG_EXP_N - 1)));
    const mg_expd e1 = *(const mg_expd *)(tab + 2 * (kbits[1] & (MG_EXP_N - 1)));
    T = __builtin_shufflevector(e0, e1, 0, 2);
    t = __builtin_shufflevector(e0, e1, 1, 3);
#else
    for (int i = 0; i < MG_EXP_LANES; i++) {
        const double *e = tab + 2 * (kbits[i] & (MG_EXP_N - 1));
        T[i] = e[0];
        t[i] = e[1];
    }
#endif
    /* the bits of 1.5 * 2^52 shift out: floor(k/N) lands in the exponent */
    const mg_expd s = (mg_expd)((mg_expu)T + ((mg_expu)(kbits >> MG_EXP_BITS) << 52));
    const mg_expd r2 = r * r;
    const mg_expd p23 = r2 * (c->c2 + r * c->c3);
    const mg_expd p45 = (r2 * r2) * (c->c4 + r * c->c5);
    const mg_expd em1 = ((t + p45) + p23) + r; /* small terms first */
    const mg_expd ax = (mg_expd)((mg_expu)x & 0x7fffffffffffffffULL);
    *ok &= ax < c->big;
    return s + s * em1;
}

#endif
