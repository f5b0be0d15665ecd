/*
 * exp_f64x2.h - the project's own exp, two doubles at once, for the wasm
 * build's softmaxes (kernels_wasm.c); the table is in exp_f64x2.c.
 *
 * A call to the libc exp per element costs more than the exp (the engines
 * keep nothing in registers across a call). e^x = 2^(k/N) e^r with N = 128:
 *  - k = x N/ln2 rounded to nearest: adding 1.5 * 2^52 leaves k in the low
 *    bits of the sum, and subtracting it again gives k as a double;
 *  - r = x - k ln2/N with ln2/N = hi + lo (Cody-Waite): hi has 33 bits, so
 *    k hi is exact for |k| < 2^20, and |r| <= ln2/(2N) < 0.0028;
 *  - 2^(k/N) = 2^floor(k/N) 2^(j/N), j = k mod N: mg_exp_tab holds 2^(j/N) as a
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
#ifndef MG_EXP_F64X2_H
#define MG_EXP_F64X2_H

#include <wasm_simd128.h>

#define MG_EXP_BITS 7
#define MG_EXP_N (1 << MG_EXP_BITS)
extern double mg_exp_tab[2 * MG_EXP_N]; /* {T, t} for j = 0..N-1 */

typedef struct { v128_t n_ln2, shift, ln2_hi, ln2_lo, c2, c3, c4, c5, big; } mg_expk;
/* The constants of exp_f64x2 (the first call fills mg_exp_tab). */
mg_expk mg_exp_consts(void);

static inline v128_t exp_f64x2(v128_t x, const mg_expk *c, v128_t *ok) {
    const v128_t kb = wasm_f64x2_add(wasm_f64x2_mul(x, c->n_ln2), c->shift); /* k in the low bits */
    const v128_t k = wasm_f64x2_sub(kb, c->shift);
    const v128_t r = wasm_f64x2_sub(wasm_f64x2_sub(x, wasm_f64x2_mul(k, c->ln2_hi)), wasm_f64x2_mul(k, c->ln2_lo));
    const v128_t e0 = wasm_v128_load(mg_exp_tab + 2 * (wasm_i64x2_extract_lane(kb, 0) & (MG_EXP_N - 1)));
    const v128_t e1 = wasm_v128_load(mg_exp_tab + 2 * (wasm_i64x2_extract_lane(kb, 1) & (MG_EXP_N - 1)));
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

#endif
