/* exp_f64x2.c - the table behind exp_f64x2 (exp_f64x2.h) and its constants. */
#include <math.h>
#include "exp_f64x2.h"

double mg_exp_tab[2 * MG_EXP_N] __attribute__((aligned(16)));

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
        mg_exp_tab[2 * j] = T;
        mg_exp_tab[2 * j + 1] = -e / MG_EXP_N;
    }
}

mg_expk mg_exp_consts(void) {
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
