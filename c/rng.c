/* rng.c - the Mersenne Twister, drawn from exactly as CPython's `random`
 * module draws from it, so the shuffle, the initial dials and the sampled
 * names match the reference run (SPEC.md section 1). */
#include <math.h>
#include "rng.h"

#define MT_N 624
#define MT_M 397

static void init_genrand(mg_rng *rng, uint32_t s) {
    rng->mt[0] = s;
    for (int i = 1; i < MT_N; i++) {
        uint32_t prev = rng->mt[i - 1];
        rng->mt[i] = 1812433253u * (prev ^ (prev >> 30)) + (uint32_t)i;
    }
    rng->index = MT_N;
}

/* Standard init_by_array: the key is the seed's 32-bit words, low first. */
static void init_by_array(mg_rng *rng, const uint32_t *key, int key_len) {
    init_genrand(rng, 19650218u);
    uint32_t *mt = rng->mt;
    int i = 1, j = 0;
    for (int k = (MT_N > key_len ? MT_N : key_len); k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++; j++;
        if (i >= MT_N) { mt[0] = mt[MT_N - 1]; i = 1; }
        if (j >= key_len) j = 0;
    }
    for (int k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= MT_N) { mt[0] = mt[MT_N - 1]; i = 1; }
    }
    mt[0] = 0x80000000u;
}

void mg_rng_seed(mg_rng *rng, uint64_t seed) {
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    init_by_array(rng, key, key[1] ? 2 : 1);
    rng->has_gauss = 0;
    rng->gauss_next = 0.0;
}

static void twist(mg_rng *rng) {
    uint32_t *mt = rng->mt;
    for (int i = 0; i < MT_N; i++) {
        uint32_t y = (mt[i] & 0x80000000u) | (mt[(i + 1) % MT_N] & 0x7fffffffu);
        mt[i] = mt[(i + MT_M) % MT_N] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
    }
    rng->index = 0;
}

uint32_t mg_rng_u32(mg_rng *rng) {
    if (rng->index >= MT_N) twist(rng);
    uint32_t y = rng->mt[rng->index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

double mg_rng_random(mg_rng *rng) {
    uint32_t a = mg_rng_u32(rng) >> 5, b = mg_rng_u32(rng) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

uint32_t mg_rng_getrandbits(mg_rng *rng, int k) {
    return mg_rng_u32(rng) >> (32 - k);
}

uint32_t mg_rng_randbelow(mg_rng *rng, uint32_t n) {
    int k = 0;
    for (uint32_t t = n; t; t >>= 1) k++;
    uint32_t r = mg_rng_getrandbits(rng, k);
    while (r >= n) r = mg_rng_getrandbits(rng, k);
    return r;
}

void mg_rng_shuffle(mg_rng *rng, int32_t *items, size_t n) {
    for (size_t i = n; i-- > 1;) {
        size_t j = mg_rng_randbelow(rng, (uint32_t)(i + 1));
        int32_t t = items[i]; items[i] = items[j]; items[j] = t;
    }
}

double mg_rng_gauss(mg_rng *rng, double mu, double sigma) {
    double z;
    if (rng->has_gauss) {
        z = rng->gauss_next;
        rng->has_gauss = 0;
    } else {
        double angle = mg_rng_random(rng) * (2.0 * 3.141592653589793);
        double radius = sqrt(-2.0 * log(1.0 - mg_rng_random(rng)));
        z = cos(angle) * radius;
        rng->gauss_next = sin(angle) * radius;
        rng->has_gauss = 1;
    }
    return mu + z * sigma;
}

/* random.choices with weights: a right bisect of random() * total over the
 * first n-1 cumulative sums, recomputed left to right so no buffer is needed. */
size_t mg_rng_choice(mg_rng *rng, const double *weights, size_t n) {
    double total = 0.0;
    for (size_t i = 0; i < n; i++) total += weights[i];
    double x = mg_rng_random(rng) * total;
    double c = 0.0;
    for (size_t i = 0; i + 1 < n; i++) {
        c += weights[i];
        if (c > x) return i;
    }
    return n - 1;
}
