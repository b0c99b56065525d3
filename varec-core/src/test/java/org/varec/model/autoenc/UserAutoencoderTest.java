package org.varec.model.autoenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.model.Params;
import org.varec.model.ParamSpec;
import org.varec.model.Predictive;
import org.varec.model.RatingModel;
import org.varec.model.UserState;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;
import org.varec.testing.PlantedFactors;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

/**
 * dae-cf and mult-vae: the batch gradient (dropout mask and eps fixed, KL with beta, penalty;
 * gaussian and multinomial likelihoods, with and without hidden layers) against finite differences
 * of a double-precision reference of L_B; planted recovery; fold-in is the encoding, bit for bit;
 * one and two threads give the same model; the VAE's predictive variance.
 */
class UserAutoencoderTest {
    static UserAutoencoderTrainer.Spec spec(boolean vae, String... set) {
        return vae ? ParamSpec.of(MultVaeConfig.class).parse(Params.parse(List.of(set)), false).spec()
                : ParamSpec.of(DaeCfConfig.class).parse(Params.parse(List.of(set)), false).spec();
    }

    private static double act(boolean tanh, double x) {
        return tanh ? Math.tanh(x) : x;
    }

    /** {@code x W + b} then tanh (or identity), in double, for one row. */
    private static double[] dense(double[] x, double[] w, double[] b, boolean tanh) {
        int in = x.length;
        int out = b.length;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b[o];
            for (int i = 0; i < in; i++) {
                s += x[i] * w[i * out + o];
            }
            y[o] = act(tanh, s);
        }
        return y;
    }

    /**
     * L_B in double: params in the network's order (first layer, encoder layers, decoder layers,
     * output), the batch's input values {@code x} (normalised, dropped out) and ratings, eps.
     */
    static double reference(UserAutoencoderTrainer.Spec sp, double[][] p, Autoencoders.Batch b, float[] x,
                            float[] eps, double beta, int items, double[] itemWeight, double share) {
        int k = sp.rank();
        int f = sp.first();
        int q = 0;
        double[] inW = p[q++];
        double[] inB = p[q++];
        int[] es = sp.encoderSizes();
        int encLayers = es == null ? 0 : es.length - 1;
        int decLayers = encLayers;
        double[][] encW = new double[encLayers][];
        double[][] encB = new double[encLayers][];
        for (int l = 0; l < encLayers; l++) {
            encW[l] = p[q++];
            encB[l] = p[q++];
        }
        double[][] decW = new double[decLayers][];
        double[][] decB = new double[decLayers][];
        for (int l = 0; l < decLayers; l++) {
            decW[l] = p[q++];
            decB[l] = p[q++];
        }
        double[] outW = p[q++];
        double[] outB = p[q];
        int lw = sp.last();
        double loss = 0;
        int[] count = new int[items];
        for (int r = 0; r < b.size; r++) {
            double[] a = new double[f];
            for (int o = 0; o < f; o++) {
                double s = inB[o];
                for (int e = b.offsets[r]; e < b.offsets[r + 1]; e++) {
                    s += x[e] * inW[b.indices[e] * f + o];
                }
                a[o] = act(sp.firstActivation() == org.varec.nn.Activation.TANH, s);
            }
            double[] e = a;
            for (int l = 0; l < encLayers; l++) {
                e = dense(e, encW[l], encB[l], l < encLayers - 1 || !sp.variational());
            }
            double[] z = new double[k];
            for (int j = 0; j < k; j++) {
                if (sp.variational()) {
                    double mu = e[j];
                    double lv = e[k + j];
                    z[j] = mu + Math.exp(0.5 * lv) * eps[r * k + j];
                    loss += beta * 0.5 * (Math.exp(lv) + mu * mu - 1 - lv);
                } else {
                    z[j] = e[j];
                }
            }
            double[] d = z;
            for (int l = 0; l < decLayers; l++) {
                d = dense(d, decW[l], decB[l], true);
            }
            double[] logit = new double[items];
            for (int i = 0; i < items; i++) {
                double s = outB[i];
                for (int h = 0; h < lw; h++) {
                    s += d[h] * outW[i * lw + h];
                }
                logit[i] = s;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logit) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logit) {
                sum += Math.exp(v - max);
            }
            double lse = max + Math.log(sum);
            for (int e2 = b.offsets[r]; e2 < b.offsets[r + 1]; e2++) {
                int i = b.indices[e2];
                count[i]++;
                if (sp.likelihood() == Likelihood.GAUSSIAN) {
                    double res = logit[i] - b.values[e2];
                    loss += res * res;
                } else {
                    loss += lse - logit[i];
                }
            }
        }
        double lambda = sp.lambda();
        for (double[] w : new double[][] {inW, outW}) {
            int cols = w == inW ? f : lw;
            for (int i = 0; i < items; i++) {
                double sq = 0;
                for (int h = 0; h < cols; h++) {
                    sq += w[i * cols + h] * w[i * cols + h];
                }
                loss += lambda * count[i] * itemWeight[i] * sq;
            }
        }
        for (double[][] ws : new double[][][] {encW, decW}) {
            for (double[] w : ws) {
                double sq = 0;
                for (double v : w) {
                    sq += v * v;
                }
                loss += lambda * share * sq;
            }
        }
        return loss;
    }

    static TrainingData data(Interactions r) {
        return new TrainingData(RatingMatrix.of(r), org.varec.data.RatingScale.UNBOUNDED, null, null);
    }

    @ParameterizedTest
    @CsvSource({"false,gaussian,4", "false,gaussian,", "false,multinomial,4", "true,gaussian,4", "true,gaussian,",
            "true,multinomial,4,3", "true,multinomial,"})
    void batchGradientMatchesFiniteDifferences(boolean vae, String likelihood, String hidden) {
        PlantedFactors pf = PlantedFactors.generate(3, 10, 8, 2, 1.0, 0.6, 0.3);
        TrainingData d = data(pf.train());
        UserAutoencoderTrainer.Spec sp = spec(vae, "rank=3", "hidden=" + (hidden == null ? "" : hidden),
                "likelihood=" + likelihood, "dropout=0.3", "lambda=0.4", "batch_size=4");
        try (Parallel pool = new Parallel(2)) {
            UserAutoencoderTrainer.Run run = new UserAutoencoderTrainer(sp).start(d, 5, pool);
            UserAutoencoderTrainer.Network net = run.network();
            RatingMatrix m = d.ratings();
            int items = m.numItems();
            double[] itemWeight = new double[items];
            for (int i = 0; i < items; i++) {
                itemWeight[i] = m.itemCount(i) == 0 ? 0 : 1.0 / m.itemCount(i);
            }
            Rng rng = new Rng(8);
            for (ParamArray p : net.params) {
                for (int e = 0; e < p.size(); e++) {
                    p.value()[e] += (float) (0.2 * rng.nextGaussian());
                }
            }
            int[] rows = {2, 0, 5, 3};
            Autoencoders.Batch b = new Autoencoders.Batch(4);
            b.gather(rows, 0, 4, m.userOffsets(), m.userItems(), m.userValues());
            double beta = 0.7;
            int active = 0;
            for (int u = 0; u < m.numUsers(); u++) {
                active += m.userCount(u) > 0 ? 1 : 0;
            }
            double share = 4.0 / active;
            double loss = run.gradients(b, new Rng(11), beta);
            float[] x = run.pass().x.clone();
            float[] eps = run.pass().eps.clone();
            double[][] at = new double[net.params.size()][];
            for (int q = 0; q < at.length; q++) {
                at[q] = AutoRecTest.widen(net.params.get(q).value());
            }
            double expected = reference(sp, at, b, x, eps, beta, items, itemWeight, share);
            assertEquals(expected, loss, 1e-4 * (1 + Math.abs(expected)));
            for (int q = 0; q < at.length; q++) {
                final int which = q;
                double[] num = AutoRecTest.numeric(at[q], v -> {
                    double[][] a = at.clone();
                    a[which] = v;
                    return reference(sp, a, b, x, eps, beta, items, itemWeight, share);
                });
                AutoRecTest.assertGradient(net.params.get(q).name(), net.params.get(q).grad(), num);
            }
        }
    }

    /** RMSE of predicting each test rating by its item's training mean. */
    private static double itemMeans(Interactions train, Interactions test) {
        RatingMatrix m = RatingMatrix.of(train);
        double s = 0;
        for (int k = 0; k < test.size(); k++) {
            int i = test.items()[k];
            double mean = 0;
            for (int p = m.itemOffsets()[i]; p < m.itemOffsets()[i + 1]; p++) {
                mean += m.itemValues()[p];
            }
            mean = m.itemCount(i) == 0 ? m.mean() : mean / m.itemCount(i);
            double e = mean - test.values()[k];
            s += e * e;
        }
        return Math.sqrt(s / test.size());
    }

    /** On planted rank-2 ratings both models beat the item means on held-out ratings. */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void recoversPlantedInteractions(boolean vae) {
        PlantedFactors p = PlantedFactors.generate(21, 150, 60, 2, 1.0, 0.5, 0.3);
        UserAutoencoderTrainer.Spec sp = spec(vae, "rank=8", "hidden=32", "epochs=150", "batch_size=16",
                "learning_rate=0.003", "dropout=0.2", "lambda=0.1");
        RatingModel m = new UserAutoencoderTrainer(sp).fit(data(p.train()), TrainingContext.of(4, 2));
        double floor = itemMeans(p.train(), p.test());
        double r = AutoRecTest.rmse(m, p.test());
        assertTrue(r < 0.9 * floor, sp.name() + " held-out RMSE " + r + " vs item means " + floor);
    }

    /** A trained user's own ratings fold in to their own encoding, bit for bit. */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void foldInIsTheEncoding(boolean vae) {
        PlantedFactors p = PlantedFactors.generate(6, 30, 25, 2, 1.0, 0.5, 0.3);
        TrainingData d = data(p.train());
        UserAutoencoderModel m = new UserAutoencoderTrainer(spec(vae, "rank=3", "hidden=8", "epochs=3"))
                .fit(d, TrainingContext.of(1, 2));
        RatingMatrix r = d.ratings();
        for (int u = 0; u < 30; u++) {
            int[] items = java.util.Arrays.copyOfRange(r.userItems(), r.userOffsets()[u], r.userOffsets()[u + 1]);
            float[] vals = java.util.Arrays.copyOfRange(r.userValues(), r.userOffsets()[u], r.userOffsets()[u + 1]);
            UserState s = m.foldIn(items, vals);
            double[] all = new double[25];
            m.scoreAll(s, all);
            for (int i = 0; i < 25; i++) {
                assertEquals(m.predict(u, i), m.predict(s, i), 0.0);
                assertEquals(m.predict(u, i), all[i], 0.0);
            }
            if (vae) {
                MultVaeModel v = (MultVaeModel) m;
                assertEquals(v.predictive(u, 4), v.predictive(s, 4));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"false,gaussian", "true,gaussian", "true,multinomial"})
    void oneAndTwoThreadsGiveTheSameModel(boolean vae, String likelihood) {
        PlantedFactors p = PlantedFactors.generate(8, 40, 30, 2, 1.0, 0.4, 0.3);
        UserAutoencoderTrainer t = new UserAutoencoderTrainer(spec(vae, "rank=3", "hidden=70", "epochs=3",
                "batch_size=7", "lambda=0.1", "likelihood=" + likelihood));
        RatingModel one = t.fit(data(p.train()), TrainingContext.of(3, 1));
        RatingModel two = t.fit(data(p.train()), TrainingContext.of(3, 2));
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 30; i++) {
                assertEquals(one.predict(u, i), two.predict(u, i), 0.0);
            }
        }
    }

    /** The VAE's predictive: the mean is the prediction; the variance at least the noise, more where the latent matters. */
    @Test
    void vaePredictiveIsThePredictionWithLatentAndNoiseVariance() {
        PlantedFactors p = PlantedFactors.generate(9, 40, 30, 2, 1.0, 0.5, 0.3);
        MultVaeModel m = (MultVaeModel) new UserAutoencoderTrainer(spec(true, "rank=3", "hidden=8", "epochs=20",
                "beta_max=1", "anneal_steps=1")).fit(data(p.train()), TrainingContext.of(2, 1));
        double noise = m.noiseVariance();
        assertTrue(noise > 0 && noise < 5, "noise " + noise);
        boolean wider = false;
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 30; i++) {
                Predictive q = m.predictive(u, i);
                assertEquals(m.predict(u, i), q.mean(), 0.0);
                assertTrue(q.variance() >= noise);
                wider |= q.variance() > noise * 1.0001;
            }
        }
        assertTrue(wider, "the latent posterior adds no spread");
    }
}
