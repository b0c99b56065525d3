package org.varec.model.nnmf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.data.FeatureTable;
import org.varec.data.Interactions;
import org.varec.data.Networks;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.ParamSpec;
import org.varec.model.Predictive;
import org.varec.metrics.ClassificationMetrics;
import org.varec.model.UserState;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;
import org.varec.testing.PlantedFactors;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

class BnnmfTest {
    static BnnmfConfig config(String... sets) {
        return ParamSpec.of(BnnmfConfig.class).parse(Params.parse(List.of(sets)), false);
    }

    /** Planted ratings with item genres (item i has genre i % 3 and, for even i, genre 3). */
    static TrainingData planted(long seed, int users, int items, double density) {
        PlantedFactors p = PlantedFactors.generate(seed, users, items, 2, 1.0, density, 0.3);
        FeatureTable.Builder b = new FeatureTable.Builder(items);
        for (int i = 0; i < items; i++) {
            b.add(i, "genre", "G" + (i % 3));
            if (i % 2 == 0) {
                b.add(i, "genre", "even");
            }
        }
        return new TrainingData(RatingMatrix.of(p.train()), RatingScale.UNBOUNDED, b.build(), null);
    }

    /**
     * A planted network of {@code n} vertices: vertex i has a position z_i ~ N(0, I_2) and a
     * sociability a_i ~ N(0, 0.5^2), and i, j are linked with probability
     * {@code sigmoid(-2.5 + a_i + a_j + 2 z_i . z_j)}. All unordered pairs i < j with their 0/1
     * value; every {@code testEvery}-th pair (0: none) goes to {@code test[0]} (and its true link
     * probability to {@code truth[0]}, when given), the others to the returned training data,
     * mirrored as the experiment runner does (both orientations).
     */
    static TrainingData plantedNetwork(long seed, int n, int testEvery, Interactions[] test) {
        return plantedNetwork(seed, n, testEvery, test, null);
    }

    static TrainingData plantedNetwork(long seed, int n, int testEvery, Interactions[] test, double[][] truth) {
        Rng rng = Rng.stream(seed, 1);
        double[] z = new double[2 * n];
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            z[2 * i] = rng.nextGaussian();
            z[2 * i + 1] = rng.nextGaussian();
            a[i] = 0.5 * rng.nextGaussian();
        }
        List<int[]> train = new ArrayList<>();
        List<int[]> held = new ArrayList<>();
        List<Double> heldProbability = new ArrayList<>();
        int pair = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double logit = -2.5 + a[i] + a[j] + 2 * (z[2 * i] * z[2 * j] + z[2 * i + 1] * z[2 * j + 1]);
                double prob = 1 / (1 + Math.exp(-logit));
                int link = rng.nextDouble() < prob ? 1 : 0;
                if (testEvery > 0 && pair++ % testEvery == 0) {
                    held.add(new int[] {i, j, link});
                    heldProbability.add(prob);
                } else {
                    train.add(new int[] {i, j, link});
                }
            }
        }
        if (test != null) {
            test[0] = pairs(n, held);
        }
        if (truth != null) {
            truth[0] = heldProbability.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new TrainingData(RatingMatrix.of(Networks.mirror(pairs(n, train))), new RatingScale(0, 1), null, null);
    }

    private static Interactions pairs(int n, List<int[]> list) {
        int[] us = new int[list.size()];
        int[] is = new int[list.size()];
        float[] vs = new float[list.size()];
        for (int k = 0; k < list.size(); k++) {
            us[k] = list.get(k)[0];
            is[k] = list.get(k)[1];
            vs[k] = list.get(k)[2];
        }
        return new Interactions(n, n, us, is, vs, true);
    }

    /**
     * The gradient each step uses against central finite differences of its objective, with the
     * noise of the step fixed: the network step w.r.t. every mean and rho of theta and log sigma^2,
     * the embedding step w.r.t. every mean and rho of U, V, U', V' (full batch and a minibatch),
     * also with the linear skip head and with several draws per step (mc_samples: the mean of the
     * draws' data terms).
     */
    @ParameterizedTest
    @CsvSource({"'',none,0,false,1,weights", "'4,3',none,0,false,1,weights", "'3',item,0,false,1,weights",
            "'4,3',item,7,false,1,weights", "'4,3',none,0,true,1,weights", "'3',item,7,true,1,weights",
            "'4,3',item,7,false,3,weights", "'',none,0,false,2,weights", "'4,3',item,7,false,1,local",
            "'',none,0,false,2,local", "'5',none,0,false,1,local"})
    void stepGradientsMatchFiniteDifferences(String hidden, String side, int batch, boolean skip, int draws,
                                             String noise) {
        BnnmfConfig c = config("rank=2", "products=3", "product_rank=2", "hidden=" + hidden, "side=" + side,
                "init_stdev=0.5", "init_posterior_sd=0.3", "batch_size=" + batch, "skip=" + skip,
                "mc_samples=" + draws, "reparameterisation=" + noise);
        TrainingData data = planted(3, 6, 5, 0.6);
        try (Parallel pool = new Parallel(2)) {
            BnnmfTrainer.Run run = new BnnmfTrainer(c).start(data, 5, pool);
            // move q off its symmetric start, with unit-scale gradients
            run.epoch(1, org.varec.train.EpochReport.builder(1));
            int size = batch == 0 ? run.size() : batch;
            run.loadBatch(0, size);
            check(run.networkArrays(), () -> run.networkPass(11, size)[2]);
            check(run.embeddingArrays(), () -> run.embeddingPass(12, size, true));
        }
    }

    /**
     * The same check for the network variants: the Bernoulli likelihood on the logit
     * ({@code task=classification}) and shared embeddings (one table per role: a vertex's rows get
     * the gradients of both sides), on a planted network, full batch and minibatches.
     */
    @ParameterizedTest
    @CsvSource({"'',classification,true,0,1,weights", "'4,3',classification,true,9,1,weights",
            "'',classification,false,7,1,weights", "'3',regression,true,0,1,weights", "'',regression,true,11,1,weights",
            "'4,3',classification,true,9,2,weights", "'4,3',classification,true,9,1,local"})
    void networkStepGradientsMatchFiniteDifferences(String hidden, String task, boolean shared, int batch, int draws,
                                                    String noise) {
        BnnmfConfig c = config("rank=2", "products=3", "product_rank=2", "hidden=" + hidden, "task=" + task,
                "shared_embeddings=" + shared, "init_stdev=0.5", "init_posterior_sd=0.3", "batch_size=" + batch,
                "mc_samples=" + draws, "reparameterisation=" + noise);
        TrainingData data = plantedNetwork(4, 7, 0, null);
        try (Parallel pool = new Parallel(2)) {
            BnnmfTrainer.Run run = new BnnmfTrainer(c).start(data, 5, pool);
            run.epoch(1, org.varec.train.EpochReport.builder(1));
            int size = batch == 0 ? run.size() : batch;
            run.loadBatch(0, size);
            check(run.networkArrays(), () -> run.networkPass(11, size)[2]);
            check(run.embeddingArrays(), () -> run.embeddingPass(12, size, true));
        }
    }

    private static void check(List<ParamArray> arrays, java.util.function.DoubleSupplier objective) {
        for (ParamArray a : arrays) {
            a.zeroGrad();
        }
        objective.getAsDouble();
        List<float[]> analytic = new ArrayList<>();
        for (ParamArray a : arrays) {
            analytic.add(a.grad().clone());
        }
        double h = 1e-2;
        int checked = 0;
        for (int k = 0; k < arrays.size(); k++) {
            ParamArray a = arrays.get(k);
            float[] x = a.value();
            for (int e = 0; e < x.length; e++) {
                float x0 = x[e];
                x[e] = (float) (x0 + h);
                double hi = objective.getAsDouble();
                x[e] = (float) (x0 - h);
                double lo = objective.getAsDouble();
                x[e] = x0;
                double fd = (hi - lo) / ((double) (float) (x0 + h) - (float) (x0 - h));
                double an = analytic.get(k)[e];
                assertEquals(fd, an, 2e-2 * Math.max(1, Math.abs(fd)), a.name() + "[" + e + "]");
                checked++;
            }
        }
        for (ParamArray a : arrays) {
            a.zeroGrad();
        }
        assertTrue(checked > 10);
    }

    private static BnnmfModel fit(BnnmfConfig c, TrainingData data, int threads) {
        return new BnnmfTrainer(c).fit(data, TrainingContext.of(17, threads));
    }

    private static double rmse(BnnmfModel m, Interactions test) {
        double s = 0;
        for (int k = 0; k < test.size(); k++) {
            double e = m.predict(test.users()[k], test.items()[k]) - test.values()[k];
            s += e * e;
        }
        return Math.sqrt(s / test.size());
    }

    /** RMSE of the best bias-only predictor mu + b_u + b_i, fitted to the test ratings themselves (a floor for bias models). */
    private static double biasOracle(PlantedFactors p, Interactions test) {
        double s = 0;
        for (int k = 0; k < test.size(); k++) {
            double e = p.mu() + p.userBias()[test.users()[k]] + p.itemBias()[test.items()[k]] - test.values()[k];
            s += e * e;
        }
        return Math.sqrt(s / test.size());
    }

    /**
     * On planted rank-2 ratings (interaction sd 1, noise 0.3), both the linear model and a network
     * recover the interaction: held-out RMSE far below that of the true biases alone, and the
     * learned noise sd near the planted 0.3; 90% intervals cover about 90% of held-out ratings.
     * Also with the local reparameterisation (noise per rating instead of one weight draw).
     */
    @ParameterizedTest
    @CsvSource({"'',weights", "16,weights", "16,local"})
    void recoversPlantedInteractions(String hidden, String noise) {
        PlantedFactors p = PlantedFactors.generate(21, 80, 60, 2, 1.0, 0.5, 0.3);
        TrainingData data = new TrainingData(RatingMatrix.of(p.train()), RatingScale.UNBOUNDED, null, null);
        BnnmfConfig c = config("rank=3", "products=6", "hidden=" + hidden, "epochs=400", "kl_warmup=50",
                "reparameterisation=" + noise);
        BnnmfModel m = fit(c, data, 2);
        double floor = biasOracle(p, p.test());
        double r = rmse(m, p.test());
        assertTrue(r < 0.6 * floor, "held-out RMSE " + r + " vs biases alone " + floor);
        assertTrue(Math.sqrt(m.noiseVariance()) < 0.5, "noise sd " + Math.sqrt(m.noiseVariance()));
        int covered = 0;
        for (int k = 0; k < p.test().size(); k++) {
            Predictive q = m.predictive(p.test().users()[k], p.test().items()[k]);
            covered += Math.abs(p.test().values()[k] - q.mean()) <= 1.6449 * q.sd() ? 1 : 0;
        }
        double coverage = (double) covered / p.test().size();
        assertTrue(coverage > 0.8 && coverage < 0.98, "90% interval coverage " + coverage);
    }

    /**
     * weight_prior_var holds every weight matrix's prior variance at the given value (instead of
     * learning it), which pulls the weights' means toward 0: their mean square ends below the
     * learned-prior model's; biases keep learned priors.
     */
    @Test
    void fixedWeightPriorShrinksTheNetwork() {
        PlantedFactors p = PlantedFactors.generate(23, 60, 40, 2, 1.0, 0.5, 0.3);
        TrainingData data = new TrainingData(RatingMatrix.of(p.train()), RatingScale.UNBOUNDED, null, null);
        BnnmfModel learned = fit(config("rank=3", "products=4", "hidden=8", "epochs=150", "kl_warmup=20"), data, 1);
        BnnmfModel fixed = fit(config("rank=3", "products=4", "hidden=8", "epochs=150", "kl_warmup=20",
                "weight_prior_var=0.001"), data, 1);
        double msLearned = 0;
        double msFixed = 0;
        for (int l = 0; l < learned.networkSizes().length - 1; l++) {
            assertEquals(0.001, fixed.weightPosterior(l).priorVariance(), 1e-12, "layer " + l);
            assertTrue(learned.weightPosterior(l).priorVariance() != 0.001);
            msLearned += meanSquare(learned.weightPosterior(l).mean().value());
            msFixed += meanSquare(fixed.weightPosterior(l).mean().value());
        }
        assertTrue(msFixed < 0.5 * msLearned, "mean square of weights: fixed prior " + msFixed + ", learned " + msLearned);
        assertTrue(Double.isFinite(rmse(fixed, p.test())));
    }

    /**
     * pretrain=P: the first P epochs are the hidden= run of the same seed with epochs=P, bit for bit
     * (its embeddings and its linear layer), while the hidden network keeps its initial weights;
     * then the network trains for {@code epochs} more from those embeddings (P + epochs planned)
     * and recovers the planted interaction.
     */
    @Test
    void pretrainingIsTheLinearModelThenTheNetworkTakesOver() {
        PlantedFactors p = PlantedFactors.generate(24, 60, 40, 2, 1.0, 0.5, 0.3);
        TrainingData data = new TrainingData(RatingMatrix.of(p.train()), RatingScale.UNBOUNDED, null, null);
        BnnmfConfig pre = config("rank=3", "products=4", "hidden=8", "pretrain=60", "epochs=200", "kl_warmup=20",
                "batch_size=300");
        BnnmfConfig linear = config("rank=3", "products=4", "hidden=", "epochs=60", "kl_warmup=20", "batch_size=300");
        try (Parallel pool = new Parallel(2)) {
            BnnmfTrainer.Run a = new BnnmfTrainer(pre).start(data, 17, pool);
            BnnmfTrainer.Run b = new BnnmfTrainer(linear).start(data, 17, pool);
            assertEquals(260, a.plannedEpochs());
            float[] hidden0 = a.snapshot().weightPosterior(0).mean().value().clone();
            for (int e = 1; e <= 60; e++) {
                a.epoch(e, EpochReport.builder(e));
                b.epoch(e, EpochReport.builder(e));
            }
            List<ParamArray> ea = a.embeddingArrays();
            List<ParamArray> eb = b.embeddingArrays();
            for (int i = 0; i < ea.size(); i++) {
                assertArrayEquals(eb.get(i).value(), ea.get(i).value(), ea.get(i).name());
            }
            List<ParamArray> na = a.networkArrays();
            List<ParamArray> nb = b.networkArrays();
            assertEquals(nb.size(), na.size());
            for (int i = 0; i < na.size(); i++) {
                assertArrayEquals(nb.get(i).value(), na.get(i).value(), na.get(i).name());
            }
            assertArrayEquals(hidden0, a.snapshot().weightPosterior(0).mean().value(), "hidden network untouched");
            double linearRmse = rmse(b.snapshot(), p.test());
            for (int e = 61; e <= 260; e++) {
                a.epoch(e, EpochReport.builder(e));
            }
            BnnmfModel m = a.snapshot();
            assertEquals(3, m.networkSizes().length); // [width, 8, 1]
            double r = rmse(m, p.test());
            double floor = biasOracle(p, p.test());
            assertTrue(r < 0.6 * floor, "held-out RMSE " + r + " vs biases alone " + floor + " (pretrained VI(0): "
                    + linearRmse + ")");
        }
    }

    /** pretrain needs hidden layers (hidden= is the linear model itself); files without it read as 0. */
    @Test
    void pretrainIsValidatedAndAbsentFromOldFilesMeansNone() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config("hidden=", "pretrain=5"));
        assertTrue(e.getMessage().contains("pretrain=5") && e.getMessage().contains("hidden"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> config("pretrain=-1"));
        assertEquals(0, ParamSpec.of(BnnmfConfig.class).parse(Params.parse(List.of("rank=2")), true).pretrain());
    }

    /**
     * average_from=A: training is the unaveraged run's, bit for bit (it never reads the averages);
     * the model is the average of q over the steps of epochs A.. (full batch: one step an epoch),
     * checked on the means and sigmas of U, V', every layer's weights and on sigma^2 against the
     * iterates of the unaveraged run recorded here. Validated against the network's epochs; absent
     * from old files means off.
     */
    @Test
    void averagingFromAnEpochPredictsWithTheAverageOfTheIterates() {
        TrainingData data = planted(8, 30, 20, 0.5);
        String[] base = {"rank=2", "products=3", "hidden=4", "epochs=12", "kl_warmup=3"};
        try (Parallel pool = new Parallel(2)) {
            BnnmfTrainer.Run a = new BnnmfTrainer(config(base)).start(data, 17, pool);
            BnnmfTrainer.Run b = new BnnmfTrainer(config(concat(base, "average_from=9"))).start(data, 17, pool);
            List<org.varec.nn.GaussianArray> qa = a.snapshot().posteriors();
            List<double[]> means = new ArrayList<>();
            List<double[]> vars = new ArrayList<>();
            for (org.varec.nn.GaussianArray q : qa) {
                means.add(new double[q.size()]);
                vars.add(new double[q.size()]);
            }
            double noise = 0;
            for (int e = 1; e <= 12; e++) {
                a.epoch(e, EpochReport.builder(e));
                b.epoch(e, EpochReport.builder(e));
                if (e >= 9) {
                    for (int k = 0; k < qa.size(); k++) {
                        for (int i = 0; i < qa.get(k).size(); i++) {
                            means.get(k)[i] += qa.get(k).mean().value()[i] / 4.0;
                            vars.get(k)[i] += qa.get(k).sigma(i) * qa.get(k).sigma(i) / 4.0;
                        }
                    }
                    noise += a.snapshot().noiseVariance() / 4.0;
                }
            }
            List<ParamArray> ea = a.embeddingArrays();
            List<ParamArray> eb = b.embeddingArrays();
            for (int i = 0; i < ea.size(); i++) {
                assertArrayEquals(ea.get(i).value(), eb.get(i).value(), "training unchanged: " + ea.get(i).name());
            }
            BnnmfModel avg = b.snapshot();
            List<org.varec.nn.GaussianArray> qb = avg.posteriors();
            assertEquals(qa.size(), qb.size());
            for (int k = 0; k < qa.size(); k++) {
                org.varec.nn.GaussianArray q = qb.get(k);
                assertTrue(q != qa.get(k), "a copy");
                for (int i = 0; i < q.size(); i++) {
                    double v = vars.get(k)[i];
                    assertEquals(means.get(k)[i], q.mean().value()[i], 1e-6, q.name() + " mean " + i);
                    assertEquals(Math.sqrt(v), q.sigma(i), 1e-5 * Math.sqrt(v), q.name() + " sigma " + i);
                }
            }
            assertEquals(noise, avg.noiseVariance(), 1e-9 * noise);
            assertTrue(avg.predict(0, 0) != a.snapshot().predict(0, 0), "the averaged model is not the last iterate");
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config("hidden=4", "pretrain=5", "epochs=10", "average_from=5"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config("hidden=4", "epochs=10", "average_from=11"));
        assertEquals(0, ParamSpec.of(BnnmfConfig.class).parse(Params.parse(List.of("rank=2")), true).averageFrom());
    }

    /**
     * skip=true: the network's output layer starts at 0 and the linear head carries the offset, so
     * the initial output (on the means) is the head's linear model; after {@code startSkipFrom} the
     * output equals that of the pretrained linear network, bit for bit. A skip head without hidden
     * layers is refused.
     */
    @Test
    void skipHeadStartsTheNetworkAtTheLinearModel() {
        int width = 7;
        BnnmfNetwork linear = new BnnmfNetwork(BnnmfNetwork.sizes(width, new int[0]));
        BnnmfNetwork net = new BnnmfNetwork(BnnmfNetwork.sizes(width, new int[] {5, 4}), true);
        Rng rng = Rng.stream(3, 1);
        linear.init(rng, 0.01, 3.5);
        net.init(rng, 0.01, 3.5);
        assertEquals(4, net.numLayers());
        assertTrue(net.isSkip(3) && !net.isSkip(2));
        float[] x = new float[6 * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] before = meanForward(net, x, 6).clone();
        LinearHead head = new LinearHead(net.layer(3).weight().mean().value(), net.layer(3).bias().mean().value()[0]);
        for (int r = 0; r < 6; r++) {
            assertEquals(head.at(x, r, width), before[r], 1e-5, "row " + r + ": the network adds 0 at the start");
        }
        for (int i = 0; i < width; i++) {
            linear.layer(0).weight().mean().value()[i] = (float) rng.nextGaussian();
        }
        linear.layer(0).weight().setPriorVariance(0.25);
        net.startSkipFrom(linear);
        assertArrayEquals(meanForward(linear, x, 6), meanForward(net, x, 6));
        assertEquals(0.25, net.layer(3).weight().priorVariance(), 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config("hidden=", "skip=true"));
    }

    private record LinearHead(float[] w, float b) {
        double at(float[] x, int r, int width) {
            double s = b;
            for (int i = 0; i < width; i++) {
                s += (double) x[r * width + i] * w[i];
            }
            return s;
        }
    }

    /** The network's output on its means (the static pass the model uses on a draw). */
    private static float[] meanForward(BnnmfNetwork n, float[] x, int batch) {
        float[][] w = new float[n.numLayers()][];
        float[][] b = new float[n.numLayers()][];
        for (int l = 0; l < w.length; l++) {
            w[l] = n.layer(l).weight().mean().value();
            b[l] = n.layer(l).bias().mean().value();
        }
        int[] sizes = n.sizes();
        return BnnmfNetwork.forward(sizes, w, b, x, batch, new BnnmfNetwork.Buffers(sizes), Parallel.SERIAL).clone();
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static double meanSquare(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return s / a.length;
    }

    /** The same seed gives the same model for 1 and 2 threads (fixed blocks, noise keyed by row), either noise. */
    @ParameterizedTest
    @ValueSource(strings = {"weights", "local"})
    void sameModelForAnyThreadCount(String noise) {
        TrainingData data = planted(5, 30, 20, 0.4);
        BnnmfConfig c = config("rank=3", "products=5", "hidden=6,4", "side=item", "epochs=20", "batch_size=50",
                "reparameterisation=" + noise);
        BnnmfModel one = fit(c, data, 1);
        BnnmfModel two = fit(c, data, 2);
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 20; i++) {
                assertEquals(one.predictive(u, i), two.predictive(u, i));
            }
        }
    }

    /**
     * A trained user folded in from its own training ratings, everything else fixed, gets nearly
     * the trained user's predictions; scoreAll and the per-item predictions agree.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "16"})
    void foldInOfATrainedUserReproducesItsPredictions(String hidden) {
        PlantedFactors p = PlantedFactors.generate(22, 80, 60, 2, 1.0, 0.5, 0.3);
        RatingMatrix train = RatingMatrix.of(p.train());
        TrainingData data = new TrainingData(train, RatingScale.UNBOUNDED, null, null);
        BnnmfModel m = fit(config("rank=3", "products=6", "hidden=" + hidden, "epochs=400", "kl_warmup=50"), data, 2);
        double worst = 0;
        for (int u = 0; u < 5; u++) {
            int from = train.userOffsets()[u];
            int to = train.userOffsets()[u + 1];
            int[] items = java.util.Arrays.copyOfRange(train.userItems(), from, to);
            float[] ratings = java.util.Arrays.copyOfRange(train.userValues(), from, to);
            UserState s = m.foldIn(items, ratings);
            double[] scores = new double[60];
            m.scoreAll(s, scores);
            double sq = 0;
            double spread = 0;
            double mean = 0;
            for (int i = 0; i < 60; i++) {
                mean += m.predict(u, i) / 60;
            }
            for (int i = 0; i < 60; i++) {
                double folded = m.predict(s, i);
                assertEquals(folded, scores[i], 1e-5);
                sq += (folded - m.predict(u, i)) * (folded - m.predict(u, i));
                spread += (m.predict(u, i) - mean) * (m.predict(u, i) - mean);
            }
            worst = Math.max(worst, Math.sqrt(sq / spread));
        }
        assertTrue(worst < 0.25, "fold-in differs from the trained user by " + worst + " of the spread");
    }

    /**
     * Written and read back, the model predicts and folds in identically (also one trained with
     * pretraining: the file holds the hidden network); a mismatching config is refused.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pretrain=0", "pretrain=10", "average_from=20", "skip=true", "pretrain=10 skip=true"})
    void saveAndLoadPredictIdentically(String pretrain) throws IOException {
        TrainingData data = planted(6, 25, 18, 0.5);
        BnnmfConfig c = config(concat(new String[] {"rank=2", "products=4", "hidden=5", "side=item", "epochs=30",
                "fold_in_steps=20"}, pretrain.split(" ")));
        BnnmfModel m = fit(c, data, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeParameters(new DataOutputStream(bytes));
        BnnmfModel back = BnnmfModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), c);
        for (int u = -1; u < 26; u++) {
            for (int i = -1; i < 19; i++) {
                assertEquals(m.predictive(u, i), back.predictive(u, i));
            }
        }
        UserState a = m.foldIn(new int[] {1, 2, 40}, new float[] {5, 1, 3});
        UserState b = back.foldIn(new int[] {1, 2, 40}, new float[] {5, 1, 3});
        for (int i = 0; i < 18; i++) {
            assertEquals(m.predictive(a, i), back.predictive(b, i));
        }
        BnnmfConfig other = config("rank=2", "products=4", "hidden=6", "side=item", "epochs=30");
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> BnnmfModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), other));
    }

    /**
     * The linear model (VI(0)) predicts the exact moments of f under q (BnnmfModel's class doc):
     * they agree with the Monte Carlo predictive over 20,000 draws within its error, for trained,
     * unknown and folded-in users, known and unknown items, with genres; the Monte Carlo error of
     * 30 draws is gone. Networks and the Bernoulli model stay Monte Carlo.
     */
    @Test
    void linearModelPredictsTheExactMomentsOfQ() {
        TrainingData data = planted(6, 25, 18, 0.5);
        String[] base = {"rank=2", "products=4", "hidden=", "side=item", "epochs=40", "fold_in_steps=20"};
        BnnmfModel exact = fit(config(base), data, 1);
        BnnmfModel sampled = fit(config(concat(base, "predict_samples=20000")), data, 1); // same q: same seed
        assertTrue(exact.exactPredictive());
        UserState folded = exact.foldIn(new int[] {1, 2, 4}, new float[] {5, 1, 3});
        UserState foldedToo = sampled.foldIn(new int[] {1, 2, 4}, new float[] {5, 1, 3});
        double noise = exact.noiseVariance();
        double[] scores = new double[18];
        for (int u = -1; u < 26; u += 3) {
            exact.scoreAll(exact.user(u), scores);
            for (int i = -1; i < 19; i += 2) {
                Predictive e = exact.predictive(u, i);
                Predictive mc = sampled.sampledPredictive(sampled.user(u), i);
                double fVar = e.variance() - noise;
                assertTrue(fVar > 0, "Var f " + fVar);
                assertEquals(e.mean(), mc.mean(), 4 * Math.sqrt(fVar / 20000) + 1e-6, "mean " + u + ", " + i);
                assertEquals(fVar, mc.variance() - noise, 0.08 * fVar + 1e-6, "Var f " + u + ", " + i);
                if (i >= 0 && i < 18) {
                    assertEquals(e.mean(), scores[i], 1e-12);
                }
            }
        }
        for (int i = 0; i < 18; i++) {
            Predictive e = exact.predictive(folded, i);
            Predictive mc = sampled.sampledPredictive(foldedToo, i);
            assertEquals(e.mean(), mc.mean(), 4 * Math.sqrt((e.variance() - noise) / 20000) + 1e-6, "folded " + i);
        }
        assertFalse(fit(config("rank=2", "products=4", "hidden=3", "epochs=2"), data, 1).exactPredictive());
        assertFalse(fit(config("rank=2", "products=4", "hidden=", "task=classification", "epochs=2"),
                plantedNetwork(1, 20, 0, null), 1).exactPredictive());
    }

    /**
     * mc_samples=1 is the default run bit for bit (its draw is draw 0 of each step); more draws
     * average out part of the gradient noise: on planted data the run with 4 draws ends at least
     * as close to the truth (held-out RMSE within 2% or better).
     */
    @Test
    void severalDrawsPerStepAverageTheGradient() {
        PlantedFactors p = PlantedFactors.generate(24, 60, 40, 2, 1.0, 0.5, 0.3);
        TrainingData data = new TrainingData(RatingMatrix.of(p.train()), RatingScale.UNBOUNDED, null, null);
        String[] base = {"rank=3", "products=4", "hidden=6", "epochs=120", "kl_warmup=20", "batch_size=200"};
        BnnmfModel one = fit(config(base), data, 1);
        BnnmfModel explicitOne = fit(config(concat(base, "mc_samples=1")), data, 2);
        assertArrayEquals(predictions(one, p.test()), predictions(explicitOne, p.test()));
        BnnmfModel four = fit(config(concat(base, "mc_samples=4")), data, 1);
        double r1 = rmse(one, p.test());
        double r4 = rmse(four, p.test());
        assertTrue(r4 < 1.02 * r1, "4 draws " + r4 + " against 1 draw " + r1);
        assertFalse(java.util.Arrays.equals(predictions(one, p.test()), predictions(four, p.test())));
    }

    /** side=item without genres is an error naming the group; the registry knows the algorithm. */
    @Test
    void sideInformationNeedsGenres() {
        TrainingData data = new TrainingData(planted(7, 10, 8, 0.5).ratings(), RatingScale.UNBOUNDED, null, null);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> fit(config("side=item", "epochs=1"), data, 1));
        assertTrue(e.getMessage().contains("'genre'"), e.getMessage());
        IllegalArgumentException local = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config("hidden=3", "skip=true", "reparameterisation=local"));
        assertTrue(local.getMessage().contains("skip"), local.getMessage());
        assertEquals("bnnmf", Algorithms.get("bnnmf").name());
    }

    private static double[] predictions(BnnmfModel m, Interactions test) {
        double[] p = new double[test.size()];
        for (int k = 0; k < test.size(); k++) {
            p[k] = m.predict(test.users()[k], test.items()[k]);
        }
        return p;
    }

    /**
     * On a planted network (80 vertices), the Bernoulli model (shared embeddings or not) predicts
     * held-out links: probabilities in (0, 1) with variance p (1 - p), an AUC near that of the true
     * probabilities and a log-likelihood well above that of the base rate; no noise variance.
     */
    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void bernoulliModelPredictsHeldOutLinks(String shared) {
        Interactions[] test = new Interactions[1];
        double[][] truth = new double[1][];
        TrainingData data = plantedNetwork(8, 80, 5, test, truth);
        BnnmfModel m = fit(config("rank=3", "products=6", "hidden=", "task=classification",
                "shared_embeddings=" + shared, "epochs=300", "kl_warmup=50"), data, 2);
        assertTrue(m.classification());
        assertTrue(Double.isNaN(m.noiseVariance()));
        double[] p = predictions(m, test[0]);
        for (int k = 0; k < p.length; k++) {
            Predictive q = m.predictive(test[0].users()[k], test[0].items()[k]);
            assertTrue(q.mean() > 0 && q.mean() < 1, "probability " + q.mean());
            assertEquals(q.mean() * (1 - q.mean()), q.variance(), 1e-15);
        }
        double base = data.ratings().mean();
        double baseLoglik = ClassificationMetrics.logLikelihood(test[0].values(),
                java.util.Arrays.stream(p).map(x -> base).toArray(), 1e-9);
        double auc = ClassificationMetrics.auc(test[0].values(), p);
        double loglik = ClassificationMetrics.logLikelihood(test[0].values(), p, 1e-9);
        double oracleAuc = ClassificationMetrics.auc(test[0].values(), truth[0]);
        double oracleLoglik = ClassificationMetrics.logLikelihood(test[0].values(), truth[0], 1e-9);
        String msg = "held-out AUC " + auc + " (true probabilities " + oracleAuc + "), loglik " + loglik + " (true "
                + oracleLoglik + ", base rate " + baseLoglik + ")";
        assertTrue(auc > oracleAuc - 0.08, msg);
        assertTrue(loglik - baseLoglik > 0.5 * (oracleLoglik - baseLoglik), msg);
    }

    /** Classification with shared embeddings: the same model for 1 and 2 threads, minibatches and full batch. */
    @ParameterizedTest
    @ValueSource(ints = {0, 40})
    void networkModelIsTheSameForAnyThreadCount(int batch) {
        TrainingData data = plantedNetwork(9, 25, 0, null);
        BnnmfConfig c = config("rank=3", "products=5", "hidden=6", "task=classification", "shared_embeddings=true",
                "epochs=15", "batch_size=" + batch);
        BnnmfModel one = fit(c, data, 1);
        BnnmfModel two = fit(c, data, 2);
        for (int u = 0; u < 25; u++) {
            for (int i = 0; i < 25; i++) {
                assertEquals(one.predictive(u, i), two.predictive(u, i));
            }
        }
    }

    /**
     * A trained vertex folded in from its own training 0/1 values to the other vertices gets nearly
     * the trained vertex's link probabilities; scoreAll and predict agree.
     */
    @Test
    void foldInOfATrainedVertexReproducesItsLinkProbabilities() {
        TrainingData data = plantedNetwork(10, 60, 0, null);
        RatingMatrix train = data.ratings();
        BnnmfModel m = fit(config("rank=3", "products=6", "hidden=", "task=classification", "shared_embeddings=true",
                "epochs=300", "kl_warmup=50"), data, 2);
        double worst = 0;
        for (int u = 0; u < 5; u++) {
            int from = train.userOffsets()[u];
            int to = train.userOffsets()[u + 1];
            int[] items = java.util.Arrays.copyOfRange(train.userItems(), from, to);
            float[] values = java.util.Arrays.copyOfRange(train.userValues(), from, to);
            UserState s = m.foldIn(items, values);
            double[] scores = new double[60];
            m.scoreAll(s, scores);
            double sq = 0;
            double spread = 0;
            double mean = 0;
            for (int i = 0; i < 60; i++) {
                mean += m.predict(u, i) / 60;
            }
            for (int i = 0; i < 60; i++) {
                double folded = m.predict(s, i);
                assertEquals(folded, scores[i], 1e-6);
                assertTrue(folded > 0 && folded < 1);
                sq += (folded - m.predict(u, i)) * (folded - m.predict(u, i));
                spread += (m.predict(u, i) - mean) * (m.predict(u, i) - mean);
            }
            worst = Math.max(worst, Math.sqrt(sq / spread));
        }
        assertTrue(worst < 0.3, "fold-in differs from the trained vertex by " + worst + " of the spread");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> m.foldIn(new int[] {1}, new float[] {3}));
    }

    /** A Bernoulli model with shared embeddings is written and read back identically; the flags must match its config. */
    @Test
    void networkModelSavesAndLoadsIdentically() throws IOException {
        TrainingData data = plantedNetwork(11, 20, 0, null);
        BnnmfConfig c = config("rank=2", "products=3", "hidden=4", "task=classification", "shared_embeddings=true",
                "epochs=10", "fold_in_steps=20");
        BnnmfModel m = fit(c, data, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeParameters(new DataOutputStream(bytes));
        BnnmfModel back = BnnmfModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), c);
        for (int u = -1; u < 21; u++) {
            for (int i = -1; i < 21; i++) {
                assertEquals(m.predictive(u, i), back.predictive(u, i));
            }
        }
        UserState a = m.foldIn(new int[] {1, 2, 40}, new float[] {1, 0, 1});
        UserState b = back.foldIn(new int[] {1, 2, 40}, new float[] {1, 0, 1});
        for (int i = 0; i < 20; i++) {
            assertEquals(m.predictive(a, i), back.predictive(b, i));
        }
        for (String other : new String[] {"task=regression", "shared_embeddings=false"}) {
            BnnmfConfig o = config("rank=2", "products=3", "hidden=4", "task=classification", "shared_embeddings=true",
                    "epochs=10", "fold_in_steps=20", other);
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> BnnmfModel.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), o),
                    other);
        }
    }

    /** Shared embeddings need a square matrix; classification needs 0/1 targets: both errors name the problem. */
    @Test
    void networkSettingsAreValidated() {
        TrainingData ratings = planted(12, 10, 8, 0.5);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> fit(config("shared_embeddings=true", "epochs=1"), ratings, 1));
        assertTrue(e.getMessage().contains("shared_embeddings") && e.getMessage().contains("10 users and 8 items"),
                e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> fit(config("task=classification", "epochs=1"), ratings, 1));
        assertTrue(e.getMessage().contains("0/1"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config("task=bernoulli"));
        assertTrue(e.getMessage().contains("task"), e.getMessage());
    }
}
