package org.varec.model.fm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.data.io.Datasets;
import org.varec.data.split.Protocols;
import org.varec.data.split.Split;
import org.varec.metrics.ClassificationMetrics;
import org.varec.model.ParamSpec;
import org.varec.model.Params;
import org.varec.testing.TestData;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;

/**
 * The paper's protocol on MovieLens in Java (the classification half until the CLI has
 * {@code --task classification}): one random 80/20 split (the CLI's holdout:0.8, seed 42); with
 * {@code task=classification} ratings >= 4 -> 1 and ACC / AUC / MAP of the predicted
 * probabilities, else RMSE. The test part doubles as validation data so that the loop's probe
 * prints the returned model's figures ({@code val_rmse}, or {@code val_acc} and {@code val_auc})
 * every 10 epochs (diagnostics only: nothing is selected on them). A benchmark, not a unit test: runs only with {@code -Dvfm.data=ml-100k} (or
 * ml-1m), parameters in {@code -Dvfm.set=k=v,k=v} (e.g. {@code task=classification}); with
 * {@code -Dvfm.dims=2:5:10} d is first chosen on 20% of the training ratings held out (the paper's protocol).
 */
@EnabledIfSystemProperty(named = "vfm.data", matches = ".+")
class VfmMovieLensBench {
    /**
     * The paper's choice of d: fit each candidate on a seeded 80% of the training ratings, score
     * the other 20% (RMSE, or AUC for classification), return the config with the best d.
     */
    private static VfmConfig selectDim(VfmConfig c, String dims, Interactions train, Dataset d) {
        int[] perm = new org.varec.stats.Rng(7).permutation(train.size());
        int cut = (int) Math.round(0.8 * train.size());
        Interactions inner = train.select(java.util.Arrays.copyOfRange(perm, 0, cut));
        Interactions held = train.select(java.util.Arrays.copyOfRange(perm, cut, perm.length));
        TrainingData td = new TrainingData(RatingMatrix.of(inner), d.scale(), d.itemFeatures(), d.userFeatures());
        VfmConfig best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (String ds : dims.split(":")) {
            VfmConfig cd = ParamSpec.of(VfmConfig.class).with(c, "rank", ds);
            VfmModel m = new VfmTrainer(cd).fit(td, TrainingContext.of(42, 2));
            double[] p = new double[held.size()];
            for (int q = 0; q < p.length; q++) {
                p[q] = m.predict(held.users()[q], held.items()[q]);
            }
            double score = c.classification() ? ClassificationMetrics.auc(held.values(), p)
                    : -org.varec.metrics.RegressionMetrics.rmse(m, held, d.scale());
            System.out.printf("SELECT dim=%d held-out %s %.4f%n", cd.rank(), c.classification() ? "AUC" : "RMSE",
                    Math.abs(score));
            if (score > bestScore) {
                bestScore = score;
                best = cd;
            }
        }
        return best;
    }

    @Test
    void run() throws Exception {
        String name = System.getProperty("vfm.data");
        Path dir = TestData.require(name, name.equals("ml-100k") ? "u.data" : "users.dat");
        Dataset d = Datasets.read(dir);
        Split s = Protocols.parse("holdout:0.8").splits(d, 42).get(0);
        List<String> kv = new ArrayList<>();
        String extra = System.getProperty("vfm.set", "");
        if (!extra.isBlank()) {
            kv.addAll(List.of(extra.split(",")));
        }
        VfmConfig c = ParamSpec.of(VfmConfig.class).parse(Params.parse(kv), false);
        Interactions train = c.classification() ? s.train().binarize(3.5) : s.train();
        Interactions test = c.classification() ? s.test().binarize(3.5) : s.test();
        String dims = System.getProperty("vfm.dims", "");
        if (!dims.isBlank()) {
            c = selectDim(c, dims, train, d);
        }
        RatingScale scale = c.classification() ? new RatingScale(0, 1) : d.scale();
        TrainingData td = new TrainingData(RatingMatrix.of(train), scale, d.itemFeatures(), d.userFeatures());
        long t0 = System.nanoTime();
        List<String> figures = c.classification() ? List.of("acc", "auc") : List.of("rmse");
        VfmModel m = new VfmTrainer(c).fit(td, TrainingContext.of(42, 2).withValidation(test, figures)
                .withListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochReport r) {
                        if (r.epoch() % 10 == 0) {
                            System.out.println("epoch " + r.epoch() + " " + r.seconds() + "s " + r.figures());
                        }
                    }
                }));
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] p = new double[test.size()];
        for (int q = 0; q < p.length; q++) {
            p[q] = m.predict(test.users()[q], test.items()[q]);
        }
        if (c.classification()) {
            System.out.printf("VFM %s %s: ACC %.4f AUC %.4f MAP %.4f fit %.1fs%n", name, c.toMap(),
                    ClassificationMetrics.accuracy(test.values(), p, 0.5), ClassificationMetrics.auc(test.values(), p),
                    ClassificationMetrics.averagePrecision(test.values(), p), secs);
            double[] z = new double[test.size()];
            for (int q = 0; q < z.length; q++) {
                z[q] = m.meanOutput(test.users()[q], test.items()[q]);
            }
            System.out.printf("VFM sigmoid(E[y]) instead of E[sigmoid(y)]: ACC %.4f AUC %.4f MAP %.4f%n",
                    ClassificationMetrics.accuracy(test.values(), z, 0.0), ClassificationMetrics.auc(test.values(), z),
                    ClassificationMetrics.averagePrecision(test.values(), z));
        } else {
            System.out.printf("VFM %s %s: RMSE %.4f fit %.1fs%n", name, c.toMap(),
                    org.varec.metrics.RegressionMetrics.rmse(m, test, d.scale()), secs);
        }
    }
}
