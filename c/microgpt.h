/*
 * microgpt.h - the public header of the microgpt core: what the CLI, the
 * wasm exports and the tests use. A session (a dataset, a model, its
 * optimizer and sampler, as one run) keeps its parts; the core's own files
 * reach them through session_internal.h.
 *
 * Every function that can fail returns an mg_status and leaves a message in
 * an mg_error (the session's own, or one the caller passes). Nothing here
 * exits, aborts or keeps hidden global state.
 */
#ifndef MICROGPT_H
#define MICROGPT_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------------ */
/* errors (web/src/engine.js mirrors these codes) */

typedef enum {
    MG_OK = 0,
    MG_ERR_ARG = 1,        /* a bad argument: NaN temperature, negative count, ... */
    MG_ERR_NOMEM = 2,      /* an allocation failed */
    MG_ERR_DATA = 3,       /* the dataset text is unusable */
    MG_ERR_CONFIG = 4,     /* model sizes out of range or inconsistent */
    MG_ERR_CHECKPOINT = 5, /* a parameter file is malformed or does not fit */
    MG_ERR_STATE = 6,      /* a call in the wrong order (e.g. run finished) */
    MG_ERR_IO = 7,         /* a file could not be read or written (CLI only) */
} mg_status;

#define MG_ERROR_LEN 256
typedef struct {
    mg_status code;
    char msg[MG_ERROR_LEN];
} mg_error;

/* Records code and a printf-style message in err (if err is non-NULL). */
mg_status mg_fail(mg_error *err, mg_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
const char *mg_status_name(mg_status code);
/* Writes n with thousands separators ("1,399") into out (cap >= 27); returns out. */
char *mg_group_digits(char *out, size_t cap, uint64_t n);
/* Writes bytes as whole MiB, rounded up, grouped ("1,399"): a figure over a
 * limit never reads as the limit itself. */
char *mg_format_mib(char *out, size_t cap, uint64_t bytes);

/* ------------------------------------------------------------------------ */
/* limits: every other size is checked against these */

/* Bytes one session may allocate: its records, the dials, their transposed
 * copy and gradients, Adam's memory, the activations (with the L*H*T*T
 * attention weights and the KV cache) and the sampler's scratch. A config
 * is refused over it before anything is allocated for it. 256 MiB. */
#define MG_MAX_SESSION_BYTES ((uint64_t)256 << 20)
#define MG_MAX_DATA_BYTES (16u << 20) /* 16 MiB of text */
#define MG_MAX_VOCAB 1024             /* distinct code points + BOS */
#define MG_MAX_EMBD 512
#define MG_MAX_LAYER 16
#define MG_MAX_BLOCK 256
#define MG_MAX_PARAMS 4000000
#define MG_MAX_STEPS 100000000  /* the longest run */
#define MG_MAX_SAMPLES 10000     /* names per call: 10,000 x (4 x block_size + 1) bytes at most */
#define MG_PRESET_MAX 32         /* bytes of a preset id */

/* ------------------------------------------------------------------------ */
/* sizes of a model (model.c) */

typedef struct {
    int n_embd;     /* width of the stream (flavor card size) */
    int n_head;     /* sous chefs */
    int n_layer;    /* stations on the line */
    int block_size; /* longest sequence, in tokens */
} mg_config;

#define MG_CONFIG_DEFAULT {16, 4, 1, 16}
/* The reference run's seed and length, and the names microgpt.py prints after it. */
#define MG_DEFAULT_SEED 42
#define MG_DEFAULT_STEPS 1000
#define MG_DEFAULT_SAMPLES 20

/* Checks the ranges, the parameter count and the memory bound. */
mg_status mg_config_check(const mg_config *c, int vocab_size, mg_error *err);
/* Number of dials of a config (its ranges already checked). */
size_t mg_config_params(const mg_config *c, int vocab_size);
/* Bytes a session of this config allocates besides its records (session.c):
 * everything mg_session_create adds once the records are read. UINT64_MAX
 * for sizes out of range. 64-bit, so a huge config cannot wrap on wasm32. */
uint64_t mg_config_memory(const mg_config *c, int vocab_size);

/* One entry of the size table: a tensor of the flat parameter buffer. */
#define MG_TENSOR_NAME 24
typedef struct {
    char name[MG_TENSOR_NAME]; /* "wte", "layer0.attn_wq", ... */
    int rows, cols;
    size_t offset;             /* into the flat parameter buffer */
} mg_tensor;

/* The risk dial's range (sampler.c): 0 (always the likeliest course) or
 * MG_TEMPERATURE_MIN..MG_TEMPERATURE_MAX; below the minimum the scaled
 * logits can overflow. */
#define MG_TEMPERATURE_MIN 0.001
#define MG_TEMPERATURE_MAX 100.0
#define MG_TEMPERATURE_DEFAULT 0.5 /* microgpt.py's */
mg_status mg_check_temperature(double temperature, mg_error *err);

/* Adam's constants (adam.c; SPEC.md section 4) and the learning-rate
 * schedule: MG_ADAM_LR decayed linearly over the run. */
#define MG_ADAM_LR 0.01
#define MG_ADAM_BETA1 0.85
#define MG_ADAM_BETA2 0.99
#define MG_ADAM_EPS 1e-8
/* The learning rate of 0-based step s of a run of num_steps steps. */
double mg_learning_rate(int s, int num_steps);

/* The dishes (steps) at which a run's names are kept as milestones, besides
 * its last: the kitchen and the chapters read them through mgw_facts. */
#define MG_MILESTONE_STEPS {1, 100, 500}
#define MG_MILESTONE_COUNT 3

/* ------------------------------------------------------------------------ */
/* session.c: a dataset, a model, its optimizer and sampler, as one run */

typedef struct mg_session mg_session;

mg_status mg_session_create(mg_session **out, const mg_config *config, const char *text,
                            size_t len, uint64_t seed, mg_error *err);
/* Tighter bounds for a caller that keeps several sessions or must answer
 * quickly (the kitchen): 0 means the core's own. max_work bounds the dials
 * x block_size of the config (the multiply-adds of one name). */
typedef struct {
    uint64_t max_bytes; /* records + session memory, at most MG_MAX_SESSION_BYTES */
    uint64_t max_work;  /* dials x block_size; 0: no bound */
} mg_bounds;
mg_status mg_session_create_bounded(mg_session **out, const mg_config *config, const char *text,
                                    size_t len, uint64_t seed, const mg_bounds *bounds, mg_error *err);
void mg_session_free(mg_session *s);
mg_error *mg_session_error(mg_session *s);
const mg_config *mg_session_config(const mg_session *s);
int mg_session_vocab_size(const mg_session *s);
/* The vocabulary's code points (vocab_size - 1, ascending; BOS is the last id). */
const uint32_t *mg_session_vocab(const mg_session *s);
int mg_session_num_docs(const mg_session *s);
/* Each record's length in courses, in the records' order (num_docs). */
const int32_t *mg_session_doc_lengths(const mg_session *s);
/* Record i's token ids (mg_session_doc_lengths(s)[i] of them), as the engine
 * took the record: the records' one rule (stripping, blank lines) is C's. */
const uint16_t *mg_session_doc_tokens(const mg_session *s, int i);
/* The positions step trains on (its record's courses + 1, at most block_size). */
int mg_session_step_positions(const mg_session *s, int step);
size_t mg_session_num_params(const mg_session *s);
int mg_session_num_tensors(const mg_session *s);
/* Tensor i of the size table (0 <= i < num_tensors). */
const mg_tensor *mg_session_tensor(const mg_session *s, int i);
/* Read-only views of the run's live buffers (num_params each): the dials,
 * Adam's m, v and last update, and the last step's gradient. */
typedef struct {
    const double *params, *m, *v, *update, *grads;
} mg_run_view;
mg_run_view mg_session_view(const mg_session *s);
/* Turns one dial by hand (index < num_params, value finite). */
mg_status mg_session_set_param(mg_session *s, int index, double value);
int mg_session_step(const mg_session *s);
int mg_session_num_steps(const mg_session *s);
uint64_t mg_session_seed(const mg_session *s);
/* Identity of the records the session was created from: FNV-1a 64 of the
 * text's bytes, computed once at create (parameter files name it). */
uint64_t mg_session_records_hash(const mg_session *s);
/* The records' preset id ("" if none): saved in parameter files so a file
 * can say which records it needs. At most MG_PRESET_MAX bytes of printable
 * ASCII; anything else is refused with MG_ERR_ARG. */
mg_status mg_session_set_preset(mg_session *s, const char *id, size_t len);
const char *mg_session_preset(const mg_session *s);
/* Would the session's records take this config within bounds (NULL: the
 * core's own)? The checks mg_session_create_bounded makes, without allocating
 * anything; num_params gets the config's dial count. */
mg_status mg_session_check_config(const mg_session *s, const mg_config *c, const mg_bounds *bounds,
                                  size_t *num_params, mg_error *err);
/* Records longer than the block takes: a record of len courses trains on
 * min(len + 1, block_size) positions, so len >= block_size loses its end. */
int mg_session_cut_records(const mg_session *s);

/* Trains n more steps of a run of num_steps planned steps (fixed by the
 * first call after creation or reset); losses_out gets n losses (may be NULL). */
mg_status mg_train(mg_session *s, int n, int num_steps, double *losses_out);
/* mg_train that also writes, per step, one dial's gradient, Adam's m and v
 * and its update after the step into watch_out (n x 4: grad, m, v, update),
 * so a chart can follow that dial at every step. watch_out NULL: mg_train. */
mg_status mg_train_watch(mg_session *s, int n, int num_steps, double *losses_out, int watch_index,
                         double *watch_out);
/* Samples one name as UTF-8 into out (cap bytes incl. NUL). */
mg_status mg_sample(mg_session *s, double temperature, char *out, size_t cap, size_t *out_len);
/* Starts over: the shuffle and the initial dials of seed, Adam's memory
 * cleared, step 0, no planned length. */
void mg_session_reset(mg_session *s, uint64_t seed);
/* Sets the run's place (used when a parameter file is loaded). */
mg_status mg_session_restore_run(mg_session *s, int step, int num_steps);
/* Samples one name from a private stream seeded with seed, leaving the
 * run's sampler stream untouched (for milestones and previews). */
mg_status mg_sample_seeded(mg_session *s, uint64_t seed, double temperature, char *out, size_t cap,
                           size_t *out_len);
/* mg_sample_seeded's name for seed and temperature, and how it was drawn:
 * per course p (*n_steps of them, at most block_size; the last is the bell
 * unless the block filled up), V + 2 doubles at trace + p * (V + 2): the V
 * probabilities at the temperature, the uniform number in [0, 1) drawn
 * (NaN at temperature 0: the likeliest, no draw) and the token picked.
 * trace_cap >= block_size * (V + 2); trace NULL: only the name. */
mg_status mg_sample_trace(mg_session *s, uint64_t seed, double temperature, char *out, size_t cap,
                          size_t *out_len, double *trace, size_t trace_cap, int *n_steps);
/* Reseeds only the run's sampler stream. */
void mg_session_reseed_sampler(mg_session *s, uint64_t seed);
/* Encodes a name as [BOS, courses..., BOS] into tokens (cap >= block_size + 2);
 * fails with a message on characters outside the vocabulary or a name that
 * does not fit in the block. */
mg_status mg_session_encode_name(mg_session *s, const char *name, size_t len, int32_t *tokens,
                                 int *n_tokens);
/* Loss of one name (UTF-8, no BOS) at the current dials, without changing anything. */
mg_status mg_name_loss(mg_session *s, const char *name, size_t len, double *loss);

/* ------------------------------------------------------------------------ */
/* checkpoint.c: the versioned parameter file */

#define MG_CHECKPOINT_MAGIC 0x5450474Du /* "MGPT" little-endian */
#define MG_CHECKPOINT_VERSION 2u /* 2 names the records; version 1 files still load */

/* FNV-1a 64 of n bytes (the file's checksum and the records' identity). */
uint64_t mg_fnv1a64(const uint8_t *p, size_t n);
/* 1 if id (len bytes) can be a preset id: at most MG_PRESET_MAX bytes of printable ASCII. */
int mg_preset_check(const char *id, size_t len);

/* What a parameter file says about itself (mg_checkpoint_peek). */
typedef struct {
    int version;
    mg_config config;
    int vocab_size;
    uint64_t seed;
    int step, num_steps;
    size_t num_params;
    int has_adam;
    int has_records;             /* version 2: records_hash and preset are the file's */
    uint64_t records_hash;       /* FNV-1a 64 of the records' text bytes */
    char preset[MG_PRESET_MAX + 1]; /* NUL-terminated, "" if none */
} mg_checkpoint_info;

/* Writes the session as a parameter file (version 2) into a malloc'ed buffer. */
mg_status mg_checkpoint_save(mg_session *s, uint8_t **out, size_t *out_len);
/* Restores dials, Adam state and step from a parameter file; the file's
 * records (version 2), config and vocabulary must equal the session's; a
 * refused file changes nothing. */
mg_status mg_checkpoint_load(mg_session *s, const uint8_t *buf, size_t len);
/* Checks a parameter file and reads what it says (to create a fitting session). */
mg_status mg_checkpoint_peek(const uint8_t *buf, size_t len, mg_checkpoint_info *info, mg_error *err);
/* The length of the largest parameter file any session within the limits
 * can load: readers stop there (96,004,192 bytes with the limits above). */
size_t mg_checkpoint_max_bytes(void);

/* ------------------------------------------------------------------------ */
/* inspect.c: read-only views for the chapters. None of these changes a dial,
 * Adam's memory, the step or the sampler's stream. */

/* Where mg_inspect writes each part, in doubles from the start, for a text
 * of n_chars characters (n = n_chars + 1 positions); size is the total:
 *   tokens[n], next[n] (the course that follows; BOS after the last)
 *   att[L][H][n][n]   row p: weights over positions 0..p (the rest 0)
 *   mlp_pre[L][n][F], mlp_post[L][n][F]   back kitchen before/after ReLU
 *   stream[L][n][3]   |x| entering the layer, after the attention add,
 *                     after the MLP add (L2 norms)
 *   probs[n][V]       next-course probabilities at temperature 1
 *   penalty[n]        -ln probs[p][next[p]]
 * All size_t, in this order (mgw_inspect_layout copies it for JS). */
typedef struct {
    size_t size, tokens, next, att, mlp_pre, mlp_post, stream, probs, penalty;
} mg_inspect_layout;
mg_inspect_layout mg_inspect_layout_of(const mg_session *s, int n_chars);
/* Doubles mg_inspect writes for a text of n_chars characters. */
size_t mg_inspect_size(const mg_session *s, int n_chars);
/* For text (a name or prefix, at most block_size - 1 characters), runs
 * [BOS, text...] through the model and writes mg_inspect_layout's parts. */
mg_status mg_inspect(mg_session *s, const char *text, size_t len, double *out, size_t cap,
                     int *n_positions);
/* Next-course probabilities after [BOS, prefix...] at a temperature (V values). */
mg_status mg_next_probs(mg_session *s, const char *prefix, size_t len, double temperature,
                        double *probs);
/* Loss of one name and its gradient for every dial (num_params values, in
 * parameter order), computed without touching the run. */
mg_status mg_name_grad(mg_session *s, const char *name, size_t len, double *grads, double *loss);
/* Per tensor: L2 norm of the last step's gradient and RMS of Adam's last
 * update (2 x num_tensors values). */
void mg_step_stats(mg_session *s, double *out);

#endif
