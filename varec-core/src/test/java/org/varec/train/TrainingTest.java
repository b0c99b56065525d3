package org.varec.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop itself, on a scripted trainer whose "model" is its epoch count and whose figure is scripted. */
class TrainingTest {
    /** Epoch e reports loss[e-1]; the snapshot is the epoch number (null while {@code silentUntil} lasts). */
    static final class Scripted implements EpochTrainer<Integer> {
        final double[] loss;
        final int silentUntil;
        final StopRule convergence;
        int epochs;

        Scripted(double[] loss, int silentUntil, StopRule convergence) {
            this.loss = loss;
            this.silentUntil = silentUntil;
            this.convergence = convergence;
        }

        @Override
        public int plannedEpochs() {
            return loss.length;
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            assertEquals(epochs + 1, epoch);
            epochs = epoch;
            figures.put("loss", loss[epoch - 1]);
        }

        @Override
        public Integer snapshot() {
            return epochs <= silentUntil ? null : epochs;
        }

        @Override
        public Integer result(int n) {
            return 1000 + n;
        }

        @Override
        public StopRule convergence() {
            return convergence;
        }
    }

    /** val_score = -|epoch - 4|: best at epoch 4. */
    private static final Probe<Integer> PEAK_AT_4 = (m, out) -> out.put("val_score", -Math.abs(m - 4));

    @Test
    void runsPlannedEpochsRecordsHistoryAndReturnsTheResult() {
        List<String> heard = new ArrayList<>();
        TrainingContext ctx = TrainingContext.of(1, 1).withListener(new TrainingListener() {
            @Override
            public void onStart(String algorithm, int planned) {
                heard.add("start " + algorithm + " " + planned);
            }

            @Override
            public void onEpoch(EpochReport r) {
                heard.add("epoch " + r.epoch());
            }

            @Override
            public void onEnd(int epochs, boolean early) {
                heard.add("end " + epochs + " " + early);
            }
        });
        TrainingResult<Integer> r = Training.run("x", new Scripted(new double[] {3, 2, 1}, 0, StopRule.NEVER), ctx,
                null, null);
        assertEquals(List.of("start x 3", "epoch 1", "epoch 2", "epoch 3", "end 3 false"), heard);
        assertEquals(1003, r.model());
        assertEquals(3, r.modelEpoch());
        assertEquals(List.of(3.0, 2.0, 1.0), r.history().stream().map(e -> e.figure("loss")).toList());
        assertFalse(r.stoppedEarly());
    }

    /** Issue 10: finite figures, NaN parameters (loss measured on a part the NaN does not reach). */
    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void nonFiniteParametersWithFiniteFiguresStopTraining() {
        EpochTrainer<org.varec.io.ModelIo.ParameterWriter> run = new EpochTrainer<>() {
            @Override
            public int plannedEpochs() {
                return 2;
            }

            @Override
            public void epoch(int epoch, EpochReport.Builder figures) {
                figures.put("loss", 1.0 / epoch);
            }

            @Override
            public org.varec.io.ModelIo.ParameterWriter snapshot() {
                return out -> org.varec.io.ModelIo.writeFloats(out, new float[] {1f, Float.NaN});
            }
        };
        var e = assertThrows(IllegalStateException.class, () -> Training.run("sgd", run, TrainingContext.of(1, 1),
                null, null));
        assertEquals("sgd diverged by epoch 2: parameter 1 of an array of 2 is NaN although its figures stayed finite; "
                + "try a smaller learning rate or stronger regularisation", e.getMessage());
    }

    @Test
    @org.junit.jupiter.api.Tag("reliability")
    void aNonFiniteFigureStopsTrainingWithAClearError() {
        var e = assertThrows(IllegalStateException.class, () -> Training.run("sgd",
                new Scripted(new double[] {3, Double.NaN, 1}, 0, StopRule.NEVER), TrainingContext.of(1, 1), null, null));
        assertEquals("sgd diverged at epoch 2: loss = NaN; try a smaller learning rate or stronger regularisation",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> Training.run("sgd",
                new Scripted(new double[] {Double.POSITIVE_INFINITY}, 0, StopRule.NEVER), TrainingContext.of(1, 1),
                null, null));
    }

    @Test
    void probesSnapshotsButNotBeforeThereIsOne() {
        TrainingResult<Integer> r = Training.run("x", new Scripted(new double[6], 2, StopRule.NEVER),
                TrainingContext.of(1, 1), PEAK_AT_4, null);
        assertTrue(Double.isNaN(r.history().get(1).figure("val_score")));
        assertEquals(-1.0, r.history().get(2).figure("val_score"));
        assertEquals(-2.0, r.history().get(5).figure("val_score"));
    }

    @Test
    void stopRuleOnAHigherIsBetterFigureAndRestoringTheBest() {
        Selection sel = new Selection("val_score", true, true);
        assertTrue(sel.higherIsBetter());
        TrainingContext ctx = TrainingContext.of(1, 1).withSelection(sel).withStopRule(StopRule.noImprovement(sel, 2, 0));
        TrainingResult<Integer> r = Training.run("x", new Scripted(new double[10], 0, StopRule.NEVER), ctx, PEAK_AT_4,
                m -> m + 0); // Integer snapshots are already independent
        assertEquals(6, r.epochs()); // best at 4, no improvement at 5 and 6
        assertTrue(r.stoppedEarly());
        assertEquals(4, r.model());
        assertEquals(4, r.modelEpoch());
        assertThrows(IllegalArgumentException.class, () -> Training.run("x",
                new Scripted(new double[3], 0, StopRule.NEVER), ctx, PEAK_AT_4, null));
    }

    /** Walks from 0 by its step each epoch; the loop may send it back with a smaller step. */
    static final class Walker implements EpochTrainer<Double> {
        double position;
        double step = 1;
        final List<Double> restartedFrom = new ArrayList<>();

        @Override
        public int plannedEpochs() {
            return 50;
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            position += step;
        }

        @Override
        public Double snapshot() {
            return position;
        }

        @Override
        public boolean canRestart() {
            return true;
        }

        @Override
        public void restart(Double from, double stepFactor) {
            restartedFrom.add(from);
            position = from;
            step *= stepFactor;
        }
    }

    /** val_score = -|position - 4.25|: best at 4.25, which steps of 1 overshoot. */
    private static final Probe<Double> PEAK_AT_4_25 = (m, out) -> out.put("val_score", -Math.abs(m - 4.25));

    /**
     * Steps of 1 reach 4 at epoch 4 and overshoot at 5; the plateau schedule (patience 1, factor
     * 0.5) sends the run back to 4 twice (4.5 only ties), then 4.25 is the best, and the stop rule
     * (patience 3 after it) ends the run while later drops find nothing better.
     */
    @Test
    void aPlateauSendsTheRunBackToItsBestEpochWithASmallerStep() {
        Selection sel = new Selection("val_score", true, true);
        TrainingContext ctx = TrainingContext.of(1, 1).withSelection(sel)
                .withStopRule(StopRule.noImprovement(sel, 3, 0)).withPlateau(new PlateauSchedule(1, 0.5));
        Walker w = new Walker();
        TrainingResult<Double> r = Training.run("x", w, ctx, PEAK_AT_4_25, m -> m + 0);
        assertEquals(List.of(4.0, 4.0, 4.25, 4.25), w.restartedFrom);
        assertEquals(10, r.epochs());
        assertTrue(r.stoppedEarly());
        assertEquals(4.25, r.model());
        assertEquals(7, r.modelEpoch());
        double[] scales = r.history().stream().mapToDouble(e -> e.figure("step_scale")).toArray();
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 0.5, 0.25, 0.25, 0.125, 0.0625}, scales);
    }

    @Test
    void aPlateauScheduleNeedsRestoringAndATrainerThatCanRestart() {
        Selection sel = new Selection("val_score", true, true);
        TrainingContext ctx = TrainingContext.of(1, 1).withSelection(sel).withPlateau(new PlateauSchedule(2, 0.5));
        var noRestart = assertThrows(IllegalArgumentException.class, () -> Training.run("x",
                new Scripted(new double[3], 0, StopRule.NEVER), ctx, PEAK_AT_4, m -> m + 0));
        assertTrue(noRestart.getMessage().contains("x cannot restart"), noRestart.getMessage());
        TrainingContext keepLast = ctx.withSelection(new Selection("val_score", true, false));
        var noRestore = assertThrows(IllegalArgumentException.class, () -> Training.run("x", new Walker(), keepLast,
                PEAK_AT_4_25, m -> m + 0));
        assertTrue(noRestore.getMessage().contains("--restore-best"), noRestore.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PlateauSchedule(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new PlateauSchedule(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PlateauSchedule(1, 0));
    }

    @Test
    void convergenceOfTheTrainerEndsTheRunWithoutCountingAsEarly() {
        TrainingResult<Integer> r = Training.run("x", new Scripted(new double[] {10, 5, 4.99, 4.98, 1}, 0,
                StopRule.relativeChange("loss", 0.01)), TrainingContext.of(1, 1), null, null);
        assertEquals(3, r.epochs());
        assertFalse(r.stoppedEarly());
        assertEquals(1003, r.model());
    }

    @Test
    void aStopRuleFiringAtTheLastPlannedEpochIsNotEarly() {
        TrainingResult<Integer> r = Training.run("x", new Scripted(new double[3], 0, StopRule.NEVER),
                TrainingContext.of(1, 1).withStopRule(h -> h.size() >= 3), null, null);
        assertEquals(3, r.epochs());
        assertFalse(r.stoppedEarly());
    }

    @Test
    void figureDirectionsFollowTheirNames() {
        for (String low : List.of("val_rmse", "val_mae", "val_nlpd", "loss", "train_rmse")) {
            assertFalse(Selection.higherIsBetter(low), low);
        }
        for (String high : List.of("val_ndcg@10", "val_recall@20", "val_auc", "elbo", "val_map", "val_acc")) {
            assertTrue(Selection.higherIsBetter(high), high);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Selection.higherIsBetter("alpha"));
        assertTrue(e.getMessage().contains("alpha"));
    }

    @Test
    void aValidationShareIsHeldOutOfTheTrainingRatingsFromTheSeed() {
        int nu = 50;
        int ni = 40;
        java.util.List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < nu; u++) {
            for (int i = (u % 3); i < ni; i += 3) {
                pairs.add(new int[] {u, i});
            }
        }
        int[] us = new int[pairs.size()];
        int[] is = new int[pairs.size()];
        float[] vs = new float[pairs.size()];
        for (int k = 0; k < us.length; k++) {
            us[k] = pairs.get(k)[0];
            is[k] = pairs.get(k)[1];
            vs[k] = 1 + (k % 5);
        }
        org.varec.data.RatingMatrix m = org.varec.data.RatingMatrix.of(
                new org.varec.data.Interactions(nu, ni, us, is, vs, true));
        Training.HeldOut h = Training.HeldOut.of(m, 0.1, 7);
        assertEquals(m.nnz(), h.train().size() + h.validation().size());
        assertTrue(Math.abs(h.validation().size() - 0.1 * m.nnz()) < 4 * Math.sqrt(0.09 * m.nnz()),
                "held out " + h.validation().size() + " of " + m.nnz());
        org.varec.data.RatingMatrix t = org.varec.data.RatingMatrix.of(h.train());
        for (int k = 0; k < h.validation().size(); k++) {
            assertFalse(t.contains(h.validation().users()[k], h.validation().items()[k]));
        }
        Training.HeldOut again = Training.HeldOut.of(m, 0.1, 7);
        assertTrue(java.util.Arrays.equals(h.validation().items(), again.validation().items()));
        assertFalse(java.util.Arrays.equals(h.validation().items(), Training.HeldOut.of(m, 0.1, 8).validation().items()));
    }

    /**
     * Issue 10: rank=1000 ran a minute a sweep with a still progress bar. The loop counts the rows
     * the trainer's pool solves and tells the listener within a long epoch: rows so far, and the
     * rows an epoch takes once one has run.
     */
    @org.junit.jupiter.api.Tag("reliability")
    @Test
    void aLongEpochReportsProgressWithinIt() {
        java.util.List<long[]> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        TrainingListener l = new TrainingListener() {
            @Override
            public void onEpochProgress(int epoch, long rows, long rowsPerEpoch) {
                calls.add(new long[] {epoch, rows, rowsPerEpoch});
            }
        };
        try (org.varec.util.Parallel pool = new org.varec.util.Parallel(2)) {
            EpochTrainer<Integer> slow = new EpochTrainer<>() {
                @Override
                public int plannedEpochs() {
                    return 2;
                }

                @Override
                public void epoch(int epoch, EpochReport.Builder figures) {
                    // 1,000 rows in 40 blocks of 25, 50 ms a block on 2 threads: about 1 s an epoch
                    pool.forBlocks(1000, 25, (b, from, to) -> {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    figures.put("loss", 1.0);
                }

                @Override
                public Integer snapshot() {
                    return 0;
                }
            };
            Training.run("slow", slow, TrainingContext.of(1, 2).withListener(l), null, null, pool);
        }
        assertTrue(calls.stream().anyMatch(c -> c[0] == 1 && c[1] > 0 && c[1] < 1000 && c[2] == 0), "first epoch ticks");
        assertTrue(calls.stream().anyMatch(c -> c[0] == 2 && c[1] > 0 && c[1] < 1000 && c[2] == 1000),
                "second epoch ticks with the rows of an epoch");
        assertTrue(calls.size() < 10, "throttled: " + calls.size());
    }
}
