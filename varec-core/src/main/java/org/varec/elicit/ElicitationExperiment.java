package org.varec.elicit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.metrics.ClassificationMetrics;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.RatingModel;
import org.varec.stats.Rng;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * The VFM paper's preference-elicitation protocol (section V-A(c), Table IV) on a complete binary
 * users x items matrix. Per repeat: a seeded share of the users ({@code trainShare}) is fully
 * observed and trains the model; the model's item side is then frozen. The items are split into an
 * interactive pool and validation items. Every other (test) user starts from the prior; in each
 * round the strategy picks {@code roundSize} pool items, their labels are revealed, the user's
 * posterior is refitted to all answers so far (the model's fold-in), and the validation items only
 * are scored: ACC (at P = 0.5), AUC and MAP (average precision) over all (test user, validation
 * item) pairs pooled, and the mean predictive variance. Asked items are never scored (they are pool
 * items, disjoint from the validation items). All strategies of a repeat share its splits and model.
 */
public final class ElicitationExperiment {
    /** Figures per round, in JSON order. */
    public static final List<String> METRICS = List.of("acc", "auc", "map", "variance");

    private ElicitationExperiment() {
    }

    /** One repeat's split: training users, test users, pool items, validation items (dense indices). */
    public record Split(int[] trainUsers, int[] testUsers, int[] pool, int[] validation) {
    }

    /** The split of repeat {@code repeat}. */
    public static Split split(int numUsers, int numItems, ElicitationConfig c, int repeat) {
        long s = Rng.deriveSeed(c.seed(), repeat);
        int[] up = Rng.stream(s, 1).permutation(numUsers);
        int[] ip = Rng.stream(s, 2).permutation(numItems);
        int nTrain = (int) Math.round(c.trainShare() * numUsers);
        nTrain = Math.max(1, Math.min(numUsers - 1, nTrain));
        int nPool = (int) Math.round(c.poolShare() * numItems);
        nPool = Math.max(1, Math.min(numItems - 1, nPool));
        int[] train = java.util.Arrays.copyOfRange(up, 0, nTrain);
        int[] test = java.util.Arrays.copyOfRange(up, nTrain, numUsers);
        int[] pool = java.util.Arrays.copyOfRange(ip, 0, nPool);
        int[] val = java.util.Arrays.copyOfRange(ip, nPool, numItems);
        java.util.Arrays.sort(train);
        java.util.Arrays.sort(test);
        java.util.Arrays.sort(pool);
        java.util.Arrays.sort(val);
        return new Split(train, test, pool, val);
    }

    /** The 0/1 interactions of {@code users} (renumbered 0..n-1) over all items. */
    static Interactions rows(ElicitationData d, int[] users) {
        int m = d.numItems();
        int n = users.length * m;
        int[] us = new int[n];
        int[] is = new int[n];
        float[] vs = new float[n];
        for (int k = 0; k < users.length; k++) {
            for (int i = 0; i < m; i++) {
                us[k * m + i] = k;
                is[k * m + i] = i;
                vs[k * m + i] = d.label(users[k], i);
            }
        }
        return new Interactions(users.length, m, us, is, vs, true);
    }

    /** A trainer of the model of one repeat: (training interactions, seed) to a model. */
    @FunctionalInterface
    public interface ModelFactory {
        ProbabilisticModel fit(Interactions train, long seed);
    }

    /** A factory training {@code algorithm} with {@code config} on {@code threads} threads. */
    public static ModelFactory factory(Algorithm<?, ?> algorithm, AlgorithmConfig config, int threads) {
        return (train, seed) -> {
            RatingModel m = algorithm.fit(config, TrainingData.of(train, new RatingScale(0, 1)),
                    TrainingContext.of(seed, threads)).model();
            if (!(m instanceof ProbabilisticModel pm)) {
                throw new IllegalArgumentException("algorithm " + algorithm.name() + " has no predictive variance; "
                        + "elicitation needs a Bayesian model (vfm, fm-mcmc, bpmf, vbmf, bnnmf)");
            }
            return pm;
        };
    }

    /**
     * The config of {@code algorithm} for elicitation: classification when it has a {@code task}
     * parameter (the labels are 0/1), regression on the labels otherwise.
     */
    public static AlgorithmConfig config(Algorithm<?, ?> algorithm, org.varec.model.Params params) {
        boolean hasTask = algorithm.spec().params().stream().anyMatch(d -> d.name().equals("task"));
        return hasTask ? algorithm.parseConfig(params, org.varec.model.Task.CLASSIFICATION) : algorithm.parseConfig(params);
    }

    /** Runs the protocol; {@code progress} gets one line per repeat (may be null). */
    public static ElicitationResult run(ElicitationData data, ModelFactory factory, boolean classification,
                                        ElicitationConfig c, Consumer<String> progress) {
        List<Strategy> strategies = c.strategies();
        int S = strategies.size();
        int R = c.rounds();
        // values[strategy][round][metric][repeat]
        double[][][][] values = new double[S][R][METRICS.size()][c.repeats()];
        double[][] prior = new double[METRICS.size()][c.repeats()];
        double[][] seconds = new double[S][c.repeats()];
        double trainSeconds = 0;
        int testUsers = 0;
        int poolSize = 0;
        int validationSize = 0;
        try (Parallel pool = new Parallel(c.threads())) {
            for (int rep = 0; rep < c.repeats(); rep++) {
                Split sp = split(data.numUsers(), data.numItems(), c, rep);
                testUsers = sp.testUsers().length;
                poolSize = sp.pool().length;
                validationSize = sp.validation().length;
                long seed = Rng.deriveSeed(c.seed(), rep);
                long t0 = System.nanoTime();
                Interactions train = rows(data, sp.trainUsers());
                ProbabilisticModel model = factory.fit(train, seed);
                trainSeconds += (System.nanoTime() - t0) / 1e9;
                Beliefs beliefs = new Beliefs(model, classification);
                double[] popularity = new double[data.numItems()];
                for (int u : sp.trainUsers()) {
                    for (int i = 0; i < data.numItems(); i++) {
                        popularity[i] += data.label(u, i);
                    }
                }
                int T = sp.testUsers().length;
                int V = sp.validation().length;
                float[] labels = new float[T * V];
                for (int t = 0; t < T; t++) {
                    for (int v = 0; v < V; v++) {
                        labels[t * V + v] = data.label(sp.testUsers()[t], sp.validation()[v]);
                    }
                }
                // the prior (no answers): the same for every strategy
                {
                    double[] p = new double[T * V];
                    double[] var = new double[T * V];
                    var st = beliefs.posterior(new int[0], new float[0]);
                    for (int t = 0; t < T; t++) {
                        for (int v = 0; v < V; v++) {
                            Predictive b = beliefs.belief(st, sp.validation()[v]);
                            p[t * V + v] = b.mean();
                            var[t * V + v] = b.variance();
                        }
                    }
                    double[] f = figures(labels, p, var);
                    for (int m = 0; m < f.length; m++) {
                        prior[m][rep] = f[m];
                    }
                }
                for (int s = 0; s < S; s++) {
                    Strategy strategy = strategies.get(s);
                    double[][] p = new double[R][T * V];
                    double[][] var = new double[R][T * V];
                    final int rp = rep;
                    long t1 = System.nanoTime();
                    pool.forBlocks(T, 1, (block, from, to) -> {
                        for (int t = from; t < to; t++) {
                            int u = sp.testUsers()[t];
                            ElicitationSession session = new ElicitationSession(beliefs, sp.pool(), sp.validation(),
                                    strategy, popularity, Rng.deriveSeed(Rng.deriveSeed(c.seed(), rp), 1000 + u));
                            for (int r = 0; r < R; r++) {
                                int[] ask = session.next(c.roundSize());
                                float[] ans = new float[ask.length];
                                for (int k = 0; k < ask.length; k++) {
                                    ans[k] = data.label(u, ask[k]);
                                }
                                session.answer(ask, ans);
                                for (int v = 0; v < V; v++) {
                                    Predictive b = session.belief(sp.validation()[v]);
                                    p[r][t * V + v] = b.mean();
                                    var[r][t * V + v] = b.variance();
                                }
                            }
                        }
                    });
                    seconds[s][rep] = (System.nanoTime() - t1) / 1e9;
                    for (int r = 0; r < R; r++) {
                        double[] f = figures(labels, p[r], var[r]);
                        for (int m = 0; m < f.length; m++) {
                            values[s][r][m][rep] = f[m];
                        }
                    }
                }
                if (progress != null) {
                    StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                            "repeat %d/%d: trained on %d users in %.1fs; AUC at %d items:", rep + 1, c.repeats(),
                            sp.trainUsers().length, (System.nanoTime() - t0) / 1e9 - sumCol(seconds, rep),
                            R * c.roundSize()));
                    for (int s = 0; s < S; s++) {
                        sb.append(String.format(java.util.Locale.ROOT, " %s %.3f", strategies.get(s).label(),
                                values[s][R - 1][1][rep]));
                    }
                    progress.accept(sb.toString());
                }
            }
        }
        Map<Strategy, List<ElicitationResult.Round>> per = new LinkedHashMap<>();
        Map<Strategy, double[]> secs = new LinkedHashMap<>();
        for (int s = 0; s < S; s++) {
            List<ElicitationResult.Round> rounds = new ArrayList<>();
            for (int r = 0; r < R; r++) {
                Map<String, Interval> figs = new LinkedHashMap<>();
                for (int m = 0; m < METRICS.size(); m++) {
                    figs.put(METRICS.get(m), Interval.of(values[s][r][m]));
                }
                rounds.add(new ElicitationResult.Round((r + 1) * c.roundSize(), figs));
            }
            per.put(strategies.get(s), rounds);
            secs.put(strategies.get(s), seconds[s]);
        }
        Map<String, Interval> priorFigs = new LinkedHashMap<>();
        for (int m = 0; m < METRICS.size(); m++) {
            priorFigs.put(METRICS.get(m), Interval.of(prior[m]));
        }
        return new ElicitationResult(c, data.numUsers(), data.numItems(), testUsers, poolSize, validationSize,
                classification, priorFigs, per, secs, trainSeconds / c.repeats());
    }

    private static double sumCol(double[][] a, int col) {
        double s = 0;
        for (double[] row : a) {
            s += row[col];
        }
        return s;
    }

    /** ACC at 0.5, AUC, MAP (average precision) and mean variance of pooled predictions. */
    static double[] figures(float[] labels, double[] p, double[] var) {
        double mv = 0;
        for (double x : var) {
            mv += x;
        }
        return new double[] {ClassificationMetrics.accuracy(labels, p, 0.5), ClassificationMetrics.auc(labels, p),
                ClassificationMetrics.averagePrecision(labels, p), mv / var.length};
    }
}
