#define _POSIX_C_SOURCE 200112L
/* cli.c - the native command line:
 *   microgpt train [--data FILE] [options]   train, print losses and names
 *   microgpt bench [--data FILE] [options]   time training steps
 * Output matches the reference program line for line. Without --data it
 * trains on Karpathy's makemore names (MG_DEFAULT_DATA, set by the Makefile
 * to the repository's data/makemore_names.txt), as his microgpt.py does. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "microgpt.h"

#ifndef MG_DEFAULT_DATA
#define MG_DEFAULT_DATA "data/makemore_names.txt"
#endif

typedef struct {
    const char *data, *save, *load, *json;
    uint64_t seed;
    int steps, samples, quiet, repeat;
    double temperature;
    mg_config config;
    int seed_set, steps_set, config_set;
} options;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "microgpt: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 2;
}

static int parse_int(const char *s, long lo, long hi, int *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return 0;
    *out = (int)v;
    return 1;
}

/* The usage text with the defaults and limits, read from microgpt.h. */
static void print_usage(FILE *f) {
    char ckpt[32];
    const mg_config def = MG_CONFIG_DEFAULT;
    fprintf(f,
            "usage: microgpt train|bench [--data FILE] [--seed %d] [--steps %d] [--temperature %g]\n"
            "       [--samples %d] [--n-embd %d] [--n-head %d] [--n-layer %d] [--block-size %d]\n"
            "       [--save FILE] [--load FILE] [--json FILE] [--quiet] [--repeat 5 (bench)]\n",
            MG_DEFAULT_SEED, MG_DEFAULT_STEPS, MG_TEMPERATURE_DEFAULT, MG_DEFAULT_SAMPLES, def.n_embd, def.n_head,
            def.n_layer, def.block_size);
    fprintf(f,
            "limits: --steps 1..%d, --samples 0..%d, --n-embd 1..%d, --n-layer 1..%d,\n"
            "        --block-size 1..%d, --repeat 1..1000, at most %d parameters and %llu MiB of memory\n"
            "        for a run (dials, Adam, activations and records); --data at most %u MiB and\n"
            "        %d distinct characters; --load at most %s bytes\n"
            "--data defaults to Karpathy's makemore names: %s\n",
            MG_MAX_STEPS, MG_MAX_SAMPLES, MG_MAX_EMBD, MG_MAX_LAYER, MG_MAX_BLOCK, MG_MAX_PARAMS,
            (unsigned long long)(MG_MAX_SESSION_BYTES >> 20), MG_MAX_DATA_BYTES >> 20, MG_MAX_VOCAB - 1,
            mg_group_digits(ckpt, sizeof ckpt, mg_checkpoint_max_bytes()), MG_DEFAULT_DATA);
}

static int parse_args(int argc, char **argv, options *o) {
    mg_config def = MG_CONFIG_DEFAULT;
    *o = (options){.data = MG_DEFAULT_DATA, .seed = MG_DEFAULT_SEED, .steps = MG_DEFAULT_STEPS,
                   .samples = MG_DEFAULT_SAMPLES, .temperature = MG_TEMPERATURE_DEFAULT, .config = def,
                   .repeat = 5};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--quiet")) { o->quiet = 1; continue; }
        if (!strcmp(a, "--help")) { print_usage(stdout); exit(0); }
        if (i + 1 >= argc) return fail("%s needs a value", a);
        const char *v = argv[++i];
        int ok = 1;
        if (!strcmp(a, "--data")) o->data = v;
        else if (!strcmp(a, "--save")) o->save = v;
        else if (!strcmp(a, "--load")) o->load = v;
        else if (!strcmp(a, "--json")) o->json = v;
        else if (!strcmp(a, "--seed")) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            ok = !errno && end != v && !*end && v[0] != '-' && s <= (1ull << 53);
            o->seed = s;
            o->seed_set = 1;
        } else if (!strcmp(a, "--steps")) { ok = parse_int(v, 1, MG_MAX_STEPS, &o->steps); o->steps_set = 1; }
        else if (!strcmp(a, "--samples")) ok = parse_int(v, 0, MG_MAX_SAMPLES, &o->samples);
        else if (!strcmp(a, "--repeat")) ok = parse_int(v, 1, 1000, &o->repeat);
        else if (!strcmp(a, "--n-embd")) { ok = parse_int(v, 1, MG_MAX_EMBD, &o->config.n_embd); o->config_set = 1; }
        else if (!strcmp(a, "--n-head")) { ok = parse_int(v, 1, MG_MAX_EMBD, &o->config.n_head); o->config_set = 1; }
        else if (!strcmp(a, "--n-layer")) { ok = parse_int(v, 1, MG_MAX_LAYER, &o->config.n_layer); o->config_set = 1; }
        else if (!strcmp(a, "--block-size")) { ok = parse_int(v, 1, MG_MAX_BLOCK, &o->config.block_size); o->config_set = 1; }
        else if (!strcmp(a, "--temperature")) {
            char *end;
            o->temperature = strtod(v, &end);
            mg_error err;
            ok = end != v && !*end && mg_check_temperature(o->temperature, &err) == MG_OK;
        } else return fail("unknown option %s (try --help)", a);
        if (!ok) return fail("bad value for %s: '%s' (see --help for the accepted range)", a, v);
    }
    return 0;
}

static int too_large(const char *path, size_t limit, const char *what) {
    char bytes[32], mib[32];
    return fail("%s is larger than %s bytes (%s MiB), the limit for %s", path,
                mg_group_digits(bytes, sizeof bytes, limit), mg_format_mib(mib, sizeof mib, limit), what);
}

/* Reads all of path, refusing it past limit bytes (what names the limit in
 * the message): a regular file by its size, anything else (a pipe,
 * /dev/zero) after reading limit + 1 bytes at most. */
static int read_file(const char *path, char **out, size_t *len, size_t limit, const char *what) {
    FILE *f = fopen(path, "rb");
    if (!f) return fail("cannot read %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return fail("cannot read %s: %s", path, strerror(EISDIR));
    }
    int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    if (regular && (uint64_t)st.st_size > limit) {
        fclose(f);
        return too_large(path, limit, what);
    }
    /* a regular file's size + 1 (to see the end), else grow by doubling up to limit + 1 */
    size_t cap = regular ? (size_t)st.st_size + 1 : (limit + 1 < 65536 ? limit + 1 : 65536), n = 0;
    char *b = malloc(cap);
    if (!b) { fclose(f); return fail("out of memory reading %s", path); }
    for (;;) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n > limit) {
            free(b);
            fclose(f);
            return too_large(path, limit, what);
        }
        if (got == 0 || (n < cap && (feof(f) || ferror(f)))) break;
        if (n == cap) {
            size_t grown = cap > (limit + 1) / 2 ? limit + 1 : cap * 2;
            char *nb = realloc(b, grown);
            if (!nb) { free(b); fclose(f); return fail("out of memory reading %s", path); }
            b = nb;
            cap = grown;
        }
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) { free(b); return fail("cannot read %s: %s", path, strerror(saved)); }
    *out = b;
    *len = n;
    return 0;
}

static void json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Floating-point operations of one training step on n positions: forward
 * (matrix products, attention), backward at twice the forward's products,
 * and about 12 per dial for Adam. An estimate for the GFLOP/s figure. */
static double step_flops(const mg_session *s, int n) {
    const mg_config *c = mg_session_config(s);
    double E = c->n_embd, V = mg_session_vocab_size(s), L = c->n_layer;
    double fwd = 0;
    for (int p = 0; p < n; p++) fwd += L * (2 * 12 * E * E + 4 * (p + 1) * E) + 2 * V * E;
    return 3 * fwd + 12.0 * (double)mg_session_num_params(s);
}

static int bench(mg_session *s, const options *o) {
    double flops = 0;
    for (int i = 0; i < o->steps; i++) flops += step_flops(s, mg_session_step_positions(s, i));
    double *rates = malloc(sizeof(double) * (size_t)o->repeat);
    if (!rates) return fail("out of memory");
    for (int r = 0; r < o->repeat; r++) {
        mg_session_reset(s, o->seed);
        double t0 = now_seconds();
        if (mg_train(s, o->steps, o->steps, NULL)) { free(rates); return fail("%s", mg_session_error(s)->msg); }
        rates[r] = o->steps / (now_seconds() - t0);
    }
    qsort(rates, (size_t)o->repeat, sizeof(double), cmp_double);
    double med = rates[o->repeat / 2];
    printf("{\"steps\": %d, \"repeat\": %d, \"num_params\": %zu, \"steps_per_s\": %.1f, "
           "\"us_per_step\": %.3f, \"gflops\": %.3f, \"min_steps_per_s\": %.1f, \"max_steps_per_s\": %.1f}\n",
           o->steps, o->repeat, mg_session_num_params(s), med, 1e6 / med, flops / o->steps * med * 1e-9, rates[0],
           rates[o->repeat - 1]);
    free(rates);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "train") && strcmp(argv[1], "bench"))) {
        print_usage(stderr);
        return 2;
    }
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc;

    uint8_t *ckpt = NULL;
    size_t ckpt_len = 0;
    if (o.load) {
        if ((rc = read_file(o.load, (char **)&ckpt, &ckpt_len, mg_checkpoint_max_bytes(), "a parameter file")))
            return rc;
        mg_checkpoint_info info;
        mg_error err;
        if (mg_checkpoint_peek(ckpt, ckpt_len, &info, &err)) {
            free(ckpt);
            return fail("%s: %s", o.load, err.msg);
        }
        mg_config c = info.config;
        uint64_t seed = info.seed;
        if ((o.config_set && memcmp(&c, &o.config, sizeof c)) || (o.seed_set && seed != o.seed)) {
            free(ckpt);
            return fail("%s: %s", o.load, "the size or seed flags differ from the parameter file's; leave them out when loading");
        }
        o.config = c;
        o.seed = seed;
    }

    char *text = NULL;
    size_t len = 0;
    if ((rc = read_file(o.data, &text, &len, MG_MAX_DATA_BYTES, "a dataset"))) { free(ckpt); return rc; }
    mg_session *s;
    mg_error err;
    if (mg_session_create(&s, &o.config, text, len, o.seed, &err)) {
        free(text); free(ckpt);
        /* name the file only when the fault is in it */
        if (err.code == MG_ERR_DATA) return fail("%s: %s", o.data, err.msg);
        return fail("%s", err.msg);
    }
    free(text);
    /* the file names its records by hash and, as the preset, the --data file's name */
    const char *base = strrchr(o.data, '/') ? strrchr(o.data, '/') + 1 : o.data;
    if (mg_preset_check(base, strlen(base))) mg_session_set_preset(s, base, strlen(base));
    if (ckpt) {
        mg_status st = mg_checkpoint_load(s, ckpt, ckpt_len);
        free(ckpt);
        if (st) { rc = fail("%s: %s", o.load, mg_session_error(s)->msg); mg_session_free(s); return rc; }
        if (mg_session_num_steps(s)) {
            if (o.steps_set && o.steps != mg_session_num_steps(s)) {
                fprintf(stderr, "microgpt: %s was planned for %d steps; leave out --steps or give that number\n",
                        o.load, mg_session_num_steps(s));
                mg_session_free(s);
                return 2;
            }
            o.steps = mg_session_num_steps(s);
        }
    }

    if (!strcmp(argv[1], "bench")) {
        rc = bench(s, &o);
        mg_session_free(s);
        return rc;
    }

    const int num_docs = mg_session_num_docs(s), vocab_size = mg_session_vocab_size(s);
    const size_t num_params = mg_session_num_params(s);
    printf("num docs: %d\nvocab size: %d\nnum params: %zu\n", num_docs, vocab_size, num_params);
    int start = mg_session_step(s), todo = o.steps - start;
    /* the losses are kept only for --json (8 bytes a step) */
    double *losses = malloc(sizeof(double) * (size_t)(o.json && todo > 0 ? todo : 1));
    size_t name_cap = (size_t)mg_session_config(s)->block_size * 4 + 1;
    char *names = malloc(name_cap * (size_t)(o.samples ? o.samples : 1));
    if (!losses || !names) { free(losses); free(names); mg_session_free(s); return fail("out of memory"); }
    for (int i = 0; i < todo; i++) {
        double loss;
        if (mg_train(s, 1, o.steps, &loss)) {
            rc = fail("%s", mg_session_error(s)->msg);
            goto done;
        }
        if (o.json) losses[i] = loss;
        if (!o.quiet) printf("step %4d / %4d | loss %.4f\n", start + i + 1, o.steps, loss);
    }
    if (!o.quiet) printf("\n--- inference (new, hallucinated names) ---\n");
    for (int i = 0; i < o.samples; i++) {
        if (mg_sample(s, o.temperature, names + name_cap * (size_t)i, name_cap, NULL)) {
            rc = fail("%s", mg_session_error(s)->msg);
            goto done;
        }
        if (!o.quiet) printf("sample %2d: %s\n", i + 1, names + name_cap * (size_t)i);
    }
    if (o.save) {
        uint8_t *buf;
        size_t n;
        if (mg_checkpoint_save(s, &buf, &n)) { rc = fail("%s", mg_session_error(s)->msg); goto done; }
        FILE *f = fopen(o.save, "wb");
        int ok = f && fwrite(buf, 1, n, f) == n;
        if (f && fclose(f)) ok = 0;
        free(buf);
        if (!ok) { rc = fail("cannot write %s: %s", o.save, strerror(errno)); goto done; }
    }
    if (o.json) {
        FILE *f = fopen(o.json, "w");
        if (!f) { rc = fail("cannot write %s: %s", o.json, strerror(errno)); goto done; }
        fprintf(f, "{\"num_docs\": %d, \"vocab_size\": %d, \"num_params\": %zu, \"losses\": [", num_docs,
                vocab_size, num_params);
        for (int i = 0; i < todo; i++) fprintf(f, "%s%.17g", i ? ", " : "", losses[i]);
        fprintf(f, "], \"samples\": [");
        for (int i = 0; i < o.samples; i++) {
            if (i) fprintf(f, ", ");
            json_string(f, names + name_cap * (size_t)i);
        }
        fprintf(f, "]}\n");
        if (fclose(f)) { rc = fail("cannot write %s: %s", o.json, strerror(errno)); goto done; }
    }
done:
    free(losses);
    free(names);
    mg_session_free(s);
    return rc;
}
