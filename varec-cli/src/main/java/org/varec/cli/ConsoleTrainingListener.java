package org.varec.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.varec.train.EpochReport;
import org.varec.train.TrainingListener;

/**
 * Renders training on stderr: a progress bar over epochs when stderr is a terminal, and one line
 * of figures per epoch ({@code epoch 3/20  0.12s  loss=0.8123 train_rmse=0.9001 val_rmse=0.9342}).
 * Silent when quiet.
 */
final class ConsoleTrainingListener implements TrainingListener {
    private final PrintStream err;
    private final boolean quiet;
    private final boolean interactive;
    private final String prefix;
    /** Steps of the bar per epoch, so that it moves within a long epoch. */
    static final int STEPS = 100;

    ProgressBar bar;
    private int planned;

    ConsoleTrainingListener(PrintStream err, boolean quiet, String prefix) {
        this(err, quiet, prefix, System.console() != null && System.getenv("CI") == null);
    }

    ConsoleTrainingListener(PrintStream err, boolean quiet, String prefix, boolean interactive) {
        this.err = err;
        this.quiet = quiet;
        this.interactive = interactive;
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public synchronized void onStart(String algorithm, int plannedEpochs) {
        if (quiet) {
            return;
        }
        planned = plannedEpochs;
        if (interactive && plannedEpochs > 1) {
            bar = new ProgressBarBuilder().setTaskName(prefix + algorithm).setInitialMax((long) plannedEpochs * STEPS)
                    .setUnit("", STEPS).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }
    }

    @Override
    public synchronized void onEpoch(EpochReport r) {
        if (quiet) {
            return;
        }
        String line = format(r);
        if (bar != null) {
            bar.stepTo((long) r.epoch() * STEPS);
            bar.setExtraMessage(line.length() > 60 ? line.substring(0, 60) : line);
        } else {
            err.println(prefix + line);
        }
    }

    /**
     * Within a long epoch (rank=1000 takes a minute a sweep): the bar moves by the share of the
     * rows done, taking the previous epoch's rows as the whole (in the first epoch only the count
     * of rows moves). Without a bar nothing is printed: the per-epoch lines are the log.
     */
    @Override
    public synchronized void onEpochProgress(int epoch, long rows, long rowsPerEpoch) {
        if (quiet || bar == null) {
            return;
        }
        if (rowsPerEpoch > 0) {
            bar.stepTo((long) (epoch - 1) * STEPS + Math.min(STEPS - 1, rows * STEPS / rowsPerEpoch));
        }
        bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d: %,d rows solved", epoch, rows));
    }

    @Override
    public synchronized void onEnd(int epochs, boolean stoppedEarly) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (!quiet && stoppedEarly) {
            err.println(prefix + "stopped early after " + epochs + " epochs");
        }
    }

    private String format(EpochReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("epoch ").append(r.epoch());
        if (planned > 0) {
            sb.append('/').append(planned);
        }
        sb.append(String.format(Locale.ROOT, "  %.3fs", r.seconds()));
        for (Map.Entry<String, Double> e : r.figures().entrySet()) {
            sb.append("  ").append(e.getKey()).append('=').append(Console.num(e.getValue()));
        }
        return sb.toString();
    }
}
