package org.varec.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.metrics.ClassificationMetrics;
import org.varec.metrics.RankingMetrics;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.RatingModel;
import org.varec.stats.Normal;

/**
 * Measures a rating model on validation ratings after each epoch and adds {@code val_}-prefixed
 * figures. Metrics by name:
 * <ul>
 *   <li>{@code rmse}, {@code mae}: point predictions clamped to the rating scale (as the test
 *       metrics are);</li>
 *   <li>{@code nlpd}: mean negative log predictive density of a Gaussian with the model's
 *       predictive mean and variance (probabilistic models only; skipped for others);</li>
 *   <li>{@code auc}, {@code acc}, {@code map}: the predictions as scores of the binary label
 *       "relevant" (on a 0..1 scale the label is the rating itself, else rating {@code >}
 *       {@value RankingMetrics#DEFAULT_RELEVANCE_THRESHOLD}); for ACC a prediction above 0.5 (on a 0..1
 *       scale) or above 3.5 stars is positive;</li>
 *   <li>{@code ndcg@N}, {@code recall@N}, {@code precision@N}: top-N lists over all items
 *       leaving out the training ratings, relevance as for AUC (Liang et al. 2018).</li>
 * </ul>
 * The same figures come out for any thread count.
 */
public final class ValidationProbe implements Probe<RatingModel> {
    private final Interactions validation;
    private final RatingScale scale;
    private final RatingMatrix train;
    private final List<String> metrics;
    private final int threads;
    private final int[] ns;
    private final boolean binary;
    private final double labelCut;
    private Interactions exclude;
    private Interactions relevant;
    private float[] labels;

    /**
     * @param train   training ratings (left out of ranked lists; only read for ranking metrics)
     * @param metrics metric names as above
     * @param threads worker threads for ranking metrics
     */
    public ValidationProbe(Interactions validation, RatingScale scale, RatingMatrix train, List<String> metrics,
                           int threads) {
        this.validation = validation;
        this.scale = scale;
        this.train = train;
        this.metrics = List.copyOf(metrics);
        this.threads = threads;
        this.binary = scale.min() == 0 && scale.max() == 1;
        this.labelCut = binary ? 0.5 : RankingMetrics.DEFAULT_RELEVANCE_THRESHOLD;
        List<Integer> cut = new ArrayList<>();
        for (String m : this.metrics) {
            String base = m.toLowerCase(Locale.ROOT);
            int at = base.indexOf('@');
            if (at >= 0) {
                String kind = base.substring(0, at);
                if (!kind.equals("ndcg") && !kind.equals("recall") && !kind.equals("precision")) {
                    throw new IllegalArgumentException("unknown validation metric '" + m + "'; " + KNOWN);
                }
                int n;
                try {
                    n = Integer.parseInt(base.substring(at + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("validation metric '" + m + "' needs a whole N after @");
                }
                if (n < 1) {
                    throw new IllegalArgumentException("validation metric '" + m + "' needs N >= 1");
                }
                if (!cut.contains(n)) {
                    cut.add(n);
                }
            } else if (!List.of("rmse", "mae", "nlpd", "auc", "acc", "map").contains(base)) {
                throw new IllegalArgumentException("unknown validation metric '" + m + "'; " + KNOWN);
            }
        }
        this.ns = cut.stream().mapToInt(Integer::intValue).toArray();
    }

    static final String KNOWN = "known: rmse, mae, nlpd, auc, acc, map, ndcg@N, recall@N, precision@N";

    /** The metric a figure name selects ({@code val_ndcg@10} -> {@code ndcg@10}), or null when it is not a validation figure. */
    public static String metricOf(String figure) {
        return figure.startsWith("val_") ? figure.substring(4) : null;
    }

    @Override
    public void measure(RatingModel model, EpochReport.Builder out) {
        int n = validation.size();
        double[] pred = null;
        RankingMetrics.Summary ranking = null;
        for (String m : metrics) {
            String base = m.toLowerCase(Locale.ROOT);
            switch (base) {
                case "rmse", "mae", "auc", "acc", "map" -> {
                    if (pred == null) {
                        pred = RegressionMetrics.predict(model, validation, scale);
                    }
                    float[] actual = validation.values();
                    double v = switch (base) {
                        case "rmse" -> RegressionMetrics.rmse(actual, pred);
                        case "mae" -> RegressionMetrics.mae(actual, pred);
                        case "auc" -> ClassificationMetrics.auc(labels(), pred);
                        case "acc" -> ClassificationMetrics.accuracy(labels(), pred, binary ? 0.5 : labelCut + 0.5);
                        default -> ClassificationMetrics.averagePrecision(labels(), pred);
                    };
                    out.put("val_" + base, v);
                }
                case "nlpd" -> {
                    if (model instanceof ProbabilisticModel pm) {
                        double s = 0;
                        for (int k = 0; k < n; k++) {
                            Predictive p = pm.predictive(validation.users()[k], validation.items()[k]);
                            s -= Normal.logPdf(validation.values()[k], p.mean(), Math.max(p.variance(), 1e-12));
                        }
                        out.put("val_nlpd", s / n);
                    }
                }
                default -> {
                    if (ranking == null) {
                        ranking = RankingMetrics.evaluate((u, scores) -> model.scoreAll(model.user(u), scores),
                                exclude(), relevant(), ns, threads);
                    }
                    int at = base.indexOf('@');
                    RankingMetrics.AtN a = ranking.at(Integer.parseInt(base.substring(at + 1)));
                    String kind = base.substring(0, at);
                    out.put("val_" + base, kind.equals("ndcg") ? a.ndcg() : kind.equals("recall") ? a.recall()
                            : a.precision());
                }
            }
        }
    }

    private float[] labels() {
        if (labels == null) {
            float[] v = validation.values();
            labels = new float[v.length];
            for (int k = 0; k < v.length; k++) {
                labels[k] = v[k] > labelCut ? 1f : 0f;
            }
        }
        return labels;
    }

    private Interactions relevant() {
        if (relevant == null) {
            relevant = RankingMetrics.relevant(validation, labelCut);
        }
        return relevant;
    }

    /** The training ratings as user-sorted COO (built once, only for ranking metrics). */
    private Interactions exclude() {
        if (exclude == null) {
            int[] off = train.userOffsets();
            int[] users = new int[train.nnz()];
            for (int u = 0; u < train.numUsers(); u++) {
                java.util.Arrays.fill(users, off[u], off[u + 1], u);
            }
            exclude = new Interactions(train.numUsers(), train.numItems(), users, train.userItems(),
                    train.userValues(), true);
        }
        return exclude;
    }
}
