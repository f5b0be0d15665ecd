/* sampler.c - the risk dial: temperature sampling as the reference does it,
 * and temperature 0 as the greedy choice (the most likely course). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "sampler.h"

mg_status mg_check_temperature(double temperature, mg_error *err) {
    if (!(temperature == 0.0 || (temperature >= MG_TEMPERATURE_MIN && temperature <= MG_TEMPERATURE_MAX)))
        return mg_fail(err, MG_ERR_ARG,
                       "temperature must be 0 (always the likeliest course) or a number from %g to %g; got %g",
                       MG_TEMPERATURE_MIN, MG_TEMPERATURE_MAX, temperature);
    return MG_OK;
}

mg_status mg_sampler_init(mg_sampler *s, int V, mg_error *err) {
    memset(s, 0, sizeof *s);
    s->V = V;
    s->probs = calloc((size_t)V, sizeof(double));
    if (!s->probs) return mg_fail(err, MG_ERR_NOMEM, "out of memory for the sampler");
    return MG_OK;
}

void mg_sampler_free(mg_sampler *s) {
    free(s->probs);
    memset(s, 0, sizeof *s);
}

uint64_t mg_sampler_memory(int V) { return sizeof(double) * (uint64_t)V; }

void mg_sampler_reseed(mg_sampler *s, uint64_t seed) { mg_rng_seed(&s->rng, seed); }

void mg_sampler_continue(mg_sampler *s, const mg_rng *rng) { s->rng = *rng; }

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

int mg_sampler_draw(mg_sampler *s, const double *logits, double temperature, double *trace) {
    const int V = s->V;
    mg_probs_at_temperature(s->probs, logits, V, temperature);
    int token;
    double drawn = NAN; /* at temperature 0, the likeliest course: nothing is drawn */
    if (temperature == 0.0) {
        token = argmax(logits, V);
    } else {
        /* mg_rng_choice draws one random() and nothing else: the same draw
         * from a copy of the stream is the number it lands with */
        mg_rng peek = s->rng;
        drawn = mg_rng_random(&peek);
        token = (int)mg_rng_choice(&s->rng, s->probs, (size_t)V);
    }
    if (trace) {
        memcpy(trace, s->probs, sizeof(double) * (size_t)V);
        trace[V] = drawn;
        trace[V + 1] = token;
    }
    return token;
}
