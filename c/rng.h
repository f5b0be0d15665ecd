/* rng.h - CPython-compatible Mersenne Twister (SPEC.md section 1): the
 * shuffle, the first dials and the sampler's draws come from it. */
#ifndef MG_RNG_H
#define MG_RNG_H

#include <stddef.h>
#include <stdint.h>


typedef struct {
    uint32_t mt[624];
    int index;
    int has_gauss;      /* CPython's cached second gauss value */
    double gauss_next;
} mg_rng;

void mg_rng_seed(mg_rng *rng, uint64_t seed);
uint32_t mg_rng_u32(mg_rng *rng);
double mg_rng_random(mg_rng *rng);                 /* [0, 1) */
uint32_t mg_rng_getrandbits(mg_rng *rng, int k);   /* 1 <= k <= 32 */
uint32_t mg_rng_randbelow(mg_rng *rng, uint32_t n); /* n >= 1 */
void mg_rng_shuffle(mg_rng *rng, int32_t *items, size_t n);
double mg_rng_gauss(mg_rng *rng, double mu, double sigma);
size_t mg_rng_choice(mg_rng *rng, const double *weights, size_t n);

#endif
