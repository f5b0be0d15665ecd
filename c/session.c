/* session.c - one kitchen: the records, Ming's dials, the sensei and the
 * risk dial, and the run they are in (step and planned length). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "session_internal.h"

void mg_session_reset(mg_session *s, uint64_t seed) {
    mg_rng rng;
    mg_rng_seed(&rng, seed);
    for (int d = 0; d < s->data.num_docs; d++) s->data.order[d] = d;
    mg_rng_shuffle(&rng, s->data.order, (size_t)s->data.num_docs);
    mg_model_randomize(&s->model, &rng);
    mg_sampler_continue(&s->sampler, &rng); /* sampling continues the reference's one stream */
    mg_adam_reset(&s->adam);
    memset(s->grads, 0, s->model.num_params * sizeof(double));
    s->seed = seed;
    s->step = 0;
    s->num_steps = 0;
}

uint64_t mg_config_memory(const mg_config *c, int vocab_size) {
    if (c->n_embd < 1 || c->n_embd > MG_MAX_EMBD || c->n_head < 1 || c->n_head > c->n_embd ||
        c->n_layer < 1 || c->n_layer > MG_MAX_LAYER || c->block_size < 1 || c->block_size > MG_MAX_BLOCK ||
        vocab_size < 2 || vocab_size > MG_MAX_VOCAB)
        return UINT64_MAX;
    uint64_t P = mg_config_params(c, vocab_size);
    return sizeof(mg_session) + mg_model_memory(c, vocab_size) + mg_acts_memory(c, vocab_size) +
           mg_adam_memory(P) + sizeof(double) * P                  /* grads */
           + sizeof(int32_t) * ((uint64_t)c->block_size + 2)       /* tokens */
           + 2 * mg_sampler_memory(vocab_size);                     /* sampler, side */
}

/* The config alone and with the records beside it, before anything is
 * allocated for the config. */
static mg_status check_memory(const mg_config *c, const mg_dataset *ds, const mg_bounds *b, mg_error *err) {
    mg_status rc = mg_config_check(c, ds->vocab_size, err);
    if (rc) return rc;
    uint64_t records = mg_dataset_memory(ds), model = mg_config_memory(c, ds->vocab_size);
    uint64_t max_bytes = b && b->max_bytes && b->max_bytes < MG_MAX_SESSION_BYTES ? b->max_bytes : MG_MAX_SESSION_BYTES;
    if (records + model > max_bytes) {
        char a[32], need[32], limit[32];
        return mg_fail(err, MG_ERR_CONFIG,
                       "the records take %s MiB and n_embd %d, n_head %d, n_layer %d, block_size %d need "
                       "%s MiB more; the limit is %s MiB for both: choose a smaller n_embd, n_head, n_layer "
                       "or block_size, or fewer records",
                       mg_format_mib(a, sizeof a, records), c->n_embd, c->n_head, c->n_layer, c->block_size,
                       mg_format_mib(need, sizeof need, model),
                       mg_format_mib(limit, sizeof limit, max_bytes));
    }
    /* the work of one name: every dial touched once per course */
    uint64_t work = (uint64_t)mg_config_params(c, ds->vocab_size) * (uint64_t)c->block_size;
    if (b && b->max_work && work > b->max_work) {
        char w[32], limit[32];
        return mg_fail(err, MG_ERR_CONFIG,
                       "n_embd %d, n_head %d, n_layer %d, block_size %d cost %s multiply-adds per name "
                       "(dials x block_size); the limit here is %s, so that no request takes much over "
                       "100 ms: choose a smaller n_embd, n_layer or block_size",
                       c->n_embd, c->n_head, c->n_layer, c->block_size, mg_group_digits(w, sizeof w, work),
                       mg_group_digits(limit, sizeof limit, b->max_work));
    }
    return MG_OK;
}

mg_status mg_session_create(mg_session **out, const mg_config *config, const char *text,
                            size_t len, uint64_t seed, mg_error *err) {
    return mg_session_create_bounded(out, config, text, len, seed, NULL, err);
}

mg_status mg_session_create_bounded(mg_session **out, const mg_config *config, const char *text,
                                    size_t len, uint64_t seed, const mg_bounds *bounds, mg_error *err) {
    *out = NULL;
    mg_session *s = calloc(1, sizeof *s);
    if (!s) return mg_fail(err, MG_ERR_NOMEM, "out of memory for a session");
    mg_status rc = mg_dataset_load(&s->data, text, len, err);
    if (!rc) rc = check_memory(config, &s->data, bounds, err);
    if (!rc) rc = mg_model_init(&s->model, config, s->data.vocab_size, err);
    if (!rc) rc = mg_acts_init(&s->acts, &s->model, err);
    if (!rc) rc = mg_adam_init(&s->adam, s->model.num_params, err);
    if (!rc) rc = mg_sampler_init(&s->sampler, s->data.vocab_size, err);
    if (!rc) rc = mg_sampler_init(&s->side, s->data.vocab_size, err);
    if (!rc) {
        s->grads = calloc(s->model.num_params, sizeof(double));
        s->tokens = calloc((size_t)config->block_size + 2, sizeof(int32_t));
        if (!s->grads || !s->tokens) rc = mg_fail(err, MG_ERR_NOMEM, "out of memory for a session");
    }
    if (rc) {
        mg_session_free(s);
        return rc;
    }
    s->records_hash = mg_fnv1a64((const uint8_t *)text, len);
    mg_session_reset(s, seed);
    *out = s;
    return MG_OK;
}

void mg_session_free(mg_session *s) {
    if (!s) return;
    mg_dataset_free(&s->data);
    mg_model_free(&s->model);
    mg_acts_free(&s->acts);
    mg_adam_free(&s->adam);
    mg_sampler_free(&s->sampler);
    mg_sampler_free(&s->side);
    free(s->grads);
    free(s->tokens);
    free(s);
}

mg_error *mg_session_error(mg_session *s) { return &s->err; }
const mg_config *mg_session_config(const mg_session *s) { return &s->model.config; }
int mg_session_vocab_size(const mg_session *s) { return s->data.vocab_size; }
const uint32_t *mg_session_vocab(const mg_session *s) { return s->data.vocab; }
int mg_session_num_docs(const mg_session *s) { return s->data.num_docs; }
const int32_t *mg_session_doc_lengths(const mg_session *s) { return s->data.doc_len; }
const uint16_t *mg_session_doc_tokens(const mg_session *s, int i) { return s->data.tokens + s->data.doc_start[i]; }
size_t mg_session_num_params(const mg_session *s) { return s->model.num_params; }
int mg_session_num_tensors(const mg_session *s) { return s->model.num_tensors; }
const mg_tensor *mg_session_tensor(const mg_session *s, int i) { return &s->model.tensors[i]; }
int mg_session_step(const mg_session *s) { return s->step; }
int mg_session_num_steps(const mg_session *s) { return s->num_steps; }
uint64_t mg_session_seed(const mg_session *s) { return s->seed; }
uint64_t mg_session_records_hash(const mg_session *s) { return s->records_hash; }
const char *mg_session_preset(const mg_session *s) { return s->preset; }

mg_status mg_session_check_config(const mg_session *s, const mg_config *c, const mg_bounds *bounds,
                                  size_t *num_params, mg_error *err) {
    mg_status rc = check_memory(c, &s->data, bounds, err);
    if (!rc) *num_params = mg_config_params(c, s->data.vocab_size);
    return rc;
}

mg_run_view mg_session_view(const mg_session *s) {
    mg_run_view v = {s->model.params, s->adam.m, s->adam.v, s->adam.update, s->grads};
    return v;
}

mg_status mg_session_set_param(mg_session *s, int index, double value) {
    if (index < 0 || (size_t)index >= s->model.num_params)
        return mg_fail(&s->err, MG_ERR_ARG, "dial %d does not exist (0..%zu)", index, s->model.num_params - 1);
    if (!isfinite(value)) return mg_fail(&s->err, MG_ERR_ARG, "a dial must be a finite number");
    mg_model_set_param(&s->model, (size_t)index, value);
    return MG_OK;
}

mg_status mg_session_set_preset(mg_session *s, const char *id, size_t len) {
    if (!mg_preset_check(id, len))
        return mg_fail(&s->err, MG_ERR_ARG, "a preset id is at most %d printable ASCII characters (got %zu bytes)",
                       MG_PRESET_MAX, len);
    memcpy(s->preset, id, len);
    s->preset[len] = '\0';
    return MG_OK;
}

mg_status mg_session_restore_run(mg_session *s, int step, int num_steps) {
    if (step < 0 || num_steps < 0 || step > num_steps)
        return mg_fail(&s->err, MG_ERR_ARG, "step %d of %d is impossible", step, num_steps);
    s->step = step;
    s->num_steps = num_steps;
    return MG_OK;
}

void mg_session_reseed_sampler(mg_session *s, uint64_t seed) { mg_sampler_reseed(&s->sampler, seed); }

/* Document for step s: [BOS, courses..., BOS], cut to block_size + 1 tokens. */
static int document_positions(int len, int block_size) { return len + 1 < block_size ? len + 1 : block_size; }

static int document_tokens(const mg_session *s, int step, int32_t *tokens) {
    const mg_dataset *ds = &s->data;
    int d = ds->order[step % ds->num_docs];
    int len = ds->doc_len[d];
    int n = document_positions(len, s->model.config.block_size);
    tokens[0] = ds->bos;
    for (int i = 1; i <= n; i++) tokens[i] = i <= len ? ds->tokens[ds->doc_start[d] + i - 1] : ds->bos;
    return n;
}

int mg_session_step_positions(const mg_session *s, int step) {
    const mg_dataset *ds = &s->data;
    return document_positions(ds->doc_len[ds->order[step % ds->num_docs]], s->model.config.block_size);
}

/* One training loop for both entries: watch_out, if not NULL, gets per step
 * the watched dial's (grad, m, v, update) after that step's update. */
mg_status mg_train_watch(mg_session *s, int n, int num_steps, double *losses_out, int watch_index,
                         double *watch_out /* (n, 4) */) {
    if (num_steps < 1 || num_steps > MG_MAX_STEPS)
        return mg_fail(&s->err, MG_ERR_ARG, "the run length must be 1..%d steps (got %d)", MG_MAX_STEPS, num_steps);
    if (s->num_steps && num_steps != s->num_steps)
        return mg_fail(&s->err, MG_ERR_STATE,
                       "this run was planned for %d steps and is at step %d; reset to plan %d",
                       s->num_steps, s->step, num_steps);
    if (n < 0 || n > num_steps - s->step)
        return mg_fail(&s->err, MG_ERR_STATE,
                       "cannot train %d more steps: the run is at step %d of %d; reset to start again",
                       n, s->step, num_steps);
    if (watch_out && (watch_index < 0 || (size_t)watch_index >= s->model.num_params))
        return mg_fail(&s->err, MG_ERR_ARG, "dial %d does not exist (0..%zu)", watch_index,
                       s->model.num_params - 1);
    s->num_steps = num_steps;
    for (int i = 0; i < n; i++) {
        int len = document_tokens(s, s->step, s->tokens);
        /* the gradients are written anew: SPEC's zeroed gradients */
        double loss = mg_model_train(&s->model, &s->acts, &s->adam, s->tokens, len, s->grads, s->step, num_steps);
        s->step++;
        if (losses_out) losses_out[i] = loss;
        if (watch_out) {
            double *w = watch_out + 4 * (size_t)i;
            w[0] = s->grads[watch_index];
            w[1] = s->adam.m[watch_index];
            w[2] = s->adam.v[watch_index];
            w[3] = mg_adam_update_of(&s->adam, (size_t)watch_index);
        }
    }
    mg_adam_settle(&s->adam);
    return MG_OK;
}

mg_status mg_train(mg_session *s, int n, int num_steps, double *losses_out) {
    return mg_train_watch(s, n, num_steps, losses_out, -1, NULL);
}

/* One name from the sampler's stream, course by course. The one loop of
 * mg_sample and mg_sample_trace: with trace (else NULL), each course's
 * probabilities, the number drawn and the pick are written as it is drawn. */
static mg_status draw_name(mg_session *s, mg_sampler *sampler, double temperature, char *out, size_t cap,
                           size_t *out_len, double *trace, int *n_steps) {
    mg_status rc = mg_check_temperature(temperature, &s->err);
    if (rc) return rc;
    const int block = s->model.config.block_size, V = s->data.vocab_size;
    if (cap < (size_t)block * 4 + 1)
        return mg_fail(&s->err, MG_ERR_ARG, "the name buffer needs %d bytes", block * 4 + 1);
    size_t len = 0;
    int token = s->data.bos, pos = 0;
    while (pos < block) {
        mg_forward_position(&s->acts, &s->model, token, pos);
        const double *logits = s->acts.logits + (size_t)pos * V;
        token = mg_sampler_draw(sampler, logits, temperature, trace ? trace + (size_t)pos * (size_t)(V + 2) : NULL);
        pos++;
        if (token == s->data.bos) break;
        len += (size_t)mg_dataset_utf8(&s->data, token, out + len);
    }
    out[len] = '\0';
    if (out_len) *out_len = len;
    if (n_steps) *n_steps = pos;
    return MG_OK;
}

mg_status mg_sample(mg_session *s, double temperature, char *out, size_t cap, size_t *out_len) {
    return draw_name(s, &s->sampler, temperature, out, cap, out_len, NULL, NULL);
}

mg_status mg_sample_trace(mg_session *s, uint64_t seed, double temperature, char *out, size_t cap,
                          size_t *out_len, double *trace, size_t trace_cap, int *n_steps) {
    const size_t need = (size_t)s->model.config.block_size * (size_t)(s->data.vocab_size + 2);
    if (trace && trace_cap < need)
        return mg_fail(&s->err, MG_ERR_ARG, "the trace buffer needs %zu doubles (got %zu)", need, trace_cap);
    mg_sampler_reseed(&s->side, seed);
    return draw_name(s, &s->side, temperature, out, cap, out_len, trace, n_steps);
}

mg_status mg_sample_seeded(mg_session *s, uint64_t seed, double temperature, char *out, size_t cap,
                           size_t *out_len) {
    return mg_sample_trace(s, seed, temperature, out, cap, out_len, NULL, 0, NULL);
}

mg_status mg_session_encode_name(mg_session *s, const char *name, size_t len, int32_t *tokens,
                                 int *n_tokens) {
    /* a name of n courses makes n + 1 predictions, which must fit the block */
    const int max_len = s->model.config.block_size - 1;
    int n = 0;
    mg_status rc = mg_dataset_encode(&s->data, name, len, tokens + 1, max_len, &n, &s->err);
    if (rc) return rc;
    if (n == 0)
        return mg_fail(&s->err, MG_ERR_ARG, "the name is empty: type at least one character");
    tokens[0] = tokens[n + 1] = s->data.bos;
    *n_tokens = n + 2;
    return MG_OK;
}

mg_status mg_name_loss(mg_session *s, const char *name, size_t len, double *loss) {
    int n_tokens = 0;
    mg_status rc = mg_session_encode_name(s, name, len, s->tokens, &n_tokens);
    if (rc) return rc;
    *loss = mg_forward_loss(&s->acts, &s->model, s->tokens, n_tokens - 1);
    return MG_OK;
}

int mg_session_cut_records(const mg_session *s) {
    int cut = 0;
    for (int d = 0; d < s->data.num_docs; d++)
        cut += document_positions(s->data.doc_len[d], s->model.config.block_size) < s->data.doc_len[d] + 1;
    return cut;
}
