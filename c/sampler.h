/* sampler.h - the risk dial (sampler.c): temperature sampling from the
 * model's logits as the reference does it, with its own random stream. */
#ifndef MG_SAMPLER_H
#define MG_SAMPLER_H

#include "microgpt.h"
#include "rng.h"

typedef struct {
    mg_rng rng;        /* the sampler's random stream */
    int V;             /* courses per draw */
    double *probs;     /* (V) the last draw's probabilities */
} mg_sampler;

mg_status mg_sampler_init(mg_sampler *s, int V, mg_error *err);
void mg_sampler_free(mg_sampler *s);
/* Bytes mg_sampler_init allocates for V courses. */
uint64_t mg_sampler_memory(int V);
/* A fresh stream from seed, or (mg_sampler_continue) the stream rng has
 * reached: the reference samples on from where the initial dials left it. */
void mg_sampler_reseed(mg_sampler *s, uint64_t seed);
void mg_sampler_continue(mg_sampler *s, const mg_rng *rng);

/* Next-token probabilities from logits at a temperature (> 0: softmax of
 * logits / T; 0: all mass on the argmax). */
void mg_probs_at_temperature(double *probs, const double *logits, int V, double temperature);
/* Draws a course from logits (temperature checked by mg_check_temperature;
 * 0 takes the argmax, no draw). trace (may be NULL) gets V + 2 doubles: the
 * V probabilities at the temperature, the uniform number in [0, 1) the draw
 * used (NaN at temperature 0) and the course picked. */
int mg_sampler_draw(mg_sampler *s, const double *logits, double temperature, double *trace);

#endif
