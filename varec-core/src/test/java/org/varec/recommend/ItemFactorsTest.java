package org.varec.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataOutput;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.model.FactorModel;
import org.varec.model.UserState;

class ItemFactorsTest {
    /** Five items in 2-D, one user, item biases; r = mu + b_i + u.v. */
    record Fixed(float[] itemFactors, float[] itemBiases, float[] user) implements FactorModel {
        record State(int user) implements UserState {
        }

        public int rank() {
            return 2;
        }

        public float[] userFactors() {
            return user;
        }

        public double globalMean() {
            return 3;
        }

        public float[] userVector(UserState u) {
            return user.clone();
        }

        public String algorithm() {
            return "fixed";
        }

        public int numUsers() {
            return 1;
        }

        public int numItems() {
            return itemBiases.length;
        }

        public double predict(int u, int i) {
            return predict(new State(u), i);
        }

        public UserState user(int u) {
            return new State(u);
        }

        public UserState foldIn(int[] items, float[] ratings) {
            return new State(-1);
        }

        public double predict(UserState u, int i) {
            return 3 + itemBiases[i] + user[0] * itemFactors[2 * i] + user[1] * itemFactors[2 * i + 1];
        }

        public void writeParameters(DataOutput out) {
        }
    }

    private static final Fixed MODEL = new Fixed(
            new float[] {3, 4, /* */ 1, 0, /* */ 0, 0.5f, /* */ -2, 0, /* */ 0.6f, 0.8f},
            new float[] {0, 1, 0.5f, -1, 2},
            new float[] {1, 0});

    @Test
    void polarizingRanksByNormAmongItemsWithEnoughRatings() {
        int[] counts = {100, 100, 100, 100, 10};
        List<Recommendation> most = ItemFactors.polarizing(MODEL, counts, 50, 3, true);
        assertEquals(List.of(0, 3, 1), most.stream().map(Recommendation::item).toList());
        assertEquals(5.0, most.get(0).score(), 1e-6);
        List<Recommendation> least = ItemFactors.polarizing(MODEL, counts, 50, 10, false);
        // item 4 (norm 1) has too few ratings; only eligible items are listed
        assertEquals(List.of(2, 1, 3, 0), least.stream().map(Recommendation::item).toList());
        assertEquals(0.5, least.get(0).score(), 1e-6);
    }

    @Test
    void similarItemsByCosine() {
        List<Recommendation> sim = ItemFactors.similar(MODEL, 0, 4);
        // item 4 is parallel to item 0 (cosine 1), item 3 opposite-ish
        assertEquals(4, sim.get(0).item());
        assertEquals(1.0, sim.get(0).score(), 1e-6);
        assertEquals(3, sim.get(sim.size() - 1).item());
        assertThrows(IllegalArgumentException.class, () -> ItemFactors.similar(MODEL, 9, 3));
    }

    @Test
    void rankingScoreWeighsItemBiasByAlpha() {
        double[] s = new double[5];
        RankingScore.scoreAll(MODEL, MODEL.user(0), 0.02, s);
        assertEquals(3.0, s[0], 1e-9);
        assertEquals(1.02, s[1], 1e-6);
        assertEquals(-2.02, s[3], 1e-6);
        // alpha = 1 ranks exactly like the predicted rating
        RankingScore.scoreAll(MODEL, MODEL.user(0), 1, s);
        for (int i = 0; i < 5; i++) {
            assertEquals(MODEL.predict(0, i) - 3, s[i], 1e-6);
        }
        List<Recommendation> top = TopN.recommend(MODEL, MODEL.user(0), 2, new int[] {0}, 0.02);
        assertEquals(List.of(1, 4), top.stream().map(Recommendation::item).toList());
        assertThrows(IllegalArgumentException.class, () -> RankingScore.scoreAll(MODEL, MODEL.user(0), -1, s));
    }
}
