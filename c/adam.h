/* adam.h - the optimizer (Adam the sensei; adam.c). */
#ifndef MG_ADAM_H
#define MG_ADAM_H

#include "microgpt.h"

typedef struct {
    double lr, beta1, beta2, eps;
    size_t n;
    double *m, *v;     /* (n) first and second moments (memory) */
    double *update;    /* (n) the last step's change of each dial */
} mg_adam;

mg_status mg_adam_init(mg_adam *opt, size_t n, mg_error *err);
/* Bytes mg_adam_init allocates for n dials. */
uint64_t mg_adam_memory(uint64_t n);
void mg_adam_free(mg_adam *opt);
void mg_adam_reset(mg_adam *opt);
/* One update of params at 0-based step s of a run of num_steps (the model
 * calls it: mg_model_update). The gradient is kept (for mg_step_stats). */
void mg_adam_step(mg_adam *opt, double *params, const double *grads, int s, int num_steps);

#endif
