/* dataset.h - the records (documents) and the courses (vocabulary). */
#ifndef MG_DATASET_H
#define MG_DATASET_H

#include "microgpt.h"

typedef struct {
    int num_docs;
    int vocab_size;       /* distinct code points + 1 (BOS) */
    int bos;              /* = vocab_size - 1 */
    uint32_t *vocab;      /* (vocab_size - 1) code points, ascending */
    uint16_t *tokens;     /* all documents' token ids, back to back */
    int32_t *doc_start;   /* (num_docs) offset of each document in tokens */
    int32_t *doc_len;     /* (num_docs) length in tokens, without BOS */
    int32_t *order;       /* (num_docs) document order after the shuffle */
} mg_dataset;

mg_status mg_dataset_load(mg_dataset *ds, const char *text, size_t len, mg_error *err);
void mg_dataset_free(mg_dataset *ds);
/* Bytes the loaded records take (counted in a session's memory). */
uint64_t mg_dataset_memory(const mg_dataset *ds);
/* Token id of a code point, or -1 if it is not in the vocabulary. */
int mg_dataset_token(const mg_dataset *ds, uint32_t codepoint);
/* Encodes UTF-8 text as token ids (no BOS). Fails on characters outside the
 * vocabulary or more than cap of them, naming the offending character. */
mg_status mg_dataset_encode(const mg_dataset *ds, const char *text, size_t len,
                            int32_t *out, int cap, int *out_len, mg_error *err);
/* Appends the UTF-8 bytes of token id to out (returns bytes written, 0 for BOS). */
int mg_dataset_utf8(const mg_dataset *ds, int token, char *out);
/* Decodes one UTF-8 code point; returns its byte length, or 0 if invalid. */
int mg_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif
