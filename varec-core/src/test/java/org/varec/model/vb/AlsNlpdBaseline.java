package org.varec.model.vb;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.varec.data.Dataset;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.io.Datasets;
import org.varec.data.split.Protocols;
import org.varec.data.split.Split;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.RatingModel;
import org.varec.stats.Normal;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;

/**
 * Not a test: the NLPD baseline of docs/vbmf.md. For each split of {@code holdout:0.9x5} (seed 42),
 * trains ALS (default config) and scores the test ratings under {@code N(ALS prediction, s^2)}
 * with {@code s^2} the mean squared training residual, i.e. a fixed-variance Gaussian around the
 * ALS predictions, with the same unclamped-mean convention as {@code Evaluator}'s nlpd.
 *
 * <pre>
 *   java -cp varec-cli/target/varec.jar:varec-core/target/test-classes org.varec.model.vb.AlsNlpdBaseline DATA [THREADS]
 * </pre>
 */
public final class AlsNlpdBaseline {
    private AlsNlpdBaseline() {
    }

    public static void main(String[] args) throws Exception {
        Dataset ds = Datasets.read(Path.of(args[0]));
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Split> splits = Protocols.parse("holdout:0.9x5").splits(ds, 42);
        Algorithm<?, ?> als = Algorithms.get("als");
        double sumNlpd = 0;
        double sumCov = 0;
        for (Split sp : splits) {
            RatingModel m = als.fit(als.parseConfig(Params.empty()),
                    new TrainingData(RatingMatrix.of(sp.train()), ds.scale(), null, null), TrainingContext.of(42, threads))
                    .model();
            Interactions tr = sp.train();
            double sse = 0;
            for (int p = 0; p < tr.size(); p++) {
                double e = tr.values()[p] - m.predict(tr.users()[p], tr.items()[p]);
                sse += e * e;
            }
            double var = sse / tr.size();
            Interactions te = sp.test();
            double nlpd = 0;
            int covered = 0;
            double z = Normal.quantile(0.95);
            for (int p = 0; p < te.size(); p++) {
                double mean = m.predict(te.users()[p], te.items()[p]);
                nlpd -= Normal.logPdf(te.values()[p], mean, var);
                if (Math.abs(te.values()[p] - mean) <= z * Math.sqrt(var)) {
                    covered++;
                }
            }
            nlpd /= te.size();
            double cov = covered / (double) te.size();
            System.out.printf(Locale.ROOT, "%s  train residual var %.4f  nlpd %.4f  coverage_90 %.4f%n", sp.name(), var,
                    nlpd, cov);
            sumNlpd += nlpd;
            sumCov += cov;
        }
        System.out.printf(Locale.ROOT, "mean nlpd %.4f  coverage_90 %.4f over %d splits%n", sumNlpd / splits.size(),
                sumCov / splits.size(), splits.size());
    }
}
