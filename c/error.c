/* error.c - error codes and their messages. */
#include <stdarg.h>
#include <stdio.h>
#include "microgpt.h"

mg_status mg_fail(mg_error *err, mg_status code, const char *fmt, ...) {
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *mg_status_name(mg_status code) {
    switch (code) {
    case MG_OK: return "ok";
    case MG_ERR_ARG: return "bad argument";
    case MG_ERR_NOMEM: return "out of memory";
    case MG_ERR_DATA: return "bad dataset";
    case MG_ERR_CONFIG: return "bad config";
    case MG_ERR_CHECKPOINT: return "bad parameter file";
    case MG_ERR_STATE: return "wrong state";
    case MG_ERR_IO: return "i/o error";
    }
    return "unknown error";
}

char *mg_group_digits(char *out, size_t cap, uint64_t n) {
    char digits[21];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 2 < cap) out[o++] = ',';
        out[o++] = digits[i];
    }
    if (cap) out[o < cap ? o : cap - 1] = '\0';
    return out;
}

char *mg_format_mib(char *out, size_t cap, uint64_t bytes) {
    return mg_group_digits(out, cap, (bytes + ((1u << 20) - 1)) >> 20);
}
