/*
 * A plain C biased-MF SGD loop: the reference for one biasmf epoch where cornac (whose MF is a
 * Cython loop of this shape, compiled to C) cannot be installed. Same update as biasmf (see
 * BiasMfTrainer): e = r - (mu + bu + bi + p.q); bu += lr(e - reg bu); bi += lr(e - reg bi);
 * p, q += lr(e q - reg p), lr(e p - reg q) from the old values; float storage, k a run-time value
 * as in cornac, one thread, no reshuffle between epochs (cornac's order: as given; --shuffle
 * shuffles once first). Factors start N(0, 0.01^2) (Box-Muller on a fixed LCG), biases at 0.
 *
 * usage: sgd_mf TRAIN.tsv TEST.tsv K EPOCHS LR REG [--shuffle]
 * prints per-epoch milliseconds, then 'fit_seconds<TAB>rmse' (test RMSE, clamped to [1, 5]).
 * fit_seconds covers what cornac's MF.fit() and varec's fit both do after reading: the shuffle
 * (with --shuffle), the factor draws, the mean and the epochs.
 * build: gcc -O3 -march=native -o sgd_mf sgd_mf.c -lm   (varec-bench/peers/c/build.sh)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { char **keys; int *vals; int cap, n; } Map;

static unsigned long long rng_state = 42;
static double uniform(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((rng_state >> 11) + 0.5) / 9007199254740992.0;
}
static double gaussian(void) { return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform()); }

static unsigned long hash(const char *s) { unsigned long h = 5381; while (*s) h = h * 33 + (unsigned char) *s++; return h; }
static int lookup(Map *m, const char *key, int add) {
    if (m->cap == 0) { m->cap = 1 << 16; m->keys = calloc(m->cap, sizeof(char *)); m->vals = calloc(m->cap, sizeof(int)); }
    unsigned long i = hash(key) & (m->cap - 1);
    while (m->keys[i]) { if (!strcmp(m->keys[i], key)) return m->vals[i]; i = (i + 1) & (m->cap - 1); }
    if (!add) return -1;
    if (2 * (m->n + 1) > m->cap) { fprintf(stderr, "sgd_mf: too many ids\n"); exit(2); }
    m->keys[i] = strdup(key); m->vals[i] = m->n;
    return m->n++;
}

typedef struct { int *u, *i; float *r; long n; } Ratings;
static Ratings readFile(const char *path, Map *users, Map *items, int add) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    Ratings d = {0}; long cap = 1 << 20; char line[512], a[128], b[128]; double r; long ln = 0;
    d.u = malloc(cap * sizeof(int)); d.i = malloc(cap * sizeof(int)); d.r = malloc(cap * sizeof(float));
    while (fgets(line, sizeof line, f)) {
        ln++;
        if (sscanf(line, "%127[^\t]\t%127[^\t]\t%lf", a, b, &r) != 3) { fprintf(stderr, "%s:%ld: not 'user<TAB>item<TAB>rating'\n", path, ln); exit(2); }
        if (d.n == cap) { cap *= 2; d.u = realloc(d.u, cap * sizeof(int)); d.i = realloc(d.i, cap * sizeof(int)); d.r = realloc(d.r, cap * sizeof(float)); }
        d.u[d.n] = lookup(users, a, add); d.i[d.n] = lookup(items, b, add); d.r[d.n] = (float) r; d.n++;
    }
    fclose(f);
    return d;
}

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

int main(int argc, char **argv) {
    if (argc < 7) { fprintf(stderr, "usage: sgd_mf TRAIN.tsv TEST.tsv K EPOCHS LR REG [--shuffle]\n"); return 2; }
    Map users = {0}, items = {0};
    Ratings tr = readFile(argv[1], &users, &items, 1), te = readFile(argv[2], &users, &items, 0);
    int k = atoi(argv[3]), epochs = atoi(argv[4]);
    float lr = (float) atof(argv[5]), reg = (float) atof(argv[6]);
    double start = now();
    if (argc > 7 && !strcmp(argv[7], "--shuffle")) {
        for (long t = tr.n - 1; t > 0; t--) {
            long j = (long) (uniform() * (t + 1));
            int x = tr.u[t]; tr.u[t] = tr.u[j]; tr.u[j] = x; x = tr.i[t]; tr.i[t] = tr.i[j]; tr.i[j] = x;
            float y = tr.r[t]; tr.r[t] = tr.r[j]; tr.r[j] = y;
        }
    }
    float *P = malloc(sizeof(float) * users.n * k), *Q = malloc(sizeof(float) * items.n * k);
    float *bu = calloc(users.n, sizeof(float)), *bi = calloc(items.n, sizeof(float));
    for (long x = 0; x < (long) users.n * k; x++) P[x] = (float) (0.01 * gaussian());
    for (long x = 0; x < (long) items.n * k; x++) Q[x] = (float) (0.01 * gaussian());
    double sum = 0; for (long t = 0; t < tr.n; t++) sum += tr.r[t];
    float mu = (float) (sum / tr.n);
    for (int e = 0; e < epochs; e++) {
        double t0 = now(), loss = 0;
        for (long t = 0; t < tr.n; t++) {
            float *p = P + (long) tr.u[t] * k, *q = Q + (long) tr.i[t] * k;
            float pred = mu + bu[tr.u[t]] + bi[tr.i[t]];
            for (int f = 0; f < k; f++) pred += p[f] * q[f];
            float err = tr.r[t] - pred;
            loss += err * err;
            for (int f = 0; f < k; f++) {
                float pf = p[f], qf = q[f];
                p[f] += lr * (err * qf - reg * pf);
                q[f] += lr * (err * pf - reg * qf);
            }
            bu[tr.u[t]] += lr * (err - reg * bu[tr.u[t]]);
            bi[tr.i[t]] += lr * (err - reg * bi[tr.i[t]]);
        }
        printf("epoch %d\t%.2f ms\ttrain_rmse %.4f\n", e + 1, 1e3 * (now() - t0), sqrt(loss / tr.n));
    }
    double fit = now() - start, se = 0;
    for (long t = 0; t < te.n; t++) {
        float pred = mu;
        if (te.u[t] >= 0) pred += bu[te.u[t]];
        if (te.i[t] >= 0) pred += bi[te.i[t]];
        if (te.u[t] >= 0 && te.i[t] >= 0) for (int f = 0; f < k; f++) pred += P[(long) te.u[t] * k + f] * Q[(long) te.i[t] * k + f];
        pred = pred < 1 ? 1 : pred > 5 ? 5 : pred;
        se += (pred - te.r[t]) * (pred - te.r[t]);
    }
    printf("%.4f\t%.4f\n", fit, sqrt(se / te.n));
    return 0;
}
