/* rng_values.c - prints, as JSON, the same values tests/fixtures/make_cpython_random.py
 * prints with CPython, computed by the core's generator. Usage: rng_values SEED */
#include <stdio.h>
#include <stdlib.h>
#include "microgpt.h"

static const double weights[5] = {0.1, 0.2, 0.3, 0.15, 0.25};
static const uint32_t below[4] = {1, 7, 1000, 2147483653u};
static const int bits[4] = {1, 5, 17, 32};

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: rng_values SEED\n"); return 2; }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    mg_rng r;
    printf("{\"random\": [");
    mg_rng_seed(&r, seed);
    for (int i = 0; i < 8; i++) printf("%s%.17g", i ? ", " : "", mg_rng_random(&r));
    printf("], \"gauss\": [");
    mg_rng_seed(&r, seed);
    for (int i = 0; i < 9; i++) printf("%s%.17g", i ? ", " : "", mg_rng_gauss(&r, 0.0, 0.08));
    printf("], \"shuffle\": [");
    mg_rng_seed(&r, seed);
    int32_t items[20];
    for (int i = 0; i < 20; i++) items[i] = i;
    mg_rng_shuffle(&r, items, 20);
    for (int i = 0; i < 20; i++) printf("%s%d", i ? ", " : "", items[i]);
    printf("], \"getrandbits\": {");
    for (int b = 0; b < 4; b++) {
        mg_rng_seed(&r, seed);
        printf("%s\"%d\": [", b ? ", " : "", bits[b]);
        for (int i = 0; i < 8; i++) printf("%s%u", i ? ", " : "", mg_rng_getrandbits(&r, bits[b]));
        printf("]");
    }
    printf("}, \"choices\": [");
    mg_rng_seed(&r, seed);
    for (int i = 0; i < 8; i++) printf("%s%zu", i ? ", " : "", mg_rng_choice(&r, weights, 5));
    printf("], \"randbelow\": {");
    mg_rng_seed(&r, seed);
    for (int b = 0; b < 4; b++) {
        printf("%s\"%u\": [", b ? ", " : "", below[b]);
        for (int i = 0; i < 8; i++) printf("%s%u", i ? ", " : "", mg_rng_randbelow(&r, below[b]));
        printf("]");
    }
    printf("}, \"random_after_choices\": ");
    mg_rng_seed(&r, seed);
    for (int i = 0; i < 8; i++) mg_rng_choice(&r, weights, 5);
    printf("%.17g}\n", mg_rng_random(&r));
    return 0;
}
