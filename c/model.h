/* model.h - Ming's model (model.c): the parameter table, the activations,
 * forward and backward. Inside the core only (the session owns a model); the
 * config and the tensor table's entries are in microgpt.h. */
#ifndef MG_MODEL_H
#define MG_MODEL_H

#include "adam.h"
#include "microgpt.h"
#include "rng.h"

/* Bytes mg_model_init and mg_acts_init allocate for a config in range. */
uint64_t mg_model_memory(const mg_config *c, int vocab_size);
uint64_t mg_acts_memory(const mg_config *c, int vocab_size);

/* Tensor kinds in the order of one layer; see model.c */
enum { MG_WTE, MG_WPE, MG_LM_HEAD, MG_NUM_GLOBAL_TENSORS };
enum { MG_ATTN_WQ, MG_ATTN_WK, MG_ATTN_WV, MG_ATTN_WO, MG_MLP_FC1, MG_MLP_FC2, MG_TENSORS_PER_LAYER };

typedef struct {
    mg_config config;
    int vocab_size;
    int num_tensors;
    mg_tensor *tensors;   /* the size table, in reference order */
    size_t num_params;
    double *params;       /* the wall of dials, one flat buffer: read it here,
                           * write it only through the mg_model_* writers */
    double *params_t;     /* the matrices transposed, for a vectorised forward:
                           * the writers below keep it in sync */
} mg_model;

/* Activations of one pass over up to block_size positions; the keys and
 * values double as the KV cache (the sous chefs' notebooks). */
typedef struct {
    int T, E, F, L, H, V;
    double *emb;     /* (T, E) wte + wpe */
    double *emb_rms; /* (T) rmsnorm scale of emb */
    double *x_in;    /* (L, T, E) stream entering each layer */
    double *xn1;     /* (L, T, E) after the palate cleanser before attention */
    double *rms1;    /* (L, T) */
    double *q, *k, *v; /* (L, T, E) */
    double *att;     /* (L, H, T, T) attention weights, row t over 0..t */
    double *att_out; /* (L, T, E) heads concatenated */
    double *x_mid;   /* (L, T, E) after attention + residual */
    double *xn2;     /* (L, T, E) */
    double *rms2;    /* (L, T) */
    double *h_pre;   /* (L, T, F) back kitchen before the quality check */
    double *h;       /* (L, T, F) after ReLU */
    double *x_out;   /* (T, E) stream after the last layer */
    double *logits;  /* (T, V) */
    double *probs;   /* (T, V) softmax at temperature 1 (training) */
    /* backward scratch */
    double *d_x;     /* (T, E) */
    double *d_xm;    /* (T, E) */
    double *d_a;     /* (T, E) */
    double *d_h;     /* (T, F) */
    double *d_tmp;   /* (max(F, V, T)) */
    double *block;   /* one allocation behind all of the above */
} mg_acts;

/* n zeroed doubles, 64-byte aligned (whole cache lines for the vector loops); free() them */
double *mg_zalloc(size_t n);
/* Bytes mg_zalloc takes for n doubles. */
uint64_t mg_zalloc_bytes(uint64_t n);
mg_status mg_model_init(mg_model *m, const mg_config *c, int vocab_size, mg_error *err);
void mg_model_free(mg_model *m);
/* The writers of the dials; each leaves params_t in sync. */
void mg_model_randomize(mg_model *m, mg_rng *rng); /* gauss(0, 0.08), reference order */
void mg_model_set_params(mg_model *m, const double *values); /* num_params values */
void mg_model_set_param(mg_model *m, size_t index, double value); /* index < num_params */
const mg_tensor *mg_model_tensor(const mg_model *m, int layer, int kind);
/* Names a dial: "wte[21][11]" for its flat index. */
void mg_model_dial_name(const mg_model *m, size_t index, char *out, size_t cap);

/* p = softmax(z / temperature) computed as the reference does (z * (1/T)). */
void mg_softmax(double *p, const double *z, int n, double temperature);

mg_status mg_acts_init(mg_acts *a, const mg_model *m, mg_error *err);
void mg_acts_free(mg_acts *a);

/* One position through the model; reads the cached keys/values of
 * positions 0..pos-1 in acts and appends this one's. Fills acts->logits[pos]. */
void mg_forward_position(mg_acts *a, const mg_model *m, int token, int pos);
/* Forward over tokens[0..n-1] predicting tokens[1..n]; returns the mean loss. */
double mg_forward_loss(mg_acts *a, const mg_model *m, const int32_t *tokens, int n);
/* Backward of the last mg_forward_loss: writes d loss / d params into grads. */
void mg_backward(mg_acts *a, const mg_model *m, const int32_t *tokens, int n, double *grads);
/* One training step on tokens[0..n] (0-based step of a run of num_steps):
 * forward, backward into grads, Adam's update of the dials and their
 * transposed copy (Adam's record of the changes is left to mg_adam_settle).
 * Returns the loss. */
double mg_model_train(mg_model *m, mg_acts *a, mg_adam *opt, const int32_t *tokens, int n, double *grads,
                      int step, int num_steps);

#endif
