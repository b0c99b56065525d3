package org.varec.model.nnmf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Algorithms;
import org.varec.model.UserState;
import org.varec.testing.PlantedFactors;
import org.varec.util.Parallel;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingResult;

/** nnmf end to end on small planted data: structure recovered, fold-in, save/load, side information. */
class NnmfTest {
    private static final PlantedFactors PLANTED = PlantedFactors.generate(3, 120, 80, 3, 1.0, 0.3, 0.1);

    private static TrainingData train(Interactions r) {
        return new TrainingData(RatingMatrix.of(r), RatingScale.UNBOUNDED, null, null);
    }

    private static NnmfModel fit(NnmfConfig c, TrainingData d, long seed, int threads) {
        return new NnmfTrainer(c).fit(d, TrainingContext.of(seed, threads));
    }

    /** The paper's architecture, scaled down, trained once on the planted data (shared by two tests). */
    private static NnmfModel planted;

    private static synchronized NnmfModel planted() {
        if (planted == null) {
            NnmfConfig c = NnmfGradientTest.config("rank=5", "products=20", "hidden=20,20", "lambda=1", "epochs=150",
                    "batch_size=256", "learning_rate=0.003");
            planted = fit(c, train(PLANTED.train()), 7, 2);
        }
        return planted;
    }

    private static double biasesRmse() {
        var biases = Algorithms.get("biases");
        var m = biases.fit(biases.defaultConfig(), train(PLANTED.train()), TrainingContext.of(1, 1)).model();
        return RegressionMetrics.rmse(m, PLANTED.test(), RatingScale.UNBOUNDED);
    }

    /**
     * Planted rank-3 interactions with biases (noise 0.1, interaction sd about 1): nnmf with the
     * paper's architecture recovers most of the interaction term the biases alone cannot explain.
     */
    @Test
    void recoversPlantedStructure() {
        NnmfModel m = planted();
        double rmse = RegressionMetrics.rmse(m, PLANTED.test(), RatingScale.UNBOUNDED);
        double base = biasesRmse();
        assertTrue(rmse < 0.5 * base, "nnmf test RMSE " + rmse + " vs biases " + base);
        assertTrue(RegressionMetrics.rmse(m, PLANTED.train(), RatingScale.UNBOUNDED) < 0.3);
    }

    /** Full-batch training lowers eq. (2). */
    @Test
    void lossDecreasesAndTrainRmseIsTheModels() {
        NnmfConfig c = NnmfGradientTest.config("rank=3", "products=10", "hidden=10", "lambda=1", "epochs=30",
                "batch_size=0", "learning_rate=0.01");
        TrainingData d = train(PLANTED.train());
        TrainingResult<?> r = Algorithms.get("nnmf").fit(c, d, TrainingContext.of(2, 2));
        double first = r.history().get(0).figure("loss");
        double last = r.history().get(r.epochs() - 1).figure("loss");
        assertTrue(last < 0.5 * first, first + " -> " + last);
    }

    /**
     * A trained user folded in from its own training ratings predicts about what the trained user
     * predicts: on converged planted data, the RMS difference over all items is a small fraction of
     * the spread of the predictions.
     */
    @Test
    void foldInOfATrainedUserReproducesItsPredictions() {
        TrainingData d = train(PLANTED.train());
        NnmfModel m = planted();
        RatingMatrix r = d.ratings();
        double diff = 0;
        double spread = 0;
        int count = 0;
        for (int user = 0; user < 120; user += 7) {
            int from = r.userOffsets()[user];
            int to = r.userOffsets()[user + 1];
            UserState s = m.foldIn(Arrays.copyOfRange(r.userItems(), from, to),
                    Arrays.copyOfRange(r.userValues(), from, to));
            double[] trained = new double[80];
            double[] folded = new double[80];
            m.scoreAll(m.user(user), trained);
            m.scoreAll(s, folded);
            double mean = Arrays.stream(trained).average().orElse(0);
            for (int i = 0; i < 80; i++) {
                diff += (trained[i] - folded[i]) * (trained[i] - folded[i]);
                spread += (trained[i] - mean) * (trained[i] - mean);
                count++;
                assertEquals(m.predict(user, i), trained[i], 1e-6);
            }
        }
        double rel = Math.sqrt(diff / spread);
        assertTrue(rel < 0.25, "fold-in differs from the trained users by " + rel + " of the prediction spread");
        // with no usable rating the user is zero, as an unknown user
        UserState none = m.foldIn(new int[] {-1, 500}, new float[] {4, 4});
        assertEquals(m.predict(-1, 3), m.predict(none, 3), 1e-12);
    }

    /** Fold-in lowers the user's part of eq. (2) below the trained user's own value (it minimises it). */
    @Test
    void foldInMinimisesTheUsersObjective() {
        NnmfConfig c = NnmfGradientTest.config("rank=3", "products=8", "hidden=8", "lambda=2", "epochs=40",
                "batch_size=512", "learning_rate=0.003");
        TrainingData d = train(PLANTED.train());
        NnmfModel m = fit(c, d, 5, 1);
        RatingMatrix r = d.ratings();
        for (int user = 0; user < 120; user += 17) {
            int from = r.userOffsets()[user];
            int to = r.userOffsets()[user + 1];
            int[] items = Arrays.copyOfRange(r.userItems(), from, to);
            float[] vals = Arrays.copyOfRange(r.userValues(), from, to);
            double trained = userObjective(m, (NnmfModel.State) m.user(user), items, vals);
            double folded = userObjective(m, (NnmfModel.State) m.foldIn(items, vals), items, vals);
            assertTrue(folded <= trained * (1 + 1e-6), "user " + user + ": fold-in " + folded + " vs trained " + trained);
        }
    }

    private static double userObjective(NnmfModel m, NnmfModel.State s, int[] items, float[] vals) {
        double j = 0;
        for (int p = 0; p < items.length; p++) {
            double e = vals[p] - m.predict(s, items[p]);
            j += e * e;
        }
        double pen = 0;
        for (float x : s.embedding()) {
            pen += x * x;
        }
        for (float x : s.products()) {
            pen += x * x;
        }
        return j + m.lambda() * pen;
    }

    private static NnmfModel copy(NnmfModel m, NnmfConfig c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            m.writeParameters(out);
        }
        return NnmfModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), c);
    }

    /** Save and load give identical predictions, for linear and deep networks, with and without products and genres. */
    @ParameterizedTest
    @ValueSource(strings = {"hidden=", "hidden=6,4", "products=0", "side=item", "average=0.5", "reg_net=0.01"})
    void saveLoadPredictsIdentically(String setting) throws IOException {
        TrainingData d = NnmfGradientTest.tinyData(new SplittableRandom(4), 9, 7, 30);
        NnmfConfig c = NnmfGradientTest.config("rank=2", "products=3", "hidden=5", "epochs=5", setting);
        NnmfModel m = fit(c, d, 3, 2);
        NnmfModel back = copy(m, c);
        for (int u = -1; u <= 9; u++) {
            double[] a = new double[7];
            double[] b = new double[7];
            m.scoreAll(m.user(u), a);
            back.scoreAll(back.user(u), b);
            assertArrayEquals(a, b);
            for (int i = -1; i <= 7; i++) {
                assertEquals(m.predict(u, i), back.predict(u, i));
            }
        }
        NnmfConfig other = NnmfGradientTest.config("rank=3", "products=3", "hidden=5", "epochs=5", setting);
        assertThrows(IOException.class, () -> copy(m, other));
    }

    /** The same seed gives the same model for any thread count. */
    @Test
    void sameModelForAnyThreadCount() {
        NnmfConfig c = NnmfGradientTest.config("rank=3", "products=6", "hidden=8,8", "epochs=4", "batch_size=100");
        TrainingData d = train(PLANTED.train());
        NnmfModel one = fit(c, d, 9, 1);
        NnmfModel two = fit(c, d, 9, 2);
        for (int u = 0; u < 120; u += 11) {
            for (int i = 0; i < 80; i += 3) {
                assertEquals(one.predict(u, i), two.predict(u, i));
            }
        }
    }

    /**
     * {@code decay} scales the step size of epoch e by decay^(e - 1): the first epoch is the same
     * for any decay, and with a decay of 1e-6 the later epochs barely move the model, while with
     * no decay they do.
     */
    @Test
    void decayScalesTheStepSizeOfLaterEpochs() {
        TrainingData d = train(PLANTED.train());
        String[] base = {"rank=3", "products=6", "hidden=8", "batch_size=100"};
        NnmfModel one = fit(config(base, "epochs=1", "decay=1"), d, 5, 1);
        NnmfModel oneDecayed = fit(config(base, "epochs=1", "decay=0.5"), d, 5, 1);
        NnmfModel threeFrozen = fit(config(base, "epochs=3", "decay=1e-6"), d, 5, 1);
        NnmfModel three = fit(config(base, "epochs=3", "decay=1"), d, 5, 1);
        double frozen = 0;
        double moved = 0;
        for (int u = 0; u < 120; u += 7) {
            for (int i = 0; i < 80; i += 3) {
                assertEquals(one.predict(u, i), oneDecayed.predict(u, i));
                frozen = Math.max(frozen, Math.abs(threeFrozen.predict(u, i) - one.predict(u, i)));
                moved = Math.max(moved, Math.abs(three.predict(u, i) - one.predict(u, i)));
            }
        }
        assertTrue(frozen < 1e-4, "epochs 2-3 at step 1e-9 moved a prediction by " + frozen);
        assertTrue(moved > 1e-2, "epochs 2-3 at full step moved predictions by only " + moved);
    }

    /**
     * {@code restart} (the loop's plateau schedule) puts an earlier snapshot's parameters back and
     * scales later steps: restarting from a copy of the current state with factor 1 changes
     * nothing (the next epoch is bit for bit the uninterrupted run's); from epoch 1's copy after
     * three epochs it predicts as epoch 1 did; with a factor of 1e-6 the next epoch barely moves it.
     */
    @Test
    void restartPutsAnEarlierEpochBackAndScalesTheStep() throws IOException {
        TrainingData d = train(PLANTED.train());
        NnmfConfig c = NnmfGradientTest.config("rank=3", "products=6", "hidden=8", "batch_size=100", "epochs=5");
        try (Parallel pool = new Parallel(1)) {
            NnmfTrainer.Run plain = new NnmfTrainer(c).start(d, 5, pool);
            NnmfTrainer.Run restarted = new NnmfTrainer(c).start(d, 5, pool);
            plain.epoch(1, EpochReport.builder(1));
            restarted.epoch(1, EpochReport.builder(1));
            NnmfModel first = copy(restarted.snapshot(), c);
            restarted.restart(copy(restarted.snapshot(), c), 1);
            plain.epoch(2, EpochReport.builder(2));
            restarted.epoch(2, EpochReport.builder(2));
            assertSamePredictions(plain.snapshot(), restarted.snapshot(), 0);
            restarted.epoch(3, EpochReport.builder(3));
            restarted.restart(first, 1e-6);
            assertSamePredictions(first, restarted.snapshot(), 0);
            restarted.epoch(4, EpochReport.builder(4));
            assertSamePredictions(first, restarted.snapshot(), 1e-4);
            NnmfConfig wider = NnmfGradientTest.config("rank=3", "products=6", "hidden=9", "batch_size=100");
            NnmfModel other = new NnmfTrainer(wider).start(d, 5, pool).snapshot();
            assertThrows(IllegalArgumentException.class, () -> plain.restart(other, 0.5));
        }
    }

    /**
     * {@code average=a}: training is unchanged (the iterates are those of the run without), and
     * the model (snapshot, hence probes, selection and the result) is the exponential moving
     * average of the iterates. With full batches there is one step per epoch, of weight a^(n/n) = a,
     * so the average is {@code avg = a avg + (1 - a) x_e} over the epochs' iterates, from the
     * initial parameters; a restart starts it again at the restored model.
     */
    @Test
    void averageIsTheMovingAverageOfTheIterates() throws IOException {
        TrainingData d = train(PLANTED.train());
        String[] base = {"rank=3", "products=4", "hidden=6", "batch_size=0", "learning_rate=0.01"};
        double a = 0.6;
        NnmfConfig c = config(base, "average=" + a);
        try (Parallel pool = new Parallel(1)) {
            NnmfTrainer.Run plain = new NnmfTrainer(config(base)).start(d, 5, pool);
            NnmfTrainer.Run avg = new NnmfTrainer(c).start(d, 5, pool);
            double[][] ref = iterates(avg);
            for (int e = 1; e <= 6; e++) {
                plain.epoch(e, EpochReport.builder(e));
                avg.epoch(e, EpochReport.builder(e));
                double[][] x = iterates(avg);
                assertArrayEquals(x, iterates(plain), "average= changed the iterates at epoch " + e);
                for (int p = 0; p < ref.length; p++) {
                    for (int j = 0; j < ref[p].length; j++) {
                        ref[p][j] = a * ref[p][j] + (1 - a) * x[p][j];
                    }
                }
                double[][] got = parameters(avg.snapshot(), avg);
                for (int p = 0; p < ref.length; p++) {
                    for (int j = 0; j < ref[p].length; j++) {
                        assertEquals(ref[p][j], got[p][j], 1e-5 * (1 + Math.abs(ref[p][j])), "epoch " + e);
                    }
                }
            }
            NnmfModel at6 = copy(avg.snapshot(), c);
            avg.epoch(7, EpochReport.builder(7));
            avg.restart(copy(at6, c), 1);
            assertSamePredictions(at6, avg.snapshot(), 0);
            assertArrayEquals(parameters(at6, avg), iterates(avg), "a restart puts the averaged model back");
        }
    }

    /** The running parameters of {@code run}: embeddings, then each layer's weights and bias. */
    private static double[][] iterates(NnmfTrainer.Run run) {
        List<org.varec.nn.ParamArray> all = new ArrayList<>(run.embeddings());
        all.addAll(run.network().params());
        double[][] x = new double[all.size()][];
        for (int p = 0; p < x.length; p++) {
            float[] v = all.get(p).value();
            x[p] = new double[v.length];
            for (int j = 0; j < v.length; j++) {
                x[p][j] = v[j];
            }
        }
        return x;
    }

    /** {@code m}'s parameters in the layout of {@link #iterates} (shapes from {@code run}). */
    private static double[][] parameters(NnmfModel m, NnmfTrainer.Run run) {
        List<org.varec.nn.ParamArray> e = run.embeddings();
        int layers = run.network().numLayers();
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = new float[run.network().layer(l).weights().size()];
            b[l] = new float[run.network().layer(l).bias().size()];
        }
        float[][] emb = new float[4][];
        for (int p = 0; p < 4; p++) {
            emb[p] = new float[e.get(p).size()];
        }
        m.copyParametersInto(emb[0], emb[1], emb[2], emb[3], w, b);
        double[][] x = new double[4 + 2 * layers][];
        for (int p = 0; p < x.length; p++) {
            float[] v = p < 4 ? emb[p] : (p - 4) % 2 == 0 ? w[(p - 4) / 2] : b[(p - 4) / 2];
            x[p] = new double[v.length];
            for (int j = 0; j < v.length; j++) {
                x[p][j] = v[j];
            }
        }
        return x;
    }

    private static void assertSamePredictions(NnmfModel a, NnmfModel b, double tolerance) {
        for (int u = 0; u < 120; u += 7) {
            for (int i = 0; i < 80; i += 3) {
                assertEquals(a.predict(u, i), b.predict(u, i), tolerance);
            }
        }
    }

    private static NnmfConfig config(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return NnmfGradientTest.config(all);
    }

    @Test
    void itemSideNeedsGenres() {
        NnmfConfig c = NnmfGradientTest.config("side=item", "epochs=1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(c, train(PLANTED.train()), 1, 1));
        assertTrue(e.getMessage().contains("'genre'"), e.getMessage());
    }

    @Test
    void hiddenIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> NnmfGradientTest.config("hidden=50,x"));
        assertThrows(IllegalArgumentException.class, () -> NnmfGradientTest.config("hidden=0"));
        assertArrayEquals(new int[0], NnmfGradientTest.config("hidden=").hiddenSizes());
        assertArrayEquals(new int[] {50, 50, 50}, NnmfConfig.defaults().hiddenSizes());
    }
}
