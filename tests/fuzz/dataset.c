/* dataset.c - libFuzzer harness: any bytes as the records (names.txt).
 *
 * mg_dataset_load must accept or refuse with a message; what it accepts must
 * make a session of a tiny config that trains a few steps and samples names
 * made only of the records' characters. Inputs over 4 KB are cut to 4 KB so
 * every execution stays in the milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dataset.h"

#define MAX_INPUT 4096
#define STEPS 3

#define HARNESS "dataset"
#include "harness.h"

/* A refusal has a known code and a non-empty, terminated message. */
static void require_message(mg_status rc, const mg_error *err) {
    require(rc > MG_OK && rc <= MG_ERR_IO, "unknown status %d", (int)rc);
    require(err->code == rc, "error code %d for status %d", (int)err->code, (int)rc);
    require(memchr(err->msg, '\0', sizeof err->msg) && err->msg[0], "empty or unterminated message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > MAX_INPUT) size = MAX_INPUT;
    /* a copy of exactly size bytes, so any read past the text is caught */
    char *text = malloc(size ? size : 1);
    if (!text) return 0;
    memcpy(text, data, size);

    mg_error err = {0};
    mg_dataset ds;
    mg_status rc = mg_dataset_load(&ds, text, size, &err);
    if (rc) {
        require_message(rc, &err);
        free(text);
        return 0;
    }
    require(ds.num_docs >= 1 && ds.vocab_size >= 2 && ds.vocab_size <= MG_MAX_VOCAB,
            "docs %d vocab %d", ds.num_docs, ds.vocab_size);
    require(ds.bos == ds.vocab_size - 1, "bos %d of vocab %d", ds.bos, ds.vocab_size);
    for (int i = 1; i + 1 < ds.vocab_size; i++)
        require(ds.vocab[i - 1] < ds.vocab[i], "vocabulary not ascending at %d", i);
    for (int d = 0; d < ds.num_docs; d++) {
        require(ds.doc_len[d] >= 1, "document %d is empty", d);
        for (int i = 0; i < ds.doc_len[d]; i++) {
            int tok = ds.tokens[ds.doc_start[d] + i];
            require(tok >= 0 && tok < ds.bos, "document %d has token %d", d, tok);
        }
    }

    /* two layers and two heads, so the loops over both run more than once */
    mg_config config = {8, 2, 2, 8};
    mg_session *s = NULL;
    rc = mg_session_create(&s, &config, text, size, 42, &err);
    if (rc) {
        /* the records loaded, so only memory may refuse the tiny model */
        require_message(rc, &err);
        require(rc == MG_ERR_NOMEM, "a loadable dataset refused: %s", err.msg);
        mg_dataset_free(&ds);
        free(text);
        return 0;
    }
    require(mg_session_vocab_size(s) == ds.vocab_size, "the session read other courses");

    double losses[STEPS];
    rc = mg_train(s, STEPS, STEPS, losses);
    require(rc == MG_OK, "training failed: %s", mg_session_error(s)->msg);
    for (int i = 0; i < STEPS; i++)
        require(losses[i] >= 0.0 && losses[i] < 1e3, "loss %d is %g", i, losses[i]);
    require(mg_session_step(s) == STEPS, "step %d after %d steps", mg_session_step(s), STEPS);
    require(mg_train(s, 1, STEPS, NULL) == MG_ERR_STATE, "trained past the planned run");

    /* each course is at most 4 UTF-8 bytes; the buffer is exactly what mg_sample asks for */
    size_t cap = (size_t)config.block_size * 4 + 1;
    char *name = malloc(cap);
    require(name != NULL, "out of memory for a name");
    int32_t tokens[MG_MAX_BLOCK];
    const double temperatures[] = {0.0, 0.5, 1.0};
    for (size_t t = 0; t < sizeof temperatures / sizeof temperatures[0]; t++) {
        size_t len = 0;
        rc = mg_sample(s, temperatures[t], name, cap, &len);
        require(rc == MG_OK, "sampling failed: %s", mg_session_error(s)->msg);
        require(len < cap && name[len] == '\0', "name of %zu bytes in %zu", len, cap);
        /* a sampled name is made of the records' courses, so it encodes back */
        int n = 0;
        rc = mg_dataset_encode(&ds, name, len, tokens, MG_MAX_BLOCK, &n, &err);
        require(rc == MG_OK, "a sampled name does not encode: %s", err.msg);
        require(n <= config.block_size, "a sampled name of %d courses", n);
    }
    require(mg_sample(s, 0.5, name, cap - 1, NULL) == MG_ERR_ARG, "a short name buffer accepted");

    free(name);
    mg_session_free(s);
    mg_dataset_free(&ds);
    free(text);
    return 0;
}
