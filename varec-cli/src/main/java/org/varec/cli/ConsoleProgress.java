package org.varec.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.varec.util.ProgressListener;

/**
 * Renders a core {@link ProgressListener} on stderr: a progress bar on a terminal, otherwise a line
 * every 10% (so logs stay readable). Close it when the work ends.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private final PrintStream err;
    private final String task;
    private final String unit;
    private final long unitSize;
    private final boolean quiet;
    private final boolean interactive;
    private ProgressBar bar;
    private int lastDecile = -1;

    ConsoleProgress(PrintStream err, String task, String unit, long unitSize, boolean quiet) {
        this.err = err;
        this.task = task;
        this.unit = unit;
        this.unitSize = unitSize;
        this.quiet = quiet;
        this.interactive = System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void progress(long done, long total) {
        if (quiet) {
            return;
        }
        if (interactive) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
                        .setUnit(unit, unitSize).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).showSpeed().build();
            }
            bar.stepTo(done);
            return;
        }
        if (total > 0) {
            int decile = (int) Math.min(10, done * 10 / total);
            if (decile > lastDecile) {
                lastDecile = decile;
                err.printf(Locale.ROOT, "%s: %d%% (%,d of %,d %s)%n", task, decile * 10, done / unitSize,
                        total / unitSize, unit.strip());
            }
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
