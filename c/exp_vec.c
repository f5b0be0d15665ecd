/* exp_vec.c - the table behind mg_exp_lanes (exp_vec.h). */
#include <math.h>
#define MG_EXP_LANES 2 /* the table is the same for every width */
#include "exp_vec.h"

static double mg_exp_tab[2 * MG_EXP_N] __attribute__((aligned(16)));

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

const double *mg_exp_table(void) {
    static int ready;
    if (!ready) {
        exp_tab_init();
        ready = 1;
    }
    return mg_exp_tab;
}
