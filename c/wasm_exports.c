/* wasm_exports.c - the functions the WebAssembly module exports, thin
 * wrappers over microgpt.h and nothing else. The export list is
 * c/exports.json; web/src/engine.js gives each one a JS method.
 *
 * Every function returns an mg_status; on failure mgw_error() holds the
 * message until the next call. That one message buffer is the export layer's
 * errno: the module is single-threaded and JS reads it at once. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "microgpt.h"

static mg_error last_error;

static int keep(mg_session *s, int rc) {
    if (rc && s) last_error = *mg_session_error(s);
    return rc;
}

const char *mgw_error(void) { return last_error.msg; }

/* JS numbers reach C as doubles: a seed (or bound) is a whole number 0..2^53. */
#define MGW_SEED_MAX 9007199254740992.0
static int check_seed(double seed) {
    if (!(seed >= 0 && seed <= MGW_SEED_MAX) || seed != (double)(uint64_t)seed)
        return mg_fail(&last_error, MG_ERR_ARG, "the seed must be a whole number from 0 to 2^53 (got %g)", seed);
    return MG_OK;
}

/* The limits of microgpt.h, for JS to check before it copies anything in:
 * [session bytes, dataset bytes, vocab size (with BOS), n_embd, n_layer,
 *  block_size, parameters, parameter-file bytes, run steps, names per call,
 *  bytes of a preset id] */
int mgw_limits(uint32_t *out) {
    uint32_t v[] = {(uint32_t)MG_MAX_SESSION_BYTES, MG_MAX_DATA_BYTES, MG_MAX_VOCAB, MG_MAX_EMBD,
                    MG_MAX_LAYER, MG_MAX_BLOCK, MG_MAX_PARAMS, (uint32_t)mg_checkpoint_max_bytes(),
                    MG_MAX_STEPS, MG_MAX_SAMPLES, MG_PRESET_MAX};
    memcpy(out, v, sizeof v);
    return MG_OK;
}

/* The facts JS shows or checks that are not sizes (web/src/engine.js names
 * them in this order): [seed max, temperature min (besides 0), temperature
 * max, the default temperature, Adam's lr, beta1, beta2, eps, the default config's n_embd, n_head,
 * n_layer, block_size, the default seed, run length and number of names,
 * the number of milestone steps, the steps...] */
int mgw_facts(double *out) {
    const mg_config c = MG_CONFIG_DEFAULT;
    const int milestones[] = MG_MILESTONE_STEPS;
    double v[] = {MGW_SEED_MAX, MG_TEMPERATURE_MIN, MG_TEMPERATURE_MAX, MG_TEMPERATURE_DEFAULT,
                  MG_ADAM_LR, MG_ADAM_BETA1, MG_ADAM_BETA2,
                  MG_ADAM_EPS, c.n_embd, c.n_head, c.n_layer, c.block_size, MG_DEFAULT_SEED, MG_DEFAULT_STEPS,
                  MG_DEFAULT_SAMPLES, MG_MILESTONE_COUNT};
    memcpy(out, v, sizeof v);
    for (int i = 0; i < MG_MILESTONE_COUNT; i++) out[sizeof v / sizeof *v + i] = milestones[i];
    return MG_OK;
}

/* The learning rate of 0-based step s of a run of num_steps (Adam's schedule). */
int mgw_learning_rate(int s, int num_steps, double *out) {
    if (num_steps < 1 || s < 0 || s >= num_steps)
        return mg_fail(&last_error, MG_ERR_ARG, "the step must be 0..%d of a run of 1 or more steps (got %d of %d)",
                       num_steps - 1, s, num_steps);
    *out = mg_learning_rate(s, num_steps);
    return MG_OK;
}

void *mgw_malloc(size_t n) { return malloc(n ? n : 1); }
void mgw_free(void *p) { free(p); }

/* max_bytes, max_work: the caller's tighter bounds (mg_bounds), 0 for none */
int mgw_create(int n_embd, int n_head, int n_layer, int block_size, const char *text, size_t len,
               double seed, double max_bytes, double max_work, mg_session **out) {
    if (check_seed(seed)) return last_error.code;
    if (!(max_bytes >= 0 && max_bytes <= MGW_SEED_MAX) || !(max_work >= 0 && max_work <= MGW_SEED_MAX))
        return mg_fail(&last_error, MG_ERR_ARG, "the bounds must be whole numbers from 0 to 2^53");
    mg_config c = {n_embd, n_head, n_layer, block_size};
    mg_bounds b = {(uint64_t)max_bytes, (uint64_t)max_work};
    return mg_session_create_bounded(out, &c, text, len, (uint64_t)seed, &b, &last_error);
}

int mgw_destroy(mg_session *s) {
    mg_session_free(s);
    return MG_OK;
}

int mgw_reset(mg_session *s, double seed) {
    if (check_seed(seed)) return last_error.code;
    mg_session_reset(s, (uint64_t)seed);
    return MG_OK;
}

int mgw_train(mg_session *s, int n, int num_steps, double *losses) {
    return keep(s, mg_train(s, n, num_steps, losses));
}

/* Trains n steps; watch gets (n x 4) the dial watch_index's gradient, m, v, update per step. */
int mgw_train_watch(mg_session *s, int n, int num_steps, double *losses, int watch_index, double *watch) {
    return keep(s, mg_train_watch(s, n, num_steps, losses, watch_index, watch));
}

/* count names, each followed by '\n', into out (cap bytes). seed < 0 draws
 * from the run's sampler stream; a seed >= 0 from a private stream (the
 * names of name i use seed + i), leaving the run's stream as it was. */
int mgw_sample(mg_session *s, int count, double temperature, double seed, char *out, size_t cap,
               size_t *out_len) {
    if (seed >= 0 && check_seed(seed)) return last_error.code;
    size_t name_cap = (size_t)mg_session_config(s)->block_size * 4 + 1;
    if (count < 0 || count > MG_MAX_SAMPLES)
        return mg_fail(&last_error, MG_ERR_ARG, "the number of names must be 0..%d (got %d)", MG_MAX_SAMPLES, count);
    if (cap < (size_t)count * name_cap)
        return mg_fail(&last_error, MG_ERR_ARG, "the name buffer needs %zu bytes", (size_t)count * name_cap);
    size_t used = 0;
    for (int i = 0; i < count; i++) {
        size_t n;
        int rc = seed >= 0 ? mg_sample_seeded(s, (uint64_t)seed + (uint64_t)i, temperature, out + used, cap - used, &n)
                           : mg_sample(s, temperature, out + used, cap - used, &n);
        if (rc) return keep(s, rc);
        used += n;
        out[used++] = '\n';
    }
    *out_len = used;
    return MG_OK;
}

/* One name from a private stream seeded with seed, and how each course was
 * drawn (mg_sample_trace): the name into out (cap bytes), the trace into
 * trace (trace_cap doubles, block_size * (vocab_size + 2)). */
int mgw_sample_trace(mg_session *s, double seed, double temperature, char *out, size_t cap, size_t *out_len,
                     double *trace, size_t trace_cap, int *n_steps) {
    if (check_seed(seed)) return last_error.code;
    return keep(s, mg_sample_trace(s, (uint64_t)seed, temperature, out, cap, out_len, trace, trace_cap, n_steps));
}

int mgw_reseed_sampler(mg_session *s, double seed) {
    if (check_seed(seed)) return last_error.code;
    mg_session_reseed_sampler(s, (uint64_t)seed);
    return MG_OK;
}

/* Writes the run's figures and the addresses of its live buffers:
 * [n_embd, n_head, n_layer, block_size, vocab_size, num_params, step,
 *  num_steps, num_docs, num_tensors, params, adam_m, adam_v, adam_update,
 *  grads, seed (low 32 bits), seed (high 32 bits)] */
int mgw_info(mg_session *s, uint32_t *out) {
    const mg_config *c = mg_session_config(s);
    const mg_run_view run = mg_session_view(s);
    uint64_t seed = mg_session_seed(s);
    uint32_t v[] = {(uint32_t)c->n_embd, (uint32_t)c->n_head, (uint32_t)c->n_layer, (uint32_t)c->block_size,
                    (uint32_t)mg_session_vocab_size(s), (uint32_t)mg_session_num_params(s),
                    (uint32_t)mg_session_step(s), (uint32_t)mg_session_num_steps(s),
                    (uint32_t)mg_session_num_docs(s), (uint32_t)mg_session_num_tensors(s),
                    (uint32_t)(uintptr_t)run.params, (uint32_t)(uintptr_t)run.m, (uint32_t)(uintptr_t)run.v,
                    (uint32_t)(uintptr_t)run.update, (uint32_t)(uintptr_t)run.grads, (uint32_t)seed,
                    (uint32_t)(seed >> 32)};
    memcpy(out, v, sizeof v);
    return MG_OK;
}

/* Tensor i of the size table: name (NUL-terminated, 24 bytes) and [rows, cols, offset]. */
int mgw_tensor(mg_session *s, int i, char *name, uint32_t *shape) {
    const int n = mg_session_num_tensors(s);
    if (i < 0 || i >= n) return mg_fail(&last_error, MG_ERR_ARG, "tensor %d does not exist (0..%d)", i, n - 1);
    const mg_tensor *t = mg_session_tensor(s, i);
    memcpy(name, t->name, MG_TENSOR_NAME);
    shape[0] = (uint32_t)t->rows; shape[1] = (uint32_t)t->cols; shape[2] = (uint32_t)t->offset;
    return MG_OK;
}

/* The vocabulary's code points (vocab_size - 1 of them; BOS is the last id). */
int mgw_vocab(mg_session *s, uint32_t *out) {
    memcpy(out, mg_session_vocab(s), sizeof(uint32_t) * (size_t)(mg_session_vocab_size(s) - 1));
    return MG_OK;
}

/* Number of records, then each record's length in courses (for chapter 1). */
int mgw_doc_lengths(mg_session *s, int32_t *out, int cap) {
    const int n = mg_session_num_docs(s);
    if (cap < n) return mg_fail(&last_error, MG_ERR_ARG, "the buffer needs %d entries", n);
    memcpy(out, mg_session_doc_lengths(s), sizeof(int32_t) * (size_t)n);
    return MG_OK;
}

/* Every record's token ids, record after record in file order (cap: the sum
 * of mgw_doc_lengths's lengths): with the vocabulary, the records as the
 * engine took them, so a page never strips lines by a rule of its own. */
int mgw_doc_tokens(mg_session *s, uint16_t *out, double cap) {
    const int n = mg_session_num_docs(s);
    const int32_t *len = mg_session_doc_lengths(s);
    double need = 0;
    for (int i = 0; i < n; i++) need += len[i];
    if (!(cap >= need))
        return mg_fail(&last_error, MG_ERR_ARG, "the buffer needs %.0f entries", need);
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        memcpy(out + at, mg_session_doc_tokens(s, i), sizeof(uint16_t) * (size_t)len[i]);
        at += (size_t)len[i];
    }
    return MG_OK;
}

int mgw_save(mg_session *s, uint8_t **out, size_t *out_len) {
    return keep(s, mg_checkpoint_save(s, out, out_len));
}

int mgw_load(mg_session *s, const uint8_t *buf, size_t len) {
    return keep(s, mg_checkpoint_load(s, buf, len));
}

int mgw_next_probs(mg_session *s, const char *prefix, size_t len, double temperature, double *probs) {
    return keep(s, mg_next_probs(s, prefix, len, temperature, probs));
}

/* mg_inspect_layout for n_chars characters: [size, tokens, next, att,
 * mlp_pre, mlp_post, stream, probs, penalty] (offsets in doubles). */
int mgw_inspect_layout(mg_session *s, int n_chars, size_t *out) {
    const mg_inspect_layout at = mg_inspect_layout_of(s, n_chars);
    memcpy(out, &at, sizeof at);
    return MG_OK;
}

int mgw_inspect(mg_session *s, const char *text, size_t len, double *out, size_t cap, int *n_positions) {
    return keep(s, mg_inspect(s, text, len, out, cap, n_positions));
}

int mgw_name_grad(mg_session *s, const char *name, size_t len, double *grads, double *loss) {
    return keep(s, mg_name_grad(s, name, len, grads, loss));
}

int mgw_name_loss(mg_session *s, const char *name, size_t len, double *loss) {
    return keep(s, mg_name_loss(s, name, len, loss));
}

int mgw_step_stats(mg_session *s, double *out) {
    mg_step_stats(s, out);
    return MG_OK;
}

/* Turns one dial (the nudge test). */
int mgw_set_param(mg_session *s, int index, double value) {
    return keep(s, mg_session_set_param(s, index, value));
}

/* What a parameter file says about itself, checked as a load would before
 * any session exists (so the page can say which records and size it needs):
 * out gets [version, n_embd, n_head, n_layer, block_size, vocab_size,
 * seed (low 32 bits), seed (high 32 bits), step, num_steps, num_params,
 * has_adam, has_records, records hash (low 32), records hash (high 32)],
 * preset gets the preset id, NUL-terminated (MG_PRESET_MAX + 1 bytes). */
int mgw_peek(const uint8_t *buf, size_t len, uint32_t *out, char *preset) {
    mg_checkpoint_info i;
    int rc = mg_checkpoint_peek(buf, len, &i, &last_error);
    if (rc) return rc;
    uint32_t v[] = {(uint32_t)i.version, (uint32_t)i.config.n_embd, (uint32_t)i.config.n_head,
                    (uint32_t)i.config.n_layer, (uint32_t)i.config.block_size, (uint32_t)i.vocab_size,
                    (uint32_t)i.seed, (uint32_t)(i.seed >> 32), (uint32_t)i.step, (uint32_t)i.num_steps,
                    (uint32_t)i.num_params, (uint32_t)i.has_adam, (uint32_t)i.has_records,
                    (uint32_t)i.records_hash, (uint32_t)(i.records_hash >> 32)};
    memcpy(out, v, sizeof v);
    memcpy(preset, i.preset, sizeof i.preset);
    return MG_OK;
}

/* The session's records: hash into hash[2] (low, high 32 bits), preset id
 * into preset (MG_PRESET_MAX + 1 bytes, NUL-terminated). */
int mgw_records(mg_session *s, uint32_t *hash, char *preset) {
    uint64_t h = mg_session_records_hash(s);
    hash[0] = (uint32_t)h;
    hash[1] = (uint32_t)(h >> 32);
    memset(preset, 0, MG_PRESET_MAX + 1);
    strcpy(preset, mg_session_preset(s));
    return MG_OK;
}

int mgw_set_preset(mg_session *s, const char *id, size_t len) {
    return keep(s, mg_session_set_preset(s, id, len));
}

/* A config for the session's records within the caller's bounds (as
 * mgw_create takes them): its dial count into num_params, or the message
 * mgw_create would give. Nothing is allocated. */
int mgw_check_config(mg_session *s, int n_embd, int n_head, int n_layer, int block_size, double max_bytes,
                     double max_work, uint32_t *num_params) {
    if (!(max_bytes >= 0 && max_bytes <= MGW_SEED_MAX) || !(max_work >= 0 && max_work <= MGW_SEED_MAX))
        return mg_fail(&last_error, MG_ERR_ARG, "the bounds must be whole numbers from 0 to 2^53");
    mg_config c = {n_embd, n_head, n_layer, block_size};
    mg_bounds b = {(uint64_t)max_bytes, (uint64_t)max_work};
    size_t n = 0;
    int rc = mg_session_check_config(s, &c, &b, &n, &last_error);
    if (!rc) *num_params = (uint32_t)n;
    return rc;
}

/* Records the block cuts (mg_session_cut_records). */
int mgw_cut_records(mg_session *s, int32_t *out) {
    *out = mg_session_cut_records(s);
    return MG_OK;
}
