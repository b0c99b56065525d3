package org.varec.model.fm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.data.SparseDesign;
import org.varec.model.ParamSpec;
import org.varec.model.Params;
import org.varec.model.RatingModel;
import org.varec.testing.PlantedFactors;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/** Shared helpers of the FM tests. */
final class FmTestSupport {
    private FmTestSupport() {
    }

    static PlantedFactors planted(long seed) {
        return PlantedFactors.generate(seed, 120, 90, 3, 1.0, 0.3, 0.1);
    }

    /** A config from parameter values by name (the others at their defaults), as --set gives them. */
    static <C extends Record> C config(Class<C> type, Map<String, ?> values) {
        return ParamSpec.of(type).parse(Params.of(values), false);
    }

    /** Trains on a design matrix through the shared loop (libFM files' path) and returns the predictor. */
    static FmPredictor fitDesign(FmDesignTrainer trainer, SparseDesign train, long seed, int threads) {
        try (Parallel pool = new Parallel(threads)) {
            return Training.run(trainer.name(), trainer.startDesign(train, seed, pool), TrainingContext.of(seed, threads),
                    null, null).model();
        }
    }

    static TrainingData data(Interactions train) {
        return TrainingData.of(train, RatingScale.UNBOUNDED);
    }

    static double rmse(RatingModel m, Interactions test) {
        double s = 0;
        for (int r = 0; r < test.size(); r++) {
            double e = test.values()[r] - m.predict(test.users()[r], test.items()[r]);
            s += e * e;
        }
        return Math.sqrt(s / test.size());
    }

    /** RMSE of predicting the training mean. */
    static double meanRmse(Interactions train, Interactions test) {
        double mu = train.mean();
        double s = 0;
        for (float v : test.values()) {
            s += (v - mu) * (v - mu);
        }
        return Math.sqrt(s / test.size());
    }

    static FmModel roundTrip(FmModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeParameters(new DataOutputStream(bytes));
        return FmModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), m.algorithm());
    }

    static Interactions binarize(Interactions r, double threshold) {
        float[] v = new float[r.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.values()[i] >= threshold ? 1f : 0f;
        }
        return new Interactions(r.numUsers(), r.numItems(), r.users(), r.items(), v, r.sortedByUser());
    }

    /**
     * Runs {@code sweeps} sweeps of the engine {@code make} builds on a pool of one thread and on one
     * of two, and asserts that w and V come out bit-identical.
     */
    static void assertSameOnOneAndTwoThreads(java.util.function.Function<Parallel, FmCoordinate> make, int sweeps) {
        float[][] w = new float[2][];
        float[][] v = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            try (Parallel par = new Parallel(threads)) {
                FmCoordinate c = make.apply(par);
                for (int it = 1; it <= sweeps; it++) {
                    c.sweep(it);
                }
                w[threads - 1] = c.p.w.clone();
                v[threads - 1] = c.p.v.clone();
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(w[0], w[1]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(v[0], v[1]);
    }
}
