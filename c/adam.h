/* adam.h - the optimizer (Adam the sensei; adam.c). */
#ifndef MG_ADAM_H
#define MG_ADAM_H

#include "microgpt.h"
#include "kernels.h"

typedef struct {
    double lr, beta1, beta2, eps;
    size_t n;
    double *m, *v;     /* (n) first and second moments (memory) */
    double *update;    /* (n) the last step's change of each dial, once settled */
    mg_adam_step last; /* the last step's constants */
    int update_due;    /* update not yet written for the last step: mg_adam_settle */
} mg_adam;

mg_status mg_adam_init(mg_adam *opt, size_t n, mg_error *err);
/* Bytes mg_adam_init allocates for n dials. */
uint64_t mg_adam_memory(uint64_t n);
void mg_adam_free(mg_adam *opt);
void mg_adam_reset(mg_adam *opt);
/* The step size and the bias corrections of 0-based step s of a run of
 * num_steps: the learning rate decays linearly. */
typedef struct { double lr_t, ic1, ic2; } mg_adam_rate;
mg_adam_rate mg_adam_rate_at(const mg_adam *opt, int s, int num_steps);
/* One update of dials i0..i0+n-1 of params (the model calls it in
 * mg_model_train).
 * The gradient is kept (for mg_step_stats). The change of each dial is
 * written only by mg_adam_settle (from m and v: the same values), which the
 * training loop calls before it returns. */
void mg_adam_apply(mg_adam *opt, const mg_adam_rate *rate, double *params, const double *grads, size_t i0,
                   size_t n);
/* Writes update for the last step, if not yet written. */
void mg_adam_settle(mg_adam *opt);
/* The last step's change of dial i, settled or not. */
double mg_adam_update_of(const mg_adam *opt, size_t i);

#endif
