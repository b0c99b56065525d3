package org.varec.train;

/**
 * Measures a snapshot of the model after an epoch, typically on validation data, and adds its
 * figures ({@code val_rmse}, {@code val_ndcg@10}, ...) to the epoch's report. Chosen by the
 * caller of the loop, never by the trainer, so any trainer can be selected on any metric.
 *
 * @param <M> the snapshot type it can measure
 */
@FunctionalInterface
public interface Probe<M> {
    /** A probe that measures nothing. */
    static <M> Probe<M> none() {
        return (model, out) -> {
        };
    }

    void measure(M model, EpochReport.Builder out);
}
