/* adam.c - Adam, the sensei who turns the dials: a memory of recent
 * directions (m), a personal step per dial (v), and a lighter hand as the
 * run goes on (linear decay). Constants as in SPEC.md section 4. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "adam.h"
#include "kernels.h"
#include "model.h"

mg_status mg_adam_init(mg_adam *opt, size_t n, mg_error *err) {
    memset(opt, 0, sizeof *opt);
    opt->lr = MG_ADAM_LR; opt->beta1 = MG_ADAM_BETA1; opt->beta2 = MG_ADAM_BETA2; opt->eps = MG_ADAM_EPS;
    opt->n = n;
    opt->m = mg_zalloc(n);
    opt->v = mg_zalloc(n);
    opt->update = mg_zalloc(n);
    if (!opt->m || !opt->v || !opt->update) {
        mg_adam_free(opt);
        return mg_fail(err, MG_ERR_NOMEM, "out of memory for the optimizer state");
    }
    return MG_OK;
}

uint64_t mg_adam_memory(uint64_t n) { return 3 * mg_zalloc_bytes(n); } /* m, v, update */

void mg_adam_free(mg_adam *opt) {
    free(opt->m); free(opt->v); free(opt->update);
    memset(opt, 0, sizeof *opt);
}

void mg_adam_reset(mg_adam *opt) {
    memset(opt->m, 0, opt->n * sizeof(double));
    memset(opt->v, 0, opt->n * sizeof(double));
    memset(opt->update, 0, opt->n * sizeof(double));
    opt->update_due = 0;
}

double mg_learning_rate(int s, int num_steps) {
    return MG_ADAM_LR * (1.0 - (double)s / num_steps);
}

mg_adam_rate mg_adam_rate_at(const mg_adam *opt, int s, int num_steps) {
    const double c1 = 1.0 - pow(opt->beta1, s + 1), c2 = 1.0 - pow(opt->beta2, s + 1);
    mg_adam_rate r = {mg_learning_rate(s, num_steps), 1.0 / c1, 1.0 / c2};
    return r;
}

void mg_adam_apply(mg_adam *opt, const mg_adam_rate *rate, double *restrict params, const double *restrict grads,
                   size_t i0, size_t n) {
    const mg_adam_step k = {opt->beta1, opt->beta2, opt->eps, rate->lr_t, rate->ic1, rate->ic2};
    mg_adam_update(params + i0, opt->m + i0, opt->v + i0, grads + i0, n, &k);
    opt->last = k;
    opt->update_due = 1;
}

void mg_adam_settle(mg_adam *opt) {
    if (!opt->update_due) return;
    mg_adam_delta(opt->update, opt->m, opt->v, opt->n, &opt->last);
    opt->update_due = 0;
}

double mg_adam_update_of(const mg_adam *opt, size_t i) {
    if (!opt->update_due) return opt->update[i];
    double u;
    mg_adam_delta(&u, opt->m + i, opt->v + i, 1, &opt->last);
    return u;
}
