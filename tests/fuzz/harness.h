/* harness.h - what the fuzz harnesses share: require(), an invariant the
 * fuzzer must never break. It reports the broken invariant and aborts, which
 * libFuzzer records as a crash with the input. Define HARNESS (the harness's
 * name) before including it. */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H
#include <stdio.h>
#include <stdlib.h>

#define require(cond, ...)                                                                      \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, HARNESS " harness: %s:%d: %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                                       \
            fprintf(stderr, "\n");                                                              \
            abort();                                                                            \
        }                                                                                       \
    } while (0)

#endif
