/* sampler.c - the risk dial: temperature sampling as the reference does it,
 * and temperature 0 as the greedy choice (the most likely course). */
#include <math.h>
#include "microgpt.h"

mg_status mg_check_temperature(double temperature, mg_error *err) {
    /* below 0.001 the scaled logits can overflow; 0 already means "no risk" */
    if (!(temperature == 0.0 || (temperature >= 0.001 && temperature <= 100.0)))
        return mg_fail(err, MG_ERR_ARG,
                       "temperature must be 0 (always the likeliest course) or a number from 0.001 to 100; got %g",
                       temperature);
    return MG_OK;
}

static int argmax(const double *x, int n) {
    int best = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

void mg_probs_at_temperature(double *probs, const double *logits, int V, double temperature) {
    if (temperature > 0.0) {
        mg_softmax(probs, logits, V, temperature);
        return;
    }
    int best = argmax(logits, V);
    for (int i = 0; i < V; i++) probs[i] = i == best ? 1.0 : 0.0;
}

int mg_sample_token(mg_sampler *s, const double *logits, int V, double temperature, double *drawn) {
    if (temperature == 0.0) {
        if (drawn) *drawn = NAN; /* the likeliest course: nothing is drawn */
        return argmax(logits, V);
    }
    mg_softmax(s->probs, logits, V, temperature);
    if (drawn) {
        /* mg_rng_choice draws one random() and nothing else: the same draw
         * from a copy of the stream is the number it lands with */
        mg_rng peek = s->rng;
        *drawn = mg_rng_random(&peek);
    }
    return (int)mg_rng_choice(&s->rng, s->probs, (size_t)V);
}
