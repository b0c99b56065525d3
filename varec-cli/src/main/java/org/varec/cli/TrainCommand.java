package org.varec.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.io.ModelFile;
import org.varec.model.Fitting;
import org.varec.model.TrainedModel;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train an algorithm on all ratings of a dataset and save the model (with provenance).")
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Dataset directory or rating file.")
    Path data;

    @Mixin
    AlgoOptions algo;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TaskOptions taskOptions;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--feedback", paramLabel = "LOG",
            description = "Also train on the ratings of a 'varec serve --feedback' log (they replace the data's own for the same user and item).")
    java.nio.file.Path feedback;

    @Option(names = "--save", required = true, paramLabel = "FILE", description = "Model file to write (atomically).")
    Path save;

    @Option(names = "--json", description = "Print a machine-readable summary on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var algorithm = algo.algorithm();
        var config = taskOptions.config(algo);
        // a save that cannot succeed fails now, not after training
        org.varec.util.AtomicFiles.checkWritable(save);
        int threads = algo.threads();
        Dataset dataset = dataOptions.read(data, System.err, root.quiet);
        if (feedback != null) {
            var log = org.varec.data.io.FeedbackRatings.read(feedback);
            dataset = org.varec.data.io.FeedbackRatings.merge(dataset, log, feedback);
            if (!root.quiet) {
                System.err.printf(java.util.Locale.ROOT, "added %,d feedback ratings from %s%n", log.size(), feedback);
            }
        }
        dataset = taskOptions.apply(dataset);
        TrainingContext ctx = selection.context(TrainingContext.of(algo.seed, threads))
                .withListener(new ConsoleTrainingListener(System.err, root.quiet, ""));
        if (ctx.selection() != null && ctx.selection().figure().startsWith("val_") && ctx.validationShare() == 0) {
            throw new IllegalArgumentException("train uses all ratings: selecting on " + ctx.selection().figure()
                    + " needs --validation-share P (a share of them held out as validation ratings)");
        }
        TrainedModel model = Fitting.fit(algorithm, config, dataset, dataset.ratings(), ctx);
        ModelFile.save(model, save);
        long bytes = Files.size(save);
        var prov = model.provenance();
        if (json) {
            Json.print(java.util.Map.of("model", save.toString(), "bytes", bytes, "provenance", prov));
        } else {
            System.out.printf(Locale.ROOT, "trained %s on %s (%,d ratings) in %.2fs, seed %d, %d threads%n",
                    prov.algorithm(), prov.dataset(), prov.ratings(), prov.fitSeconds(), prov.seed(), prov.threads());
            if (!prov.history().isEmpty()) {
                EpochReport last = prov.history().get(prov.history().size() - 1);
                StringBuilder sb = new StringBuilder("last epoch " + last.epoch() + ":");
                last.figures().forEach((k, v) -> sb.append("  ").append(k).append('=').append(Console.num(v)));
                System.out.println(sb);
            }
            System.out.printf(Locale.ROOT, "saved %s (%,d bytes, data fingerprint %s)%n", save, bytes, prov.fingerprint());
        }
        return 0;
    }
}
