package org.varec.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.varec.data.Interactions;
import org.varec.data.RatingMatrix;
import org.varec.model.RatingModel;
import org.varec.model.Trainer;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * The epoch loop, written once for every trainer. For each epoch up to the planned count it asks
 * the trainer for one epoch (timed), lets the probe measure a snapshot, records the report (the
 * only history), tells the listener, keeps the best model when selecting, and asks the stop rules
 * (the caller's, then the trainer's own convergence rule); with a {@link PlateauSchedule} it sends
 * the trainer back to the best epoch with a smaller step when the selection figure stalls.
 * Trainers never measure validation data, never time themselves and never keep a history.
 */
public final class Training {
    private Training() {
    }

    /**
     * Trains a rating model: opens the one thread pool of the run, starts the trainer on it, probes
     * {@code ctx}'s validation ratings (if any) with {@link ValidationProbe} and runs the loop.
     *
     * @param copy independent copies of snapshots, for {@link Selection#restoreBest()} (may be null)
     */
    public static <M extends RatingModel> TrainingResult<M> fit(Trainer<M> trainer, TrainingData data,
                                                               TrainingContext ctx, UnaryOperator<M> copy) {
        long t0 = System.nanoTime();
        Interactions validation = ctx.validation();
        if (validation == null && ctx.validationShare() > 0) {
            HeldOut h = HeldOut.of(data.ratings(), ctx.validationShare(), ctx.seed());
            data = new TrainingData(RatingMatrix.of(h.train()), data.scale(), data.itemFeatures(), data.userFeatures());
            validation = h.validation();
        }
        try (Parallel pool = new Parallel(ctx.threads())) {
            EpochTrainer<M> run = trainer.start(data, ctx.seed(), pool);
            Probe<RatingModel> probe = validation == null ? null
                    : new ValidationProbe(validation, data.scale(), data.ratings(), ctx.validationMetrics(),
                    ctx.threads());
            TrainingResult<M> r = run(trainer.name(), run, ctx, probe, copy, pool);
            // the whole fit, start (initialisation) included
            return new TrainingResult<>(r.model(), r.history(), r.stoppedEarly(), r.modelEpoch(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * A random share of a rating matrix held out: each rating independently with probability
     * {@code share}, from its own stream of the seed, in user order (so the split does not depend
     * on the thread count). Users and items keep their indices.
     */
    record HeldOut(Interactions train, Interactions validation) {
        static HeldOut of(RatingMatrix m, double share, long seed) {
            Rng rng = Rng.stream(seed, VALIDATION_SHARE_STREAM);
            int n = m.nnz();
            boolean[] held = new boolean[n];
            int count = 0;
            for (int p = 0; p < n; p++) {
                held[p] = rng.nextDouble() < share;
                count += held[p] ? 1 : 0;
            }
            int[] off = m.userOffsets();
            int[][] users = {new int[n - count], new int[count]};
            int[][] items = {new int[n - count], new int[count]};
            float[][] values = {new float[n - count], new float[count]};
            int[] k = new int[2];
            for (int u = 0; u < m.numUsers(); u++) {
                for (int p = off[u]; p < off[u + 1]; p++) {
                    int side = held[p] ? 1 : 0;
                    users[side][k[side]] = u;
                    items[side][k[side]] = m.userItems()[p];
                    values[side][k[side]++] = m.userValues()[p];
                }
            }
            return new HeldOut(new Interactions(m.numUsers(), m.numItems(), users[0], items[0], values[0], true),
                    new Interactions(m.numUsers(), m.numItems(), users[1], items[1], values[1], true));
        }
    }

    /** Stream id of the validation-share split (distinct from every trainer's streams of the seed). */
    private static final long VALIDATION_SHARE_STREAM = 0x7a11d;

    /**
     * Runs {@code run} to the end.
     *
     * @param algorithm  name announced to the listener
     * @param probe      measures snapshots (validation figures); {@link Probe#none()} for none
     * @param copy       makes an independent copy of a snapshot, for {@link Selection#restoreBest()}
     *                   (may be null when no selection restores)
     */
    public static <M> TrainingResult<M> run(String algorithm, EpochTrainer<M> run, TrainingContext ctx,
                                            Probe<? super M> probe, UnaryOperator<M> copy) {
        return run(algorithm, run, ctx, probe, copy, null);
    }

    /** Milliseconds into an epoch after which the listener hears of its progress (then as often). */
    public static final long PROGRESS_AFTER_MILLIS = 500;

    /**
     * {@link #run(String, EpochTrainer, TrainingContext, Probe, UnaryOperator)} telling the listener
     * the progress within long epochs from the rows {@code pool} (the trainer's; may be null) solves.
     */
    public static <M> TrainingResult<M> run(String algorithm, EpochTrainer<M> run, TrainingContext ctx,
                                            Probe<? super M> probe, UnaryOperator<M> copy, Parallel pool) {
        EpochProgress progress = pool == null ? null : new EpochProgress(ctx.listener());
        if (pool != null) {
            pool.onRowsDone(progress);
        }
        try {
            return loop(algorithm, run, ctx, probe, copy, progress);
        } finally {
            if (pool != null) {
                pool.onRowsDone(null);
            }
        }
    }

    /** Counts the rows a pool solves in the current epoch; tells the listener every {@link #PROGRESS_AFTER_MILLIS} ms. */
    static final class EpochProgress implements java.util.function.IntConsumer {
        private final TrainingListener listener;
        private final java.util.concurrent.atomic.AtomicLong rows = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong nextNanos = new java.util.concurrent.atomic.AtomicLong();
        private volatile int epoch;
        private volatile long perEpoch;

        EpochProgress(TrainingListener listener) {
            this.listener = listener;
        }

        void start(int e) {
            epoch = e;
            rows.set(0);
            nextNanos.set(System.nanoTime() + PROGRESS_AFTER_MILLIS * 1_000_000);
        }

        void end() {
            perEpoch = rows.get();
            nextNanos.set(Long.MAX_VALUE);
        }

        @Override
        public void accept(int n) {
            long done = rows.addAndGet(n);
            long now = System.nanoTime();
            long next = nextNanos.get();
            // one caller wins each slot, so the listener is never called twice at a time
            if (now - next >= 0 && nextNanos.compareAndSet(next, Long.MAX_VALUE)) {
                listener.onEpochProgress(epoch, done, perEpoch);
                nextNanos.compareAndSet(Long.MAX_VALUE, System.nanoTime() + PROGRESS_AFTER_MILLIS * 1_000_000);
            }
        }
    }

    private static <M> TrainingResult<M> loop(String algorithm, EpochTrainer<M> run, TrainingContext ctx,
                                              Probe<? super M> probe, UnaryOperator<M> copy, EpochProgress progress) {
        long start = System.nanoTime();
        int planned = run.plannedEpochs();
        TrainingListener listener = ctx.listener();
        Selection sel = ctx.selection();
        boolean restore = sel != null && sel.restoreBest();
        if (restore && copy == null) {
            throw new IllegalArgumentException("restoring the best epoch's model needs a way to copy " + algorithm
                    + " models");
        }
        StopRule own = run.convergence();
        PlateauSchedule plateau = ctx.plateau();
        if (plateau != null && !restore) {
            throw new IllegalArgumentException("a step-size drop on a plateau restarts from the best epoch: it needs a "
                    + "selection that restores the best model (--restore-best)");
        }
        if (plateau != null && !run.canRestart()) {
            throw new IllegalArgumentException(algorithm + " cannot restart from its best epoch with a smaller step "
                    + "size: no step-size drop on a plateau for it");
        }
        double stepScale = 1;
        int lastDrop = 0;
        listener.onStart(algorithm, planned);
        List<EpochReport> history = new ArrayList<>();
        boolean stoppedEarly = false;
        M best = null;
        int bestEpoch = 0;
        double bestValue = Double.NaN;
        for (int epoch = 1; epoch <= planned; epoch++) {
            EpochReport.Builder figures = EpochReport.builder(epoch);
            long t0 = System.nanoTime();
            if (progress != null) {
                progress.start(epoch);
            }
            run.epoch(epoch, figures);
            if (progress != null) {
                progress.end();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // a trainer's own figures (loss, ELBO, train RMSE) turn NaN or infinite when its
            // parameters have: stop with a clear error before a model of NaNs is probed or saved
            String bad = figures.firstNonFinite();
            if (bad != null) {
                throw new IllegalStateException(algorithm + " diverged at epoch " + epoch + ": " + bad
                        + "; try a smaller learning rate or stronger regularisation");
            }
            M snapshot = null;
            if (probe != null || restore) {
                snapshot = run.snapshot();
                if (snapshot != null && probe != null) {
                    probe.measure(snapshot, figures);
                }
            }
            if (plateau != null) {
                figures.put("step_scale", stepScale);
            }
            EpochReport report = figures.build(seconds);
            history.add(report);
            listener.onEpoch(report);
            if (restore && snapshot != null) {
                double v = report.figure(sel.figure());
                if (!Double.isNaN(v) && (best == null || sel.better(v, bestValue, 0))) {
                    best = copy.apply(snapshot);
                    bestValue = v;
                    bestEpoch = epoch;
                }
            }
            List<EpochReport> view = java.util.Collections.unmodifiableList(history);
            if (epoch < planned && ctx.stopRule().shouldStop(view)) {
                stoppedEarly = true;
                break;
            }
            if (epoch < planned && own.shouldStop(view)) {
                break;
            }
            // the plateau schedule: back to the best epoch, smaller steps (the epochs since stay in the history)
            if (plateau != null && epoch < planned && plateau.dropsAfter(epoch, bestEpoch, lastDrop)) {
                stepScale *= plateau.factor();
                lastDrop = epoch;
                run.restart(best, plateau.factor());
            }
        }
        int epochs = history.size();
        M model;
        int modelEpoch = epochs;
        if (restore && best != null) {
            model = best;
            modelEpoch = bestEpoch;
        } else {
            model = run.result(epochs);
        }
        // figures can stay finite while some parameters are not (a row no rating touches in the
        // loss, a sampler's kept draw): the model itself is checked before anyone may use it
        if (model instanceof org.varec.io.ModelIo.ParameterWriter w) {
            String bad = org.varec.io.ModelIo.firstNonFinite(w);
            if (bad != null) {
                throw new IllegalStateException(algorithm + " diverged by epoch " + modelEpoch + ": " + bad
                        + " although its figures stayed finite; try a smaller learning rate or stronger regularisation");
            }
        }
        listener.onEnd(epochs, stoppedEarly);
        return new TrainingResult<>(model, history, stoppedEarly, modelEpoch, (System.nanoTime() - start) / 1e9);
    }
}
