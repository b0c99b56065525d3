package org.varec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.data.fetch.DataDirs;
import org.varec.data.fetch.DatasetFetcher;
import org.varec.data.io.Datasets;
import org.varec.data.split.Protocol;
import org.varec.data.split.Protocols;
import org.varec.eval.EvalOptions;
import org.varec.eval.ExperimentResult;
import org.varec.eval.ExperimentRunner;
import org.varec.eval.Summary;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.Fitting;
import org.varec.model.TrainedModel;
import org.varec.recommend.Recommendation;
import org.varec.train.TrainingContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The first run: get MovieLens 100K (downloaded from GroupLens and sha256-checked when absent),",
                "evaluate the baselines and the default model with five random 90/10 splits,",
                "then train the default model on all ratings and recommend ten movies for one user."})
final class QuickstartCommand implements Callable<Integer> {
    /** The model quickstart trains; the strongest algorithm varec has. */
    static final String DEFAULT_ALGORITHM = "als";

    @ParentCommand
    VarecCommand root;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where datasets live (default: $VAREC_DATA, else ~/.varec/data).")
    String dataDir;

    @Option(names = "--algo", defaultValue = DEFAULT_ALGORITHM, description = "Model to train (default: ${DEFAULT-VALUE}).")
    String algo;

    @Option(names = "--user", defaultValue = "196", description = "User to recommend for (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        boolean quiet = root.quiet;
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Path dir = DataDirs.resolve(dataDir);
        Path ml100k;
        try (ConsoleProgress p = new ConsoleProgress(System.err, "download ml-100k", " KB", 1 << 10, quiet)) {
            ml100k = new DatasetFetcher().ensure("ml-100k", dir, p);
        }
        Dataset data = Datasets.read(ml100k);
        if (!quiet) {
            DataOptions.report(data, System.err);
        }
        Protocol protocol = Protocols.parse("holdout:0.9x5");
        EvalOptions options = new EvalOptions(List.of(10), 3, null, true);
        List<String> algos = new ArrayList<>(List.of("mean", "biases"));
        if (!algos.contains(algo)) {
            algos.add(algo);
        }
        System.out.printf(Locale.ROOT, "%nMovieLens 100K: %,d users, %,d movies, %,d ratings; protocol %s (seed %d)%n%n",
                data.numUsers(), data.numItems(), data.numRatings(), protocol.spec(), seed);
        List<List<String>> rows = new ArrayList<>();
        for (String name : algos) {
            Algorithm<?, ?> a = Algorithms.get(name);
            if (!quiet) {
                System.err.println("evaluating " + name + "...");
            }
            ExperimentResult r = ExperimentRunner.run(a, a.defaultConfig(), data, protocol, TrainingContext.of(seed, t),
                    options, ExperimentRunner.Listener.NONE);
            rows.add(List.of(name, pm(r.summary().get("rmse")), pm(r.summary().get("mae")),
                    pm(r.summary().get("ndcg@10")), String.format(Locale.ROOT, "%.3f", r.summary().get("fit_seconds").mean())));
        }
        Console.table(System.out, List.of("algorithm", "RMSE", "MAE", "NDCG@10", "fit s"), rows);

        Algorithm<?, ?> a = Algorithms.get(algo);
        TrainedModel model = Fitting.fit(a, a.defaultConfig(), data, data.ratings(), TrainingContext.of(seed, t));
        List<Recommendation> recs = model.recommend(user, 10);
        org.varec.model.UserState state = model.user(user);
        System.out.printf(Locale.ROOT, "%nTop 10 for user %s (%s trained on all ratings; rated movies left out):%n", user, algo);
        List<List<String>> list = new ArrayList<>();
        int rank = 1;
        for (Recommendation r : recs) {
            list.add(List.of(Integer.toString(rank++), model.title(r.item()),
                    String.valueOf(model.catalog().genres(r.item()) == null ? "" : model.catalog().genres(r.item())),
                    String.format(Locale.ROOT, "%.3f", r.score()),
                    String.format(Locale.ROOT, "%.2f", model.scale().clamp(model.model().predict(state, r.item())))));
        }
        Console.table(System.out, List.of("#", "title", "genres", "score", "predicted"), list);
        System.out.println();
        System.out.println("Next: bin/varec eval --data " + ml100k + " --algo " + algo + " --protocol holdout:0.9x5 --json out.json");
        return 0;
    }

    private static String pm(Summary s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.std());
    }
}
