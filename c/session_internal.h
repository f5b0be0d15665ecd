/* session_internal.h - the parts of a session (session.c), for the core's
 * own files that work on them (checkpoint.c, inspect.c) and white-box tests.
 * Everyone else goes through microgpt.h. */
#ifndef MG_SESSION_INTERNAL_H
#define MG_SESSION_INTERNAL_H

#include "adam.h"
#include "dataset.h"
#include "microgpt.h"
#include "model.h"
#include "sampler.h"

struct mg_session {
    mg_dataset data;
    mg_model model;
    mg_acts acts;       /* training's, and scratch for sampling and inspection */
    mg_adam adam;
    mg_sampler sampler; /* the run's stream: continues the reference's one stream */
    mg_sampler side;    /* seeded one-off draws (milestones, traces) */
    double *grads;      /* (num_params) d loss / d dial of the last step */
    int32_t *tokens;    /* (block_size + 2) one document as token ids */
    uint64_t records_hash; /* mg_fnv1a64 of the records' text */
    char preset[MG_PRESET_MAX + 1]; /* the records' preset id, "" if none */
    uint64_t seed;
    int step;           /* steps done */
    int num_steps;      /* planned length of the run, 0 until training starts */
    mg_error err;
};

#endif
