package org.varec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.io.ModelFile;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;
import org.varec.recommend.Recommendation;
import org.varec.recommend.TopN;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-N items for a trained user (leaving out what they rated),",
                "or for a new user folded in from a few ratings without retraining (--rate)."})
final class RecommendCommand implements Callable<Integer> {
    @ParentCommand
    VarecCommand root;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file from 'varec train'.")
    Path modelFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    static final class Who {
        @Option(names = "--user", paramLabel = "U", description = "External id of a trained user.")
        String user;

        @Option(names = "--rate", paramLabel = "ITEM=RATING,...",
                description = "A new user's ratings, e.g. \"260=5,1196=4\" (external item ids).")
        String rate;
    }

    @Option(names = {"-n", "--count"}, defaultValue = "10", description = "How many items (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--alpha", defaultValue = "0.02", paramLabel = "A",
            description = {"Factor models rank by u.v + A * item bias (\"Matrix Factorization in Action\" 5.3;",
                    "default ${DEFAULT-VALUE}, the paper's choice; 1 ranks like the predicted rating). Other models rank by",
                    "the predicted rating."})
    double alpha;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("-n must be >= 1, got " + n);
        }
        TrainedModel m = ModelFile.load(modelFile);
        List<Recommendation> recs;
        String label;
        UserState state;
        if (who.user != null) {
            recs = m.recommend(who.user, n, alpha);
            state = m.user(who.user);
            label = "user " + who.user;
        } else {
            Map<Integer, Float> rated = parseRatings(who.rate, m);
            int[] items = rated.keySet().stream().mapToInt(Integer::intValue).toArray();
            float[] values = new float[items.length];
            for (int k = 0; k < items.length; k++) {
                values[k] = rated.get(items[k]);
            }
            state = m.model().foldIn(items, values);
            recs = TopN.recommend(m.model(), state, n, items, alpha);
            label = "a new user with " + items.length + " rating" + (items.length == 1 ? "" : "s");
        }
        print(m, state, recs, label);
        return 0;
    }

    private void print(TrainedModel m, UserState state, List<Recommendation> recs, String who) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int rank = 1;
        for (Recommendation r : recs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", rank++);
            row.put("item", m.items().externalId(r.item()));
            row.put("title", m.catalog() == null ? null : m.catalog().title(r.item()));
            row.put("genres", m.catalog() == null ? null : m.catalog().genres(r.item()));
            row.put("score", r.score());
            row.put("predicted", m.scale().clamp(m.model().predict(state, r.item())));
            rows.add(row);
        }
        if (json) {
            Json.print(rows);
            return;
        }
        System.out.println("Top " + recs.size() + " for " + who + " (" + m.algorithm() + "):");
        List<List<String>> table = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            table.add(List.of(row.get("rank").toString(), row.get("item").toString(),
                    String.valueOf(row.get("title") == null ? "" : row.get("title")),
                    String.valueOf(row.get("genres") == null ? "" : row.get("genres")),
                    String.format(Locale.ROOT, "%.3f", (Double) row.get("score")),
                    String.format(Locale.ROOT, "%.2f", (Double) row.get("predicted"))));
        }
        Console.table(System.out, List.of("rank", "item", "title", "genres", "score", "predicted"), table);
    }

    /** Parses "ITEM=RATING,..." into dense item -> rating; unknown items are an error naming them. */
    static Map<Integer, Float> parseRatings(String spec, TrainedModel m) {
        Map<Integer, Float> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--rate entries look like ITEM=RATING, got '" + p + "'");
            }
            String id = p.substring(0, eq).strip();
            float v;
            try {
                v = Float.parseFloat(p.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rate: rating of item " + id + " is not a number: '" + p.substring(eq + 1) + "'");
            }
            if (!m.scale().contains(v)) {
                throw new IllegalArgumentException("--rate: rating " + v + " of item " + id + " is outside the scale " + m.scale());
            }
            int i = m.items().indexOf(id);
            if (i < 0) {
                throw new IllegalArgumentException("--rate: item '" + id + "' is not known to the model");
            }
            out.put(i, v);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--rate needs at least one ITEM=RATING");
        }
        return out;
    }
}
