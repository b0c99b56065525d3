package org.varec.elicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutput;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;

/** Each strategy picks what it defines on hand-built posteriors (so a selection cannot silently be random). */
class StrategyTest {
    /**
     * A hand-built "model": item i has probability p[i] and variance v[i] before any answer. Answering
     * item {@code informative} sets every other item's probability to 0.02 or 0.98 (its answer decides
     * them all) and their variance to 0.01; other answers change nothing.
     */
    static final class Planted implements ProbabilisticModel {
        final double[] p;
        final double[] v;
        final int informative;

        Planted(double[] p, double[] v, int informative) {
            this.p = p;
            this.v = v;
            this.informative = informative;
        }

        record State(int[] items, float[] values) implements UserState {
            @Override
            public int user() {
                return -1;
            }
        }

        @Override
        public Predictive predictive(UserState user, int item) {
            State s = (State) user;
            for (int k = 0; k < s.items.length; k++) {
                if (s.items[k] == informative && item != informative) {
                    return new Predictive(s.values[k] == 1 ? 0.98 : 0.02, 0.01);
                }
            }
            return new Predictive(p[item], v[item]);
        }

        @Override
        public Predictive predictive(int user, int item) {
            return new Predictive(p[item], v[item]);
        }

        @Override
        public String algorithm() {
            return "planted";
        }

        @Override
        public int numUsers() {
            return 0;
        }

        @Override
        public int numItems() {
            return p.length;
        }

        @Override
        public double predict(int user, int item) {
            return p[item];
        }

        @Override
        public UserState user(int user) {
            return new State(new int[0], new float[0]);
        }

        @Override
        public UserState foldIn(int[] items, float[] ratings) {
            return new State(items.clone(), ratings.clone());
        }

        @Override
        public double predict(UserState user, int item) {
            return predictive(user, item).mean();
        }

        @Override
        public void writeParameters(DataOutput out) {
        }
    }

    //                              0     1     2     3     4     5     6     7
    static final double[] P = {0.10, 0.45, 0.90, 0.52, 0.30, 0.70, 0.05, 0.60};
    static final double[] V = {0.50, 0.20, 3.00, 0.10, 2.00, 0.40, 0.30, 1.00};
    static final double[] POP = {5, 1, 2, 9, 0, 7, 3, 4};

    static ElicitationSession session(Strategy s, int[] candidates, int[] targets, long seed) {
        return new ElicitationSession(new Beliefs(new Planted(P, V, 6), true), candidates, targets, s, POP, seed);
    }

    static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7};

    @Test
    void meanAsksTheProbabilitiesClosestToOneHalf() {
        assertArrayEquals(new int[] {3, 1, 7}, session(Strategy.MEAN, ALL, ALL, 1).next(3));
    }

    @Test
    void varianceAsksTheLargestVariances() {
        assertArrayEquals(new int[] {2, 4, 7}, session(Strategy.VARIANCE, ALL, ALL, 1).next(3));
    }

    @Test
    void popularAsksTheMostPopular() {
        assertArrayEquals(new int[] {3, 5, 0}, session(Strategy.POPULAR, ALL, ALL, 1).next(3));
    }

    @Test
    void entropyAsksTheItemWhoseAnswerDecidesTheTargets() {
        // item 6 has a low variance and a probability far from 1/2, yet its answer settles every target
        int[] targets = {0, 1, 2, 3};
        int[] pool = {4, 5, 6, 7};
        ElicitationSession s = session(Strategy.ENTROPY, pool, targets, 1);
        assertEquals(6, s.next(1)[0]);
        double[] scores = s.scores(pool);
        assertTrue(scores[2] > 0.5, "expected entropy reduction of item 6: " + scores[2]);
        assertEquals(0, scores[0], 1e-12); // an uninformative answer reduces nothing
        assertEquals(0, scores[1], 1e-12);
        // the others by variance or mean would have been 4 (variance) and 7 (mean)
        assertEquals(4, session(Strategy.VARIANCE, pool, targets, 1).next(1)[0]);
        assertEquals(7, session(Strategy.MEAN, pool, targets, 1).next(1)[0]);
    }

    @Test
    void randomIsSeededAndCoversThePool() {
        assertArrayEquals(session(Strategy.RANDOM, ALL, ALL, 7).next(4), session(Strategy.RANDOM, ALL, ALL, 7).next(4));
        int[] counts = new int[8];
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 400; seed++) {
            int[] pick = session(Strategy.RANDOM, ALL, ALL, seed).next(2);
            distinct.add(Arrays.toString(pick));
            for (int i : pick) {
                counts[i]++;
            }
        }
        for (int c : counts) {
            assertTrue(c > 60 && c < 140, "each item about 100 times in 400 draws of 2 of 8: " + Arrays.toString(counts));
        }
        assertTrue(distinct.size() > 40);
    }

    @Test
    void answeredAndSkippedItemsAreNeverAskedAgain() {
        ElicitationSession s = session(Strategy.VARIANCE, ALL, ALL, 1);
        s.answer(new int[] {2, 4}, new float[] {1, 0});
        s.skip(7);
        assertArrayEquals(new int[] {0, 5, 6, 1, 3}, s.next(8));
        assertEquals(5, s.remaining());
        assertArrayEquals(new int[] {2, 4}, s.askedItems());
        assertThrows(IllegalArgumentException.class, () -> s.answer(2, 1f));
        assertFalse(s.askable(7));
    }

    @Test
    void onlyCandidatesAreAsked() {
        int[] pool = {1, 3, 5};
        ElicitationSession s = session(Strategy.VARIANCE, pool, ALL, 1);
        assertArrayEquals(new int[] {5, 1, 3}, s.next(10));
        assertThrows(IllegalArgumentException.class, () -> s.answer(2, 1f));
    }

    @Test
    void answersUpdateThePosterior() {
        ElicitationSession s = session(Strategy.MEAN, ALL, ALL, 1);
        assertEquals(0.45, s.belief(1).mean(), 0);
        s.answer(6, 1f);
        assertEquals(0.98, s.belief(1).mean(), 0);
        assertNotEquals(0.98, s.belief(6).mean());
    }

    @Test
    void parsing() {
        assertEquals(java.util.List.of(Strategy.RANDOM, Strategy.ENTROPY), Strategy.parseList("random, entropy"));
        assertThrows(IllegalArgumentException.class, () -> Strategy.parseList("random,random"));
        assertThrows(IllegalArgumentException.class, () -> Strategy.parse("greedy"));
    }

    @Test
    void studentIntervals() {
        Interval i = Interval.of(new double[] {1, 2, 3});
        assertEquals(2, i.mean(), 1e-12);
        assertEquals(2 - 4.303 / Math.sqrt(3), i.lo(), 1e-9);
        assertEquals(1.96, Interval.t975(100000), 1e-3);
        assertEquals(2.0423, Interval.t975(30), 1e-3);
        assertEquals(2.0395, Interval.t975(31), 2e-3);
    }
}
