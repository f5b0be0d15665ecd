#define _POSIX_C_SOURCE 199309L
/* cli.c - the native command line:
 *   microgpt train --data FILE [options]   train, print losses and names
 *   microgpt bench --data FILE [options]   time training steps
 * Output matches the reference program line for line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "microgpt.h"

typedef struct {
    const char *data, *save, *load, *json;
    uint64_t seed;
    int steps, samples, quiet, repeat;
    double temperature;
    mg_config config;
    int seed_set, steps_set, config_set;
} options;

static int fail(const char *fmt, const char *a, const char *b) {
    fprintf(stderr, "microgpt: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
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

static const char *usage =
    "usage: microgpt train|bench --data FILE [--seed 42] [--steps 1000] [--temperature 0.5]\n"
    "       [--samples 20] [--n-embd 16] [--n-head 4] [--n-layer 1] [--block-size 16]\n"
    "       [--save FILE] [--load FILE] [--json FILE] [--quiet] [--repeat 5 (bench)]\n";

static int parse_args(int argc, char **argv, options *o) {
    mg_config def = MG_CONFIG_DEFAULT;
    *o = (options){.seed = 42, .steps = 1000, .samples = 20, .temperature = 0.5, .config = def,
                   .repeat = 5};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--quiet")) { o->quiet = 1; continue; }
        if (!strcmp(a, "--help")) { fputs(usage, stdout); exit(0); }
        if (i + 1 >= argc) return fail("%s needs a value%s", a, "");
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
        } else if (!strcmp(a, "--steps")) { ok = parse_int(v, 1, 100000000, &o->steps); o->steps_set = 1; }
        else if (!strcmp(a, "--samples")) ok = parse_int(v, 0, 1000000, &o->samples);
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
        } else return fail("unknown option %s%s (try --help)", a, "");
        if (!ok) return fail("bad value for %s: '%s' (see --help for the accepted range)", a, v);
    }
    if (!o->data) return fail("--data FILE is required%s%s", "", "");
    return 0;
}

static int read_file(const char *path, char **out, size_t *len, size_t limit) {
    FILE *f = fopen(path, "rb");
    if (!f) return fail("cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n > limit) { free(b); fclose(f); return fail("%s is larger than the limit of 16 MiB%s", path, ""); }
        if (got == 0) break;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) { free(b); b = NULL; }
            b = nb;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!b) return fail("out of memory reading %s%s", path, "");
    if (bad) { free(b); return fail("cannot read %s%s", path, ""); }
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
static double step_flops(const mg_model *m, int n) {
    double E = m->config.n_embd, V = m->vocab_size, L = m->config.n_layer;
    double fwd = 0;
    for (int p = 0; p < n; p++) fwd += L * (2 * 12 * E * E + 4 * (p + 1) * E) + 2 * V * E;
    return 3 * fwd + 12.0 * (double)m->num_params;
}

static int bench(mg_session *s, const options *o) {
    const mg_model *m = mg_session_model(s);
    const mg_dataset *ds = mg_session_dataset(s);
    double flops = 0;
    int block = m->config.block_size;
    for (int i = 0; i < o->steps; i++) {
        int len = ds->doc_len[ds->order[i % ds->num_docs]];
        flops += step_flops(m, len + 1 < block ? len + 1 : block);
    }
    double *rates = malloc(sizeof(double) * (size_t)o->repeat);
    if (!rates) return fail("out of memory%s%s", "", "");
    for (int r = 0; r < o->repeat; r++) {
        mg_session_reset(s, o->seed);
        double t0 = now_seconds();
        if (mg_train(s, o->steps, o->steps, NULL)) { free(rates); return fail("%s%s", mg_session_error(s)->msg, ""); }
        rates[r] = o->steps / (now_seconds() - t0);
    }
    qsort(rates, (size_t)o->repeat, sizeof(double), cmp_double);
    double med = rates[o->repeat / 2];
    printf("{\"steps\": %d, \"repeat\": %d, \"num_params\": %zu, \"steps_per_s\": %.1f, "
           "\"us_per_step\": %.3f, \"gflops\": %.3f, \"min_steps_per_s\": %.1f, \"max_steps_per_s\": %.1f}\n",
           o->steps, o->repeat, m->num_params, med, 1e6 / med, flops / o->steps * med * 1e-9, rates[0],
           rates[o->repeat - 1]);
    free(rates);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "train") && strcmp(argv[1], "bench"))) {
        fputs(usage, stderr);
        return 2;
    }
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc;

    uint8_t *ckpt = NULL;
    size_t ckpt_len = 0;
    if (o.load) {
        if ((rc = read_file(o.load, (char **)&ckpt, &ckpt_len, 1u << 30))) return rc;
        mg_config c;
        uint64_t seed;
        mg_error err;
        if (mg_checkpoint_peek(ckpt, ckpt_len, &c, &seed, &err)) {
            free(ckpt);
            return fail("%s: %s", o.load, err.msg);
        }
        if ((o.config_set && memcmp(&c, &o.config, sizeof c)) || (o.seed_set && seed != o.seed)) {
            free(ckpt);
            return fail("%s: %s", o.load, "the size or seed flags differ from the parameter file's; leave them out when loading");
        }
        o.config = c;
        o.seed = seed;
    }

    char *text = NULL;
    size_t len = 0;
    if ((rc = read_file(o.data, &text, &len, MG_MAX_DATA_BYTES))) { free(ckpt); return rc; }
    mg_session *s;
    mg_error err;
    if (mg_session_create(&s, &o.config, text, len, o.seed, &err)) {
        free(text); free(ckpt);
        return fail("%s: %s", o.data, err.msg);
    }
    free(text);
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

    const mg_model *m = mg_session_model(s);
    const mg_dataset *ds = mg_session_dataset(s);
    printf("num docs: %d\nvocab size: %d\nnum params: %zu\n", ds->num_docs, ds->vocab_size, m->num_params);
    int start = mg_session_step(s), todo = o.steps - start;
    double *losses = malloc(sizeof(double) * (size_t)(todo > 0 ? todo : 1));
    size_t name_cap = (size_t)m->config.block_size * 4 + 1;
    char *names = malloc(name_cap * (size_t)(o.samples ? o.samples : 1));
    if (!losses || !names) { free(losses); free(names); mg_session_free(s); return fail("out of memory%s%s", "", ""); }
    for (int i = 0; i < todo; i++) {
        if (mg_train(s, 1, o.steps, &losses[i])) {
            rc = fail("%s%s", mg_session_error(s)->msg, "");
            goto done;
        }
        if (!o.quiet) printf("step %4d / %4d | loss %.4f\n", start + i + 1, o.steps, losses[i]);
    }
    if (!o.quiet) printf("\n--- inference (new, hallucinated names) ---\n");
    for (int i = 0; i < o.samples; i++) {
        if (mg_sample(s, o.temperature, names + name_cap * (size_t)i, name_cap, NULL)) {
            rc = fail("%s%s", mg_session_error(s)->msg, "");
            goto done;
        }
        if (!o.quiet) printf("sample %2d: %s\n", i + 1, names + name_cap * (size_t)i);
    }
    if (o.save) {
        uint8_t *buf;
        size_t n;
        if (mg_checkpoint_save(s, &buf, &n)) { rc = fail("%s%s", mg_session_error(s)->msg, ""); goto done; }
        FILE *f = fopen(o.save, "wb");
        int ok = f && fwrite(buf, 1, n, f) == n;
        if (f && fclose(f)) ok = 0;
        free(buf);
        if (!ok) { rc = fail("cannot write %s: %s", o.save, strerror(errno)); goto done; }
    }
    if (o.json) {
        FILE *f = fopen(o.json, "w");
        if (!f) { rc = fail("cannot write %s: %s", o.json, strerror(errno)); goto done; }
        fprintf(f, "{\"num_docs\": %d, \"vocab_size\": %d, \"num_params\": %zu, \"losses\": [", ds->num_docs,
                ds->vocab_size, m->num_params);
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
