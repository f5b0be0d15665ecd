/* names.c - libFuzzer harness: any bytes as a name typed into a chapter view.
 *
 * One session (the default config, trained a few steps on a fixed list of
 * names with a few non-ASCII characters) is built once; every input goes
 * through mg_session_encode_name, mg_inspect, mg_next_probs, mg_name_grad and
 * mg_name_loss. Each accepts or refuses with a message, fills exactly the
 * buffer it documents (every buffer here is allocated to that size, so
 * AddressSanitizer sees one value too many), agrees with the others, and
 * changes nothing in the run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "microgpt.h"

#define MAX_INPUT 1024

#define HARNESS "names"
#include "harness.h"

static const char records[] =
    "emma\nolivia\nava\nisabella\nsophia\nzoé\nchloë\nbjörn\nxavier\nquinn\njack\n"
    "mia\nnoah\nliam\nyuki\nwill\ngrace\nhugo\nkai\nfrida\nvera\nmaximilian-alexander\n";

static mg_session *session;
static double *params0; /* the dials after training; nothing here may change them */
static size_t num_params;
static int step0;

static void require_refusal(mg_status rc, const mg_error *err) {
    require(rc == MG_ERR_ARG || rc == MG_ERR_DATA, "status %d (%s)", (int)rc, err->msg);
    require(err->code == rc, "error code %d for status %d", (int)err->code, (int)rc);
    require(memchr(err->msg, '\0', sizeof err->msg) && err->msg[0], "empty or unterminated message");
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    mg_config config = MG_CONFIG_DEFAULT;
    mg_error err;
    require(mg_session_create(&session, &config, records, sizeof records - 1, 42, &err) == MG_OK,
            "%s", err.msg);
    require(mg_train(session, 20, 100, NULL) == MG_OK, "%s", mg_session_error(session)->msg);
    num_params = mg_session_num_params(session);
    params0 = malloc(sizeof(double) * num_params);
    require(params0 != NULL, "out of memory");
    memcpy(params0, mg_session_view(session).params, sizeof(double) * num_params);
    step0 = mg_session_step(session);
    return 0;
}

static double *values(size_t n) {
    double *p = malloc(sizeof(double) * (n ? n : 1));
    require(p != NULL, "out of memory for %zu values", n);
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > MAX_INPUT) size = MAX_INPUT;
    char *name = malloc(size ? size : 1); /* exactly size bytes: reads past the name are caught */
    require(name != NULL, "out of memory");
    memcpy(name, data, size);
    mg_session *s = session;
    const int T = mg_session_config(s)->block_size, V = mg_session_vocab_size(s), bos = V - 1;

    /* encode: [BOS, courses..., BOS] in a buffer of block_size + 2 */
    int32_t *tokens = malloc(sizeof(int32_t) * ((size_t)T + 2));
    require(tokens != NULL, "out of memory");
    int n_tokens = -1;
    mg_status enc = mg_session_encode_name(s, name, size, tokens, &n_tokens);
    if (enc) {
        require_refusal(enc, mg_session_error(s));
    } else {
        require(n_tokens >= 3 && n_tokens <= T + 1, "%d tokens for a block of %d", n_tokens, T);
        require(tokens[0] == bos && tokens[n_tokens - 1] == bos, "not wrapped in BOS");
        for (int i = 1; i < n_tokens - 1; i++)
            require(tokens[i] >= 0 && tokens[i] < bos, "token %d is %d", i, tokens[i]);
    }

    /* inspect: exactly mg_inspect_size values; one fewer is refused */
    int n_chars = enc ? 0 : n_tokens - 2;
    size_t cap = mg_inspect_size(s, n_chars);
    double *out = values(cap);
    int n_pos = -1;
    mg_status rc = mg_inspect(s, name, size, out, cap, &n_pos);
    require(rc == enc, "inspect says %d where encoding says %d", (int)rc, (int)enc);
    if (!rc) {
        int n = n_chars + 1;
        require(n_pos == n, "%d positions for %d characters", n_pos, n_chars);
        const double *probs = out + cap - (size_t)n * V - n, *penalty = out + cap - n;
        double total = 0.0;
        for (int p = 0; p < n; p++) {
            double sum = 0.0;
            for (int v = 0; v < V; v++) sum += probs[(size_t)p * V + v];
            require(fabs(sum - 1.0) < 1e-9, "position %d's probabilities sum to %.17g", p, sum);
            require(isfinite(penalty[p]) && penalty[p] >= 0.0, "penalty %d is %g", p, penalty[p]);
            total += penalty[p];
        }
        double loss = 0.0;
        rc = mg_name_loss(s, name, size, &loss);
        require(rc == MG_OK, "name_loss refused an encodable name: %s", mg_session_error(s)->msg);
        require(fabs(loss - total / n) <= 1e-9 * (1.0 + loss), "loss %.17g, mean penalty %.17g", loss,
                total / n);
        /* a buffer one value short (allocated so, for AddressSanitizer) is refused */
        double *short_out = values(cap - 1);
        rc = mg_inspect(s, name, size, short_out, cap - 1, &n_pos);
        require(rc == MG_ERR_ARG, "a short inspect buffer was accepted (%d)", (int)rc);
        free(short_out);
    } else {
        require_refusal(rc, mg_session_error(s));
    }
    free(out);

    /* next-course probabilities after the bytes as a prefix (empty allowed) */
    static const double temperatures[] = {0.0, 0.5, 1.0, 3.0};
    double temperature = temperatures[size % 4];
    double *probs = values((size_t)V);
    rc = mg_next_probs(s, name, size, temperature, probs);
    if (rc) {
        require_refusal(rc, mg_session_error(s));
    } else {
        double sum = 0.0;
        for (int v = 0; v < V; v++) {
            require(probs[v] >= 0.0 && probs[v] <= 1.0, "probability %d is %g", v, probs[v]);
            sum += probs[v];
        }
        require(fabs(sum - 1.0) < 1e-9, "probabilities sum to %.17g", sum);
    }
    free(probs);

    /* one name's gradient, and its loss agrees with mg_name_loss */
    double *grads = values(num_params);
    double gloss = -1.0, loss = -2.0;
    rc = mg_name_grad(s, name, size, grads, &gloss);
    require(rc == enc, "name_grad says %d where encoding says %d", (int)rc, (int)enc);
    mg_status lrc = mg_name_loss(s, name, size, &loss);
    require(lrc == enc, "name_loss says %d where encoding says %d", (int)lrc, (int)enc);
    if (!rc) {
        require(isfinite(gloss) && gloss >= 0.0 && gloss == loss, "grad's loss %.17g, loss %.17g", gloss,
                loss);
        for (size_t i = 0; i < num_params; i++) require(isfinite(grads[i]), "gradient %zu is %g", i, grads[i]);
    }
    free(grads);

    /* read-only: the dials and the run's place are as they were */
    require(mg_session_step(s) == step0, "the step moved to %d", mg_session_step(s));
    require(!memcmp(mg_session_view(s).params, params0, sizeof(double) * num_params), "a dial changed");

    free(tokens);
    free(name);
    return 0;
}
