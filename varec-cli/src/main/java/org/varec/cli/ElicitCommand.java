package org.varec.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.data.Dataset;
import org.varec.elicit.ElicitationConfig;
import org.varec.elicit.ElicitationData;
import org.varec.elicit.ElicitationExperiment;
import org.varec.elicit.ElicitationResult;
import org.varec.elicit.Interval;
import org.varec.elicit.LiveElicitation;
import org.varec.elicit.Strategy;
import org.varec.io.ModelFile;
import org.varec.model.Algorithm;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.stats.Normal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "elicit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Preference elicitation (docs/elicitation.md). Simulation of the VFM paper's Table IV on a complete",
                "0/1 matrix ('varec data elicitation'): --data M --algo A --strategies ... --repeats R. Or a live session",
                "for a person with a saved Bayesian model: --model M.varec --interactive (answers from stdin)."})
final class ElicitCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @Option(names = "--data", paramLabel = "FILE", description = "Simulation: the 0/1 matrix (user,item,label).")
    Path data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--algo", paramLabel = "NAME",
            description = "Simulation: a Bayesian algorithm (vfm, fm-mcmc, bpmf, vbmf...); with a task parameter it classifies.")
    String algo;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Hyper-parameter, repeatable (see 'varec algos').")
    List<String> set = new ArrayList<>();

    @Option(names = "--strategies", defaultValue = "random,mean,variance", paramLabel = "LIST",
            description = "random, mean, variance, entropy, popular (default: ${DEFAULT-VALUE}).")
    String strategies;

    @Option(names = "--repeats", defaultValue = "10", description = "Repeats (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds per test user (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--round-size", defaultValue = "4", description = "Items asked per round (default: ${DEFAULT-VALUE}).")
    int roundSize;

    @Option(names = "--train-share", defaultValue = "0.8", description = "Share of users training the model (default: ${DEFAULT-VALUE}).")
    double trainShare;

    @Option(names = "--pool-share", defaultValue = "0.5", description = "Share of items in the interactive pool (default: ${DEFAULT-VALUE}).")
    double poolShare;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE", description = "Simulation: write the results as JSON; '-' for stdout.")
    String json;

    @Option(names = "--model", paramLabel = "FILE", description = "Live: a saved Bayesian model.")
    Path model;

    @Option(names = "--interactive", description = "Live: ask questions on the terminal (or read answers from a pipe).")
    boolean interactive;

    @Option(names = "--strategy", defaultValue = "variance", description = "Live: how to choose questions (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--questions", defaultValue = "10", description = "Live: at most this many answers (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--pool", defaultValue = "100", description = "Live: ask among the model's N most popular items (default: ${DEFAULT-VALUE}).")
    int pool;

    @Option(names = {"-n", "--count"}, defaultValue = "10", description = "Live: recommendations printed (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--level", defaultValue = "0.9", paramLabel = "P", description = "Live: predictive interval probability (default: ${DEFAULT-VALUE}).")
    double level;

    @Override
    public Integer call() throws Exception {
        if (model != null || interactive) {
            if (model == null || !interactive) {
                throw new IllegalArgumentException("live elicitation needs both --model FILE and --interactive");
            }
            if (data != null || algo != null) {
                throw new IllegalArgumentException("--model/--interactive (live) and --data/--algo (simulation) do not mix");
            }
            return live();
        }
        if (data == null || algo == null) {
            throw new IllegalArgumentException("elicit needs --data FILE --algo NAME (simulation) or --model FILE --interactive");
        }
        return simulate();
    }

    private int simulate() throws Exception {
        PrintStream err = System.err;
        boolean quiet = root.quiet;
        Algorithm<?, ?> algorithm = Algorithms.get(algo);
        AlgorithmConfig config = ElicitationExperiment.config(algorithm, Params.parse(set));
        boolean classification = LiveElicitation.isClassification(config);
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        ElicitationConfig c = new ElicitationConfig(repeats, rounds, roundSize, trainShare, poolShare,
                Strategy.parseList(strategies), seed, t);
        Dataset d = dataOptions.readRatings(data, err, quiet);
        ElicitationData m = ElicitationData.of(d);
        if (c.rounds() * c.roundSize() > Math.round(c.poolShare() * m.numItems())) {
            throw new IllegalArgumentException(c.rounds() + " rounds of " + c.roundSize() + " items need more than the "
                    + Math.round(c.poolShare() * m.numItems()) + " pool items");
        }
        ElicitationResult r = ElicitationExperiment.run(m, ElicitationExperiment.factory(algorithm, config, t),
                classification, c, quiet ? null : err::println);
        print(r);
        if (json != null) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("data", data.toString());
            header.put("algorithm", algorithm.name());
            header.put("config", config.toMap());
            Json.write(r.toJson(header), json);
            if (!quiet && !"-".equals(json)) {
                err.println("wrote " + json);
            }
        }
        return 0;
    }

    private void print(ElicitationResult r) {
        PrintStream out = "-".equals(json) ? System.err : System.out;
        out.printf(Locale.ROOT, "%s on %d users x %d items: %d test users, %d pool and %d validation items, %d repeats "
                        + "(mean and 95%% CI)%n", algo, r.users(), r.items(), r.testUsers(), r.poolItems(),
                r.validationItems(), r.config().repeats());
        String[] names = {"ACC", "AUC", "MAP", "mean predictive variance"};
        for (int k = 0; k < ElicitationExperiment.METRICS.size(); k++) {
            String metric = ElicitationExperiment.METRICS.get(k);
            out.println();
            out.printf(Locale.ROOT, "%s (no answers: %s)%n", names[k], cell(r.prior().get(metric)));
            List<String> header = new ArrayList<>(List.of("items"));
            var first = r.strategies().values().iterator().next();
            first.forEach(round -> header.add(Integer.toString(round.items())));
            List<List<String>> rows = new ArrayList<>();
            for (var e : r.strategies().entrySet()) {
                List<String> row = new ArrayList<>(List.of(e.getKey().label()));
                e.getValue().forEach(round -> row.add(cell(round.figures().get(metric))));
                rows.add(row);
            }
            for (var e : r.versusRandom().entrySet()) {
                List<String> row = new ArrayList<>(List.of(e.getKey().label() + " - random"));
                e.getValue().forEach(round -> {
                    Interval i = round.figures().get(metric);
                    row.add(String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", i.mean(), i.lo(), i.hi()));
                });
                rows.add(row);
            }
            Console.table(out, header, rows);
        }
        out.println();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "train %.2fs per repeat; one round for all %d test users:",
                r.trainSeconds(), r.testUsers()));
        for (Strategy s : r.strategies().keySet()) {
            sb.append(String.format(Locale.ROOT, " %s %.3fs", s.label(), r.secondsPerRound(s)));
        }
        out.println(sb);
    }

    private static String cell(Interval i) {
        return String.format(Locale.ROOT, "%.3f ± %.3f", i.mean(), (i.hi() - i.lo()) / 2);
    }

    private int live() throws Exception {
        if (questions < 1 || n < 1 || pool < 1) {
            throw new IllegalArgumentException("--questions, --count and --pool must be >= 1");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("--level must be in (0, 1), got " + level);
        }
        var trained = ModelFile.load(model);
        LiveElicitation e = new LiveElicitation(trained, Strategy.parse(strategy), pool, seed);
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int answered = 0;
        boolean quit = false;
        while (answered < questions && !quit) {
            int item = e.next();
            if (item < 0) {
                out.println("No more items to ask.");
                break;
            }
            while (true) {
                out.print(e.question(item) + " ");
                out.flush();
                String line = in.readLine();
                LiveElicitation.Outcome o = e.answer(item, line);
                if (line == null || System.console() == null) { // piped answers: echo them so the transcript reads
                    out.println(line == null ? "" : line.strip());
                }
                if (o == LiveElicitation.Outcome.INVALID) {
                    out.println(e.classification() ? "  answer y, n, skip, a rating, or q"
                            : "  answer with a rating on " + trained.scale() + ", n (not seen), skip, or q");
                    continue;
                }
                if (o == LiveElicitation.Outcome.QUIT) {
                    quit = true;
                } else if (o == LiveElicitation.Outcome.ANSWERED) {
                    answered++;
                }
                break;
            }
        }
        out.printf(Locale.ROOT, "%nAfter %d answer%s: mean predictive variance %.4f -> %.4f (%.0f%% lower)%n", answered,
                answered == 1 ? "" : "s", e.initialVariance(), e.meanVariance(),
                100 * (1 - e.meanVariance() / e.initialVariance()));
        double z = Normal.quantile(0.5 + level / 2);
        List<List<String>> rows = new ArrayList<>();
        int rank = 1;
        for (LiveElicitation.Suggestion s : e.recommend(n)) {
            double mu = s.predictive().mean();
            double sd = s.predictive().sd();
            String interval = e.classification() ? String.format(Locale.ROOT, "logit sd %.2f", sd)
                    : String.format(Locale.ROOT, "[%.2f, %.2f]", trained.scale().clamp(mu - z * sd),
                    trained.scale().clamp(mu + z * sd));
            rows.add(List.of(Integer.toString(rank++), s.id(), s.title() == null ? "" : s.title(),
                    String.format(Locale.ROOT, e.classification() ? "%.3f" : "%.2f", e.classification() ? mu
                            : trained.scale().clamp(mu)), interval));
        }
        out.println("Top " + rows.size() + " (" + trained.algorithm() + "):");
        Console.table(out, List.of("#", "item", "title", e.classification() ? "P(yes)" : "predicted",
                e.classification() ? "uncertainty" : String.format(Locale.ROOT, "%.0f%% interval", 100 * level)), rows);
        return 0;
    }
}
