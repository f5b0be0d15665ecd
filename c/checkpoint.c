/* checkpoint.c - the parameter file: Ming's dials, the sensei's memory and
 * the run's place, so training can stop and resume.
 *
 * Layout, all little-endian (byte offsets):
 *    0 u32 magic "MGPT", 4 u32 version (2; version 1 files still load)
 *    8 u32 n_embd, n_head, n_layer, block_size, vocab_size
 *   28 u64 seed, 36 u32 step, 40 u32 num_steps, 44 u32 num_params,
 *   48 u32 flags (1 = Adam state)
 *   version 2 only, naming the records the dials were trained on:
 *   52 u64 records hash (FNV-1a 64 of the records' text bytes)
 *   60 u8 preset[32]: the records' preset id, printable ASCII, NUL-padded
 *   52 (v1) or 92 (v2): u32 code point x (vocab_size - 1)
 *   f64 params x num_params, in the reference order
 *   f64 m x num_params, f64 v x num_params   (if flags & 1)
 *   u64 FNV-1a hash of every byte before it
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "session_internal.h"

#define HEADER_V1 52
#define HEADER_V2 (HEADER_V1 + 8 + MG_PRESET_MAX)

static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get_u64(const uint8_t *p) {
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}
static void put_f64s(uint8_t *p, const double *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &x[i], 8);
        put_u64(p + 8 * i, b);
    }
}
static void get_f64s(double *x, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t b = get_u64(p + 8 * i);
        memcpy(&x[i], &b, 8);
    }
}
uint64_t mg_fnv1a64(const uint8_t *p, size_t n) {
    uint64_t h = 14695981039346656037ull; /* the FNV-1a 64 offset basis */
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static size_t header_bytes(uint32_t version) { return version >= 2 ? HEADER_V2 : HEADER_V1; }

/* A file of P dials over a vocabulary of V: header, code points, the dials
 * (and Adam's m and v if has_adam), the hash. */
static uint64_t file_bytes(uint32_t version, uint64_t V, uint64_t P, int has_adam) {
    return header_bytes(version) + 4 * (V - 1) + 8 * P * (has_adam ? 3 : 1) + 8;
}

size_t mg_checkpoint_max_bytes(void) {
    /* a session holds each dial six times (itself, its transposed copy, its
     * gradient, Adam's m, v and update): the bound caps the dials too */
    uint64_t P = MG_MAX_SESSION_BYTES / (6 * sizeof(double));
    if (P > MG_MAX_PARAMS) P = MG_MAX_PARAMS;
    return (size_t)file_bytes(MG_CHECKPOINT_VERSION, MG_MAX_VOCAB, P, 1);
}

mg_status mg_checkpoint_save(mg_session *s, uint8_t **out, size_t *out_len) {
    const mg_model *m = &s->model;
    const mg_dataset *ds = &s->data;
    const mg_adam *opt = &s->adam;
    size_t P = m->num_params, nv = (size_t)ds->vocab_size - 1;
    size_t len = (size_t)file_bytes(MG_CHECKPOINT_VERSION, nv + 1, P, 1);
    uint8_t *b = malloc(len);
    if (!b) return mg_fail(mg_session_error(s), MG_ERR_NOMEM, "out of memory writing the parameter file");
    put_u32(b, MG_CHECKPOINT_MAGIC);
    put_u32(b + 4, MG_CHECKPOINT_VERSION);
    put_u32(b + 8, (uint32_t)m->config.n_embd);
    put_u32(b + 12, (uint32_t)m->config.n_head);
    put_u32(b + 16, (uint32_t)m->config.n_layer);
    put_u32(b + 20, (uint32_t)m->config.block_size);
    put_u32(b + 24, (uint32_t)ds->vocab_size);
    put_u64(b + 28, mg_session_seed(s));
    put_u32(b + 36, (uint32_t)mg_session_step(s));
    put_u32(b + 40, (uint32_t)mg_session_num_steps(s));
    put_u32(b + 44, (uint32_t)P);
    put_u32(b + 48, 1u);
    put_u64(b + 52, mg_session_records_hash(s));
    memset(b + 60, 0, MG_PRESET_MAX);
    memcpy(b + 60, mg_session_preset(s), strlen(mg_session_preset(s)));
    uint8_t *p = b + HEADER_V2;
    for (size_t i = 0; i < nv; i++, p += 4) put_u32(p, ds->vocab[i]);
    put_f64s(p, m->params, P); p += 8 * P;
    put_f64s(p, opt->m, P); p += 8 * P;
    put_f64s(p, opt->v, P); p += 8 * P;
    put_u64(p, mg_fnv1a64(b, (size_t)(p - b)));
    *out = b;
    *out_len = len;
    return MG_OK;
}

int mg_preset_check(const char *id, size_t len) {
    if (len > MG_PRESET_MAX) return 0;
    for (size_t i = 0; i < len; i++)
        if (id[i] < 0x20 || id[i] > 0x7E) return 0;
    return 1;
}

/* Checks everything that does not need a session, the header before the
 * rest (a config over the memory bound or a length that does not fit it is
 * refused before any dial is read); fills info. */
static mg_status check_file(const uint8_t *b, size_t len, mg_checkpoint_info *info, mg_error *err) {
    if (len < HEADER_V1)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file is only %zu bytes: too short to hold a header of %d bytes", len,
                       HEADER_V1);
    if (get_u32(b) != MG_CHECKPOINT_MAGIC)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "not a microgpt parameter file (it does not start with \"MGPT\"); use a file "
                       "saved by `microgpt train --save` or the page's download");
    uint32_t version = get_u32(b + 4);
    if (version < 1 || version > MG_CHECKPOINT_VERSION)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file has format version %u; this build reads versions 1 to %u: save it "
                       "again with a matching build", version, MG_CHECKPOINT_VERSION);
    const size_t header = header_bytes(version);
    if (len < header)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file is only %zu bytes: it is truncated inside its version %u header of %zu bytes",
                       len, version, header);
    *info = (mg_checkpoint_info){0};
    if (version >= 2) {
        const char *preset = (const char *)b + 60;
        size_t n = 0;
        while (n < MG_PRESET_MAX && preset[n]) n++;
        for (size_t i = n; i < MG_PRESET_MAX; i++)
            if (preset[i]) return mg_fail(err, MG_ERR_CHECKPOINT, "the parameter file's preset id is not NUL-padded: it is corrupted");
        if (!mg_preset_check(preset, n))
            return mg_fail(err, MG_ERR_CHECKPOINT, "the parameter file's preset id is not printable ASCII: it is corrupted");
        memcpy(info->preset, preset, n);
        info->has_records = 1;
        info->records_hash = get_u64(b + 52);
    }
    uint32_t e = get_u32(b + 8), h = get_u32(b + 12), l = get_u32(b + 16), t = get_u32(b + 20);
    uint32_t V = get_u32(b + 24);
    if (e > MG_MAX_EMBD || h > MG_MAX_EMBD || l > MG_MAX_LAYER || t > MG_MAX_BLOCK || V > MG_MAX_VOCAB)
        return mg_fail(err, MG_ERR_CHECKPOINT, "the parameter file's sizes are out of range: it is corrupted");
    mg_config cfg = {(int)e, (int)h, (int)l, (int)t};
    mg_error cerr;
    if (mg_config_check(&cfg, (int)V, &cerr))
        return mg_fail(err, MG_ERR_CHECKPOINT, "the parameter file's config is invalid: %s", cerr.msg);
    /* the config passed the memory bound, so the lengths below cannot wrap */
    size_t P = mg_config_params(&cfg, (int)V);
    if (get_u32(b + 44) != P)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file says %u parameters but its config needs %zu: it is corrupted",
                       get_u32(b + 44), P);
    uint32_t flags = get_u32(b + 48);
    if (flags > 1)
        return mg_fail(err, MG_ERR_CHECKPOINT, "the parameter file has unknown flags %u", flags);
    size_t want = (size_t)file_bytes(version, V, P, (int)flags);
    if (len != want)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file is %zu bytes but should be %zu: it is %s", len, want,
                       len < want ? "truncated" : "followed by extra bytes");
    if (get_u64(b + len - 8) != mg_fnv1a64(b, len - 8))
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file is corrupted: its checksum does not match its contents");
    uint32_t step = get_u32(b + 36), num_steps = get_u32(b + 40);
    if (step > num_steps || num_steps > MG_MAX_STEPS)
        return mg_fail(err, MG_ERR_CHECKPOINT, "the parameter file's step %u of %u is impossible", step,
                       num_steps);
    info->version = (int)version;
    info->config = cfg;
    info->vocab_size = (int)V;
    info->seed = get_u64(b + 28);
    info->step = (int)step;
    info->num_steps = (int)num_steps;
    info->num_params = P;
    info->has_adam = (int)flags & 1;
    return MG_OK;
}

mg_status mg_checkpoint_peek(const uint8_t *buf, size_t len, mg_checkpoint_info *info, mg_error *err) {
    return check_file(buf, len, info, err);
}

mg_status mg_checkpoint_load(mg_session *s, const uint8_t *b, size_t len) {
    mg_error *err = &s->err;
    mg_checkpoint_info info;
    mg_status rc = check_file(b, len, &info, err);
    if (rc) return rc;
    const mg_config c = info.config;
    uint64_t have_hash = s->records_hash;
    if (info.has_records && info.records_hash != have_hash) {
        if (info.preset[0])
            return mg_fail(err, MG_ERR_CHECKPOINT,
                           "this file was trained on the records '%s' (hash %016llx), not these (hash %016llx): "
                           "load those records first", info.preset, (unsigned long long)info.records_hash,
                           (unsigned long long)have_hash);
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "this file was trained on other records (hash %016llx), not these (hash %016llx): load "
                       "those records first", (unsigned long long)info.records_hash, (unsigned long long)have_hash);
    }
    mg_model *m = &s->model;
    const mg_dataset *ds = &s->data;
    const mg_config *have = &m->config;
    if (c.n_embd != have->n_embd || c.n_head != have->n_head || c.n_layer != have->n_layer ||
        c.block_size != have->block_size)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file is for n_embd %d, n_head %d, n_layer %d, block_size %d; this "
                       "model has %d, %d, %d, %d",
                       c.n_embd, c.n_head, c.n_layer, c.block_size, have->n_embd, have->n_head,
                       have->n_layer, have->block_size);
    uint32_t V = get_u32(b + 24);
    int same_vocab = (int)V == ds->vocab_size;
    for (uint32_t i = 0; same_vocab && i + 1 < V; i++)
        same_vocab = get_u32(b + header_bytes((uint32_t)info.version) + 4 * i) == ds->vocab[i];
    if (!same_vocab)
        return mg_fail(err, MG_ERR_CHECKPOINT,
                       "the parameter file was trained on other characters (vocabulary of %u); load it "
                       "with the dataset it was trained on", V);
    size_t P = m->num_params;
    int has_adam = info.has_adam;
    const uint8_t *p = b + header_bytes((uint32_t)info.version) + 4 * ((size_t)V - 1);
    for (size_t i = 0; i < P * (has_adam ? 3 : 1); i++) {
        uint64_t bits = get_u64(p + 8 * i);
        double x;
        memcpy(&x, &bits, 8);
        if (!isfinite(x) || (i >= 2 * P && x < 0.0))
            return mg_fail(err, MG_ERR_CHECKPOINT,
                           "the parameter file holds an impossible value (%g) at number %zu: it is corrupted", x, i);
    }
    /* replay the seed's shuffle and draws, then take the file's state */
    mg_session_reset(s, info.seed);
    if (info.has_records) mg_session_set_preset(s, info.preset, strlen(info.preset)); /* checked above */
    get_f64s(s->grads, p, P); /* decoded through the gradient, which the reset cleared */
    mg_model_set_params(m, s->grads);
    memset(s->grads, 0, sizeof(double) * P);
    if (has_adam) {
        get_f64s(s->adam.m, p + 8 * P, P);
        get_f64s(s->adam.v, p + 16 * P, P);
    }
    return mg_session_restore_run(s, (int)get_u32(b + 36), (int)get_u32(b + 40));
}
