package org.varec.train;

/**
 * One training run as the shared loop ({@link Training}) drives it: the trainer has already
 * validated the data, allocated and initialised its parameters ({@code start}); the loop then asks
 * for one epoch at a time, for a snapshot of the current model whenever it probes or selects, and
 * for the result at the end. The loop, not the trainer, owns timing, listeners, validation, stop
 * rules and the history (the shape of LensKit's {@code train_epoch} and Tribuo's SGD trainers).
 *
 * <p>A run is used from one thread, in order; its trainer may use the pool it was started with.
 *
 * @param <M> what a snapshot is: a {@link org.varec.model.RatingModel}, or for runs on a design
 *            matrix an {@link org.varec.model.fm.FmPredictor}
 */
public interface EpochTrainer<M> {
    /** Epochs planned (the loop runs at most this many; 0 when unknown). */
    int plannedEpochs();

    /**
     * Runs epoch {@code epoch} (1-based) and puts the trainer's own figures (loss, ELBO,
     * train_rmse, noise...) into {@code figures}. Validation figures are the loop's business.
     */
    void epoch(int epoch, EpochReport.Builder figures);

    /**
     * The model as it stands after the last epoch, for probes (validation metrics) and selection.
     * It may share arrays with the run: valid until the next {@link #epoch} call. Returns null
     * when there is nothing to measure yet (e.g. an MCMC run still in burn-in), and the probe is
     * skipped for that epoch.
     */
    M snapshot();

    /**
     * The final model after {@code epochs} epochs (fewer than planned when a stop rule fired).
     * Defaults to the snapshot; trainers whose result differs from the running state (kept MCMC
     * samples, averaged iterates) override it.
     */
    default M result(int epochs) {
        return snapshot();
    }

    /**
     * The trainer's own convergence rule (e.g. the ELBO's relative change below a tolerance),
     * asked after the caller's stop rule. Stopping by it is not "stopped early".
     */
    default StopRule convergence() {
        return StopRule.NEVER;
    }

    /**
     * Whether this run can {@link #restart} (the loop's {@link PlateauSchedule} asks before the
     * first epoch and refuses to start otherwise).
     */
    default boolean canRestart() {
        return false;
    }

    /**
     * Continues from {@code from} (an independent copy of one of this run's earlier snapshots, the
     * best epoch's) with the step size of the following epochs multiplied by {@code stepFactor}
     * (cumulatively with earlier drops and the trainer's own schedule): the loop's
     * {@link PlateauSchedule}. The run copies what it needs and keeps no reference to {@code from}.
     *
     * @throws UnsupportedOperationException when {@link #canRestart} is false
     */
    default void restart(M from, double stepFactor) {
        throw new UnsupportedOperationException("this trainer cannot restart from an earlier epoch");
    }
}
