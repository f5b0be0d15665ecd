/* dataset.c - the master's records: UTF-8 text in, documents (names) and a
 * vocabulary of Unicode code points (courses) out (SPEC.md section 2).
 * Lines end at "\n", "\r\n" or "\r" (Python's universal newlines) and are
 * stripped of the whitespace Python's str.strip() removes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dataset.h"

int mg_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) {
    if (len == 0) return 0;
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    int n;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) { n = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (len < (size_t)n) return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

/* The characters Python's str.strip() treats as whitespace. */
static int is_space(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Decodes the code point at t[i] of a text known to be valid; ASCII (all of
 * names.txt) takes the short path. */
static inline size_t decode_valid(const unsigned char *t, size_t end, size_t i, uint32_t *cp) {
    if (t[i] < 0x80) { *cp = t[i]; return 1; }
    return (size_t)mg_utf8_decode(t + i, end - i, cp);
}

/* Finds the stripped extent [*a, *b) of the line starting at pos and returns
 * the position after its line end. The text is already known to be valid.
 * Only the ends are decoded: whitespace is stripped from both sides. */
static size_t next_line(const unsigned char *t, size_t len, size_t pos, size_t *a, size_t *b) {
    size_t end = pos;
    while (end < len && t[end] != '\n' && t[end] != '\r') end++;
    size_t next = end;
    if (next < len) next += (t[next] == '\r' && next + 1 < len && t[next + 1] == '\n') ? 2 : 1;
    size_t first = pos;
    while (first < end) {
        uint32_t cp = 0;
        size_t n = decode_valid(t, end, first, &cp);
        if (!is_space(cp)) break;
        first += n;
    }
    size_t last = end;
    while (last > first) {
        size_t start = last - 1;
        while (start > first && (t[start] & 0xC0) == 0x80) start--; /* back to the lead byte */
        uint32_t cp = 0;
        decode_valid(t, end, start, &cp);
        if (!is_space(cp)) break;
        last = start;
    }
    *a = first;
    *b = last;
    return next;
}

void mg_dataset_free(mg_dataset *ds) {
    free(ds->vocab);
    free(ds->tokens);
    free(ds->doc_start);
    free(ds->doc_len);
    free(ds->order);
    memset(ds, 0, sizeof *ds);
}

uint64_t mg_dataset_memory(const mg_dataset *ds) {
    if (ds->num_docs == 0) return 0;
    int last = ds->num_docs - 1;
    uint64_t tokens = (uint64_t)ds->doc_start[last] + (uint64_t)ds->doc_len[last];
    int nv = ds->vocab_size - 1;
    return sizeof(uint32_t) * (uint64_t)(nv ? nv : 1) + sizeof(uint16_t) * tokens +
           3 * sizeof(int32_t) * (uint64_t)ds->num_docs; /* doc_start, doc_len, order */
}

int mg_dataset_token(const mg_dataset *ds, uint32_t cp) {
    int lo = 0, hi = ds->vocab_size - 2;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (ds->vocab[mid] == cp) return mid;
        if (ds->vocab[mid] < cp) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

mg_status mg_dataset_load(mg_dataset *ds, const char *text, size_t len, mg_error *err) {
    memset(ds, 0, sizeof *ds);
    const unsigned char *t = (const unsigned char *)text;
    if (!text || len == 0)
        return mg_fail(err, MG_ERR_DATA, "the dataset is empty: give a text file with one name per line");
    if (len > MG_MAX_DATA_BYTES)
        return mg_fail(err, MG_ERR_DATA, "the dataset is %zu bytes; the limit is %u bytes (16 MiB)",
                       len, MG_MAX_DATA_BYTES);

    /* pass 1: validate, find the distinct code points, count documents */
    uint8_t *seen = calloc(0x110000 / 8, 1);
    if (!seen) return mg_fail(err, MG_ERR_NOMEM, "out of memory reading the dataset");
    size_t line_no = 1;
    for (size_t i = 0; i < len;) {
        if (t[i] >= 0x01 && t[i] < 0x80) { /* ASCII other than NUL */
            line_no += t[i] == '\n';
            i++;
            continue;
        }
        uint32_t cp;
        int n = mg_utf8_decode(t + i, len - i, &cp);
        if (n == 0) {
            free(seen);
            return mg_fail(err, MG_ERR_DATA,
                           "the dataset is not valid UTF-8 (byte %zu, line %zu): save it as UTF-8 text",
                           i, line_no);
        }
        if (cp == 0) {
            free(seen);
            return mg_fail(err, MG_ERR_DATA,
                           "the dataset contains a NUL byte (byte %zu, line %zu): it must be plain text",
                           i, line_no);
        }
        i += (size_t)n;
    }
    size_t num_docs = 0, num_tokens = 0;
    for (size_t pos = 0; pos < len;) {
        size_t a, b;
        pos = next_line(t, len, pos, &a, &b);
        if (a == b) continue;
        num_docs++;
        for (size_t i = a; i < b;) {
            uint32_t cp;
            i += decode_valid(t, b, i, &cp);
            seen[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            num_tokens++;
        }
    }
    if (num_docs == 0) {
        free(seen);
        return mg_fail(err, MG_ERR_DATA, "the dataset has no names: every line is blank");
    }
    /* whole bytes at a time: the table has 1.1 million bits, a handful set */
    int distinct = 0;
    for (uint32_t byte = 0; byte < 0x110000 / 8; byte++)
        for (unsigned bits = seen[byte]; bits; bits &= bits - 1) distinct++;
    if (distinct + 1 > MG_MAX_VOCAB) {
        free(seen);
        return mg_fail(err, MG_ERR_DATA,
                       "the dataset uses %d distinct characters; the limit is %d", distinct,
                       MG_MAX_VOCAB - 1);
    }

    ds->num_docs = (int)num_docs;
    ds->vocab_size = distinct + 1;
    ds->bos = distinct;
    ds->vocab = malloc(sizeof(uint32_t) * (size_t)(distinct ? distinct : 1));
    ds->tokens = malloc(sizeof(uint16_t) * num_tokens);
    ds->doc_start = malloc(sizeof(int32_t) * num_docs);
    ds->doc_len = malloc(sizeof(int32_t) * num_docs);
    ds->order = malloc(sizeof(int32_t) * num_docs);
    if (!ds->vocab || !ds->tokens || !ds->doc_start || !ds->doc_len || !ds->order) {
        free(seen);
        mg_dataset_free(ds);
        return mg_fail(err, MG_ERR_NOMEM, "out of memory reading the dataset");
    }
    int v = 0;
    for (uint32_t byte = 0; byte < 0x110000 / 8; byte++)
        for (unsigned bit = 0; seen[byte] >> bit; bit++)
            if (seen[byte] & (1u << bit)) ds->vocab[v++] = byte * 8 + bit;
    free(seen);

    /* pass 2: tokens (ASCII ids from a table, the rest by search) */
    int16_t ascii_token[128];
    for (uint32_t c = 0; c < 128; c++) ascii_token[c] = (int16_t)mg_dataset_token(ds, c);
    size_t d = 0, k = 0;
    for (size_t pos = 0; pos < len;) {
        size_t a, b;
        pos = next_line(t, len, pos, &a, &b);
        if (a == b) continue;
        ds->doc_start[d] = (int32_t)k;
        for (size_t i = a; i < b;) {
            uint32_t cp;
            i += decode_valid(t, b, i, &cp);
            ds->tokens[k++] = (uint16_t)(cp < 128 ? ascii_token[cp] : mg_dataset_token(ds, cp));
        }
        ds->doc_len[d] = (int32_t)(k - (size_t)ds->doc_start[d]);
        ds->order[d] = (int32_t)d;
        d++;
    }
    return MG_OK;
}

mg_status mg_dataset_encode(const mg_dataset *ds, const char *text, size_t len, int32_t *out,
                            int cap, int *out_len, mg_error *err) {
    const unsigned char *t = (const unsigned char *)text;
    int n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int b = mg_utf8_decode(t + i, len - i, &cp);
        if (b == 0) return mg_fail(err, MG_ERR_ARG, "the text is not valid UTF-8 (byte %zu)", i);
        int tok = mg_dataset_token(ds, cp);
        if (tok < 0) {
            char shown[8] = {0};
            memcpy(shown, t + i, (size_t)b);
            if (cp < 0x20 || cp == 0x7F) snprintf(shown, sizeof shown, "?");
            return mg_fail(err, MG_ERR_ARG,
                           "'%s' (U+%04X) is not one of the %d courses; use only characters from the records",
                           shown, (unsigned)cp, ds->vocab_size - 1);
        }
        if (n >= cap)
            return mg_fail(err, MG_ERR_ARG, "the text is longer than %d characters; shorten it", cap);
        out[n++] = tok;
        i += (size_t)b;
    }
    *out_len = n;
    return MG_OK;
}

int mg_dataset_utf8(const mg_dataset *ds, int token, char *out) {
    if (token < 0 || token >= ds->bos) return 0;
    uint32_t c = ds->vocab[token];
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) { o[0] = (unsigned char)c; return 1; }
    if (c < 0x800) { o[0] = (unsigned char)(0xC0 | (c >> 6)); o[1] = (unsigned char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12)); o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F)); return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18)); o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)); o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}
