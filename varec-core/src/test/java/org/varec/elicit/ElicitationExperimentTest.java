package org.varec.elicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;

class ElicitationExperimentTest {
    /** A planted 2-factor binary matrix: P(1) = sigmoid(3 u.v - 0.5), two clear taste groups. */
    static ElicitationData planted(int users, int items, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] u = new double[users][2];
        double[][] v = new double[items][2];
        for (double[] x : u) {
            int g = r.nextInt(2);
            x[0] = g == 0 ? 1 : -1;
            x[1] = r.nextGaussian() * 0.5;
        }
        for (double[] x : v) {
            x[0] = r.nextGaussian();
            x[1] = r.nextGaussian();
        }
        byte[] labels = new byte[users * items];
        for (int a = 0; a < users; a++) {
            for (int b = 0; b < items; b++) {
                double z = 3 * (u[a][0] * v[b][0] + u[a][1] * v[b][1]) - 0.5;
                labels[a * items + b] = (byte) (r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
            }
        }
        String[] us = new String[users];
        String[] is = new String[items];
        Arrays.setAll(us, k -> "u" + k);
        Arrays.setAll(is, k -> "i" + k);
        return new ElicitationData(us, is, new String[items], labels, users);
    }

    static AlgorithmConfig vfm() {
        return ElicitationExperiment.config(Algorithms.get("vfm"),
                Params.parse(List.of("rank=2", "epochs=150", "batch_size=100000", "learning_rate=0.1")));
    }

    @Test
    void splitsAreDisjointAndCoverEverything() {
        ElicitationConfig c = ElicitationConfig.paper(List.of(Strategy.RANDOM), 3, 5, 1);
        for (int rep = 0; rep < 3; rep++) {
            ElicitationExperiment.Split s = ElicitationExperiment.split(50, 40, c, rep);
            assertEquals(40, s.trainUsers().length);
            assertEquals(10, s.testUsers().length);
            assertEquals(20, s.pool().length);
            assertEquals(20, s.validation().length);
            Set<Integer> users = new HashSet<>();
            Arrays.stream(s.trainUsers()).forEach(users::add);
            Arrays.stream(s.testUsers()).forEach(users::add);
            assertEquals(50, users.size());
            Set<Integer> items = new HashSet<>();
            Arrays.stream(s.pool()).forEach(items::add);
            Arrays.stream(s.validation()).forEach(items::add);
            assertEquals(40, items.size());
        }
        assertTrue(!Arrays.equals(ElicitationExperiment.split(50, 40, c, 0).pool(),
                ElicitationExperiment.split(50, 40, c, 1).pool()));
    }

    @Test
    void askedItemsAreNeverScored() {
        // a model that records which items were scored for a user who has answered something
        ElicitationData d = planted(30, 20, 2);
        ElicitationConfig c = new ElicitationConfig(1, 3, 2, 0.8, 0.5, List.of(Strategy.VARIANCE), 9, 1);
        ElicitationExperiment.Split sp = ElicitationExperiment.split(30, 20, c, 0);
        Set<Integer> pool = new HashSet<>();
        Arrays.stream(sp.pool()).forEach(pool::add);
        Set<Integer> scoredAfterAnswers = new HashSet<>();
        Set<Integer> asked = new HashSet<>();
        StrategyTest.Planted inner = new StrategyTest.Planted(new double[20], new double[20], -1);
        Arrays.setAll(inner.p, i -> 0.1 + 0.04 * i);
        Arrays.setAll(inner.v, i -> 1 + i);
        ProbabilisticModel recording = new ProbabilisticModel() {
            @Override
            public Predictive predictive(UserState user, int item) {
                return inner.predictive(user, item);
            }

            @Override
            public Predictive predictive(int user, int item) {
                return inner.predictive(user, item);
            }

            @Override
            public String algorithm() {
                return "recording";
            }

            @Override
            public int numUsers() {
                return 0;
            }

            @Override
            public int numItems() {
                return 20;
            }

            @Override
            public double predict(int user, int item) {
                return inner.p[item];
            }

            @Override
            public UserState user(int user) {
                return inner.user(user);
            }

            @Override
            public UserState foldIn(int[] items, float[] ratings) {
                synchronized (asked) {
                    Arrays.stream(items).forEach(asked::add);
                }
                return inner.foldIn(items, ratings);
            }

            @Override
            public double predict(UserState user, int item) {
                return inner.predict(user, item);
            }

            @Override
            public void writeParameters(java.io.DataOutput out) {
            }
        };
        ElicitationExperiment.run(d, (train, seed) -> recording, true, c, null);
        assertEquals(3 * 2, asked.size()); // the 6 highest variances of the pool, for every test user
        assertTrue(pool.containsAll(asked));
        for (int v : sp.validation()) {
            assertTrue(!asked.contains(v));
        }
    }

    @Test
    void elicitationOnPlantedDataBeatsThePriorAndIsDeterministic() {
        ElicitationData d = planted(60, 40, 1);
        Algorithm<?, ?> a = Algorithms.get("vfm");
        AlgorithmConfig cfg = vfm();
        assertTrue(LiveElicitation.isClassification(cfg));
        ElicitationConfig c = new ElicitationConfig(2, 3, 4, 0.8, 0.5,
                List.of(Strategy.RANDOM, Strategy.MEAN, Strategy.VARIANCE, Strategy.POPULAR), 3, 2);
        ElicitationResult r = ElicitationExperiment.run(d, ElicitationExperiment.factory(a, cfg, 1), true, c, null);
        double prior = r.prior().get("auc").mean();
        for (var e : r.strategies().entrySet()) {
            List<ElicitationResult.Round> rounds = e.getValue();
            assertEquals(List.of(4, 8, 12), rounds.stream().map(ElicitationResult.Round::items).toList());
            double last = rounds.get(2).figures().get("auc").mean();
            assertTrue(last > prior + 0.1, e.getKey() + ": AUC " + last + " after 12 answers, prior " + prior);
            assertTrue(rounds.get(2).figures().get("variance").mean() < r.prior().get("variance").mean(),
                    e.getKey() + ": the validation items' variance drops");
            Interval i = rounds.get(0).figures().get("acc");
            assertTrue(i.lo() <= i.mean() && i.mean() <= i.hi());
            assertEquals(2, i.values().length);
        }
        // same seed, other thread count: the same figures
        ElicitationConfig c1 = new ElicitationConfig(2, 3, 4, 0.8, 0.5,
                List.of(Strategy.RANDOM, Strategy.MEAN, Strategy.VARIANCE, Strategy.POPULAR), 3, 1);
        ElicitationResult r1 = ElicitationExperiment.run(d, ElicitationExperiment.factory(a, cfg, 1), true, c1, null);
        for (Strategy s : r.strategies().keySet()) {
            for (int k = 0; k < 3; k++) {
                for (String m : ElicitationExperiment.METRICS) {
                    assertArrayEquals(r.strategies().get(s).get(k).figures().get(m).values(),
                            r1.strategies().get(s).get(k).figures().get(m).values(), s + " " + m);
                }
            }
        }
        Map<String, Object> json = r.toJson(Map.of("algorithm", "vfm"));
        @SuppressWarnings("unchecked")
        var mean = (List<Map<String, Object>>) ((Map<String, Object>) json.get("strategies")).get("mean");
        assertEquals(4, mean.get(0).get("items"));
        @SuppressWarnings("unchecked")
        var auc = (Map<String, Object>) mean.get(0).get("auc");
        assertEquals(List.of("mean", "ci95", "values"), List.copyOf(auc.keySet()));
        assertTrue(((Map<?, ?>) json.get("vs_random")).containsKey("variance"));
    }

    /** Fold-in of a trained user's own labels lands where the joint fit put that user (items frozen). */
    @Test
    void foldInOfAnswersMatchesTheTrainedUser() {
        ElicitationData d = planted(60, 40, 4);
        Interactions all = ElicitationExperiment.rows(d, java.util.stream.IntStream.range(0, 60).toArray());
        for (String algo : List.of("vfm", "vbmf")) {
            Algorithm<?, ?> a = Algorithms.get(algo);
            AlgorithmConfig cfg = algo.equals("vfm") ? vfm() : ElicitationExperiment.config(a, Params.parse(List.of()));
            ProbabilisticModel m = (ProbabilisticModel) a.fit(cfg, TrainingData.of(all, new RatingScale(0, 1)),
                    TrainingContext.of(1, 1)).model();
            double diff = 0;
            double spread = 0;
            int n = 0;
            for (int u = 0; u < 10; u++) {
                int[] items = java.util.stream.IntStream.range(0, 40).toArray();
                float[] labels = new float[40];
                for (int i = 0; i < 40; i++) {
                    labels[i] = d.label(u, i);
                }
                UserState f = m.foldIn(items, labels);
                for (int i = 0; i < 40; i++) {
                    double pt = m.predictive(u, i).mean();
                    diff += Math.abs(m.predictive(f, i).mean() - pt);
                    spread += Math.abs(pt - m.predictive(m.foldIn(new int[0], new float[0]), i).mean());
                    n++;
                }
            }
            diff /= n;
            spread /= n;
            System.out.printf("%s: fold-in vs trained user %.4f, prior vs trained user %.4f%n", algo, diff, spread);
            assertTrue(diff < 0.25 * spread, algo + ": fold-in " + diff + " from the trained user, prior " + spread);
        }
    }
}
