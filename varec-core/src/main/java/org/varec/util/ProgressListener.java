package org.varec.util;

/**
 * Receives progress of long work (writing a synthetic file, downloading a dataset...). Nothing in
 * varec-core prints: the CLI turns these calls into progress bars.
 *
 * <p>Calls come from one thread at a time, with {@code done} never decreasing. {@code total} is
 * the amount of work expected in the same unit as {@code done} (ratings, bytes...), or a value
 * {@code <= 0} when it is not known in advance (e.g. a download without Content-Length).
 * Implementations should be cheap: they may be called thousands of times.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every call. */
    ProgressListener NONE = (done, total) -> {
    };

    void progress(long done, long total);

    /** {@code listener}, or {@link #NONE} when it is null. */
    static ProgressListener orNone(ProgressListener listener) {
        return listener == null ? NONE : listener;
    }
}
