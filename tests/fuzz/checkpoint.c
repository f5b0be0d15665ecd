/* checkpoint.c - libFuzzer harness: any bytes as a parameter file.
 *
 * The file ends with an FNV-1a 64 hash of every byte before it (see
 * c/checkpoint.c), which a mutated input almost never matches. So each input
 * is tried twice: as it is (the checksum refusal), then as a copy whose last
 * 8 bytes are the right hash of the rest, which reaches the parser behind the
 * checksum. A copy the peek accepts is loaded into a session of its config
 * (tiny configs only) whose records use the file's own vocabulary when they
 * can, so the vocabulary check passes and the values are read. A version 2
 * file names its records by hash: the copy gets the session's records hash
 * (and its checksum again), so the records check passes too.
 *
 * Invariants: peek and load accept or refuse with a message; a refused load
 * leaves the session as it was; an accepted version 2 file saves back to the
 * same bytes (when it holds Adam's state), a version 1 file to version 2 with
 * the same dials; and the run can go on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "microgpt.h"

#define HEADER_V1 52        /* the layout in c/checkpoint.c */
#define HEADER_V2 92        /* version 2 adds the records hash (u64) and preset id (32 bytes) at 52 */
#define MAX_FUZZ_PARAMS 20000 /* bigger configs take too long per execution */
#define MAX_FUZZ_BLOCK 32
#define MAX_FUZZ_LAYER 4

#define HARNESS "checkpoint"
#include "harness.h"

static void require_message(mg_status rc, const mg_error *err, mg_status want) {
    require(rc == want, "status %d, expected %d (%s)", (int)rc, (int)want, err->msg);
    require(err->code == rc, "error code %d for status %d", (int)err->code, (int)rc);
    require(memchr(err->msg, '\0', sizeof err->msg) && err->msg[0], "empty or unterminated message");
}

/* The harness's own FNV-1a 64, written from the algorithm, not the library. */
static uint64_t fnv1a64(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p) {
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Where the code points start: after the header of the file's version. */
static size_t header_of(const uint8_t *file) { return get_u32(file + 4) >= 2 ? HEADER_V2 : HEADER_V1; }

/* Makes the last 8 bytes the right hash of the rest. */
static void seal(uint8_t *file, size_t size) {
    if (size >= 8) put_u64(file + size - 8, fnv1a64(file, size - 8));
}

/* Appends the UTF-8 bytes of a Unicode scalar value; 0 bytes for anything else. */
static size_t put_utf8(char *out, uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Records whose vocabulary is meant to be the file's code points: one line
 * "a c1 c2 ... cn a" where the anchor a is one of them, so that if a is not
 * whitespace, stripping keeps every character. Returns the text's length. */
static size_t records_for(const uint8_t *cps, uint32_t n, uint32_t anchor, char *text) {
    size_t len = put_utf8(text, anchor);
    for (uint32_t i = 0; i < n; i++) len += put_utf8(text + len, get_u32(cps + 4 * i));
    len += put_utf8(text + len, anchor);
    return len;
}

/* A session of the file's config and seed whose records have the file's
 * vocabulary, trying the last few code points as the anchor (the last one is
 * nearly always a letter); NULL if the vocabulary cannot be written as
 * records (a line break, a surrogate, only whitespace). */
static mg_session *session_for(const uint8_t *file, const mg_config *config, uint64_t seed) {
    uint32_t V = get_u32(file + 24);
    const uint8_t *cps = file + header_of(file);
    char *text = malloc(4 * (size_t)V + 8);
    require(text != NULL, "out of memory for the records");
    mg_session *s = NULL;
    for (uint32_t tries = 0; tries < 4 && tries + 1 < V && !s; tries++) {
        uint32_t anchor = get_u32(cps + 4 * (V - 2 - tries));
        size_t len = records_for(cps, V - 1, anchor, text);
        mg_error err;
        if (mg_session_create(&s, config, text, len, seed, &err) != MG_OK) continue;
        if (mg_session_vocab_size(s) != (int)V) {
            mg_session_free(s);
            s = NULL;
        }
    }
    free(text);
    return s;
}

static uint8_t *save(mg_session *s, size_t *len) {
    uint8_t *b = NULL;
    mg_status rc = mg_checkpoint_save(s, &b, len);
    require(rc == MG_OK, "saving failed: %s", mg_session_error(s)->msg);
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* 1. the bytes as they are */
    mg_checkpoint_info info;
    mg_error err = {0};
    uint8_t *file = malloc(size ? size : 1); /* exactly size bytes: reads past it are caught */
    if (!file) return 0;
    memcpy(file, data, size);
    mg_status rc = mg_checkpoint_peek(file, size, &info, &err);
    if (rc) require_message(rc, &err, MG_ERR_CHECKPOINT);
    else
        require(size >= 8 && fnv1a64(file, size - 8) == get_u64(file + size - 8),
                "a file with a wrong checksum was accepted");

    /* 2. the same bytes with the checksum made right */
    seal(file, size);
    err = (mg_error){0};
    rc = mg_checkpoint_peek(file, size, &info, &err);
    if (rc) {
        require_message(rc, &err, MG_ERR_CHECKPOINT);
        free(file);
        return 0;
    }
    const mg_config config = info.config;
    const uint64_t seed = info.seed;
    require(mg_config_check(&config, (int)get_u32(file + 24), &err) == MG_OK,
            "peek accepted an invalid config: %s", err.msg);
    const int version = (int)get_u32(file + 4);
    require(info.version == version && info.has_records == (version >= 2), "peek misreports version %d", version);
    require(memchr(info.preset, '\0', sizeof info.preset) != NULL, "an unterminated preset id");
    uint32_t P = get_u32(file + 44);
    if (P > MAX_FUZZ_PARAMS || config.block_size > MAX_FUZZ_BLOCK || config.n_layer > MAX_FUZZ_LAYER) {
        free(file); /* a config too big to fuzz quickly */
        return 0;
    }
    mg_session *s = session_for(file, &config, seed);
    if (!s) {
        free(file); /* a vocabulary no records can have */
        return 0;
    }

    if (version >= 2 && get_u64(file + 52) != mg_session_records_hash(s)) {
        /* 3. a file of other records is refused, naming them, and changes nothing */
        size_t a_len = 0, b_len = 0;
        uint8_t *a = save(s, &a_len);
        rc = mg_checkpoint_load(s, file, size);
        require_message(rc, mg_session_error(s), MG_ERR_CHECKPOINT);
        require(strstr(mg_session_error(s)->msg, "load those records first") != NULL,
                "records refused with another message: %s", mg_session_error(s)->msg);
        uint8_t *b = save(s, &b_len);
        require(a_len == b_len && !memcmp(a, b, a_len), "a file of other records changed the session");
        free(a);
        free(b);
        /* then as a file of these records, to reach the dials */
        put_u64(file + 52, mg_session_records_hash(s));
        seal(file, size);
    }

    size_t before_len = 0, after_len = 0;
    uint8_t *before = save(s, &before_len);
    rc = mg_checkpoint_load(s, file, size);
    if (rc) {
        require_message(rc, mg_session_error(s), MG_ERR_CHECKPOINT);
        uint8_t *after = save(s, &after_len);
        require(after_len == before_len && !memcmp(before, after, before_len),
                "a refused parameter file changed the session");
        free(after);
    } else {
        require(mg_session_num_params(s) == P, "loaded %zu parameters of %u", mg_session_num_params(s), P);
        require((uint32_t)mg_session_step(s) == get_u32(file + 36) &&
                    (uint32_t)mg_session_num_steps(s) == get_u32(file + 40),
                "the run's place was not restored");
        require(mg_session_seed(s) == seed, "the seed was not restored");
        if (get_u32(file + 48) & 1) {
            uint8_t *after = save(s, &after_len);
            if (version >= 2)
                require(after_len == size && !memcmp(after, file, size),
                        "a loaded file does not save back to the same bytes");
            else /* saved as version 2: the same header fields, code points and dials after the records' 40 bytes */
                require(after_len == size + 40 && !memcmp(after + 8, file + 8, HEADER_V1 - 8) &&
                            !memcmp(after + HEADER_V2, file + HEADER_V1, size - 8 - HEADER_V1),
                        "a loaded version 1 file does not save back to the same dials");
            free(after);
        }
        /* the run goes on from the file's place */
        int step = mg_session_step(s), num_steps = mg_session_num_steps(s);
        if (step < num_steps) {
            rc = mg_train(s, 1, num_steps, NULL);
            require(rc == MG_OK, "training after a load failed: %s", mg_session_error(s)->msg);
        }
        char name[MAX_FUZZ_BLOCK * 4 + 1];
        size_t name_len = 0;
        rc = mg_sample(s, 0.5, name, sizeof name, &name_len);
        require(rc == MG_OK, "sampling after a load failed: %s", mg_session_error(s)->msg);
    }
    free(before);
    mg_session_free(s);
    free(file);
    return 0;
}
