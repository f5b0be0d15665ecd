/* rng_values.c - prints, as JSON, the values tests/fixtures/make_cpython_random.py
 * prints with CPython, computed by the core's generator (mg_rng_*).
 * Usage: rng_values SEED   (a decimal integer, 0 .. 2^64 - 1)
 * Doubles are printed with 17 significant digits, which round-trips: two
 * outputs parse to the same number exactly when the doubles are bit-equal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "rng.h"

#define N 8
static const double weights[5] = {0.1, 0.2, 0.3, 0.15, 0.25};
static const uint32_t below[4] = {1, 7, 1000, 2147483653u}; /* 2^31 + 5 */
static const int bits[4] = {1, 5, 17, 32};

int main(int argc, char **argv) {
    char *end;
    errno = 0;
    unsigned long long s = argc == 2 ? strtoull(argv[1], &end, 10) : 0;
    if (argc != 2 || errno || end == argv[1] || *end || argv[1][0] == '-') {
        fprintf(stderr, "usage: rng_values SEED (a non-negative decimal integer below 2^64)\n");
        return 2;
    }
    uint64_t seed = (uint64_t)s;
    mg_rng r;

    printf("{\"random\": [");
    mg_rng_seed(&r, seed);
    for (int i = 0; i < N; i++) printf("%s%.17g", i ? ", " : "", mg_rng_random(&r));

    printf("], \"gauss\": [");
    mg_rng_seed(&r, seed);
    for (int i = 0; i < N + 1; i++) printf("%s%.17g", i ? ", " : "", mg_rng_gauss(&r, 0.0, 0.08));

    printf("], \"shuffle\": [");
    mg_rng_seed(&r, seed);
    int32_t items[20];
    for (int i = 0; i < 20; i++) items[i] = i;
    mg_rng_shuffle(&r, items, 20);
    for (int i = 0; i < 20; i++) printf("%s%d", i ? ", " : "", (int)items[i]);

    printf("], \"getrandbits\": {");
    for (int b = 0; b < 4; b++) {
        mg_rng_seed(&r, seed);
        printf("%s\"%d\": [", b ? ", " : "", bits[b]);
        for (int i = 0; i < N; i++) printf("%s%u", i ? ", " : "", (unsigned)mg_rng_getrandbits(&r, bits[b]));
        printf("]");
    }

    printf("}, \"choices\": [");
    mg_rng_seed(&r, seed);
    for (int i = 0; i < N; i++) printf("%s%zu", i ? ", " : "", mg_rng_choice(&r, weights, 5));
    printf("], \"random_after_choices\": %.17g", mg_rng_random(&r));

    printf(", \"randbelow\": {");
    mg_rng_seed(&r, seed); /* one stream for all n in turn, as the fixture */
    for (int b = 0; b < 4; b++) {
        printf("%s\"%u\": [", b ? ", " : "", (unsigned)below[b]);
        for (int i = 0; i < N; i++) printf("%s%u", i ? ", " : "", (unsigned)mg_rng_randbelow(&r, below[b]));
        printf("]");
    }
    printf("}}\n");
    return 0;
}
