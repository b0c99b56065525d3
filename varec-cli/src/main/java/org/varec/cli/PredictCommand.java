package org.varec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varec.data.io.DataFormatException;
import org.varec.io.ModelFile;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.TrainedModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict ratings from a saved model, by external user and item ids.",
                "Models with a predictive distribution (e.g. vbmf) also print its mean, sd and the central",
                "interval mean +- z*sd, z = Phi^-1(1/2 + level/2) (--level); JSON adds mean, sd, level, lower, upper.",
                "Classification models (task=classification, e.g. link prediction) print the probability of 1 alone."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file from 'varec train'.")
    Path modelFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @ArgGroup(exclusive = false)
        One one;

        @Option(names = "--pairs", paramLabel = "FILE",
                description = "File of 'user item' lines (whitespace, comma or tab separated; '#' comments).")
        Path pairs;
    }

    static final class One {
        @Option(names = "--user", required = true, paramLabel = "U")
        String user;

        @Option(names = "--item", required = true, paramLabel = "I")
        String item;
    }

    @Option(names = "--level", defaultValue = "0.9", paramLabel = "P",
            description = "Central interval probability for Bayesian models (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("--level must be in (0, 1), got " + level);
        }
        TrainedModel m = ModelFile.load(modelFile);
        List<String[]> pairs = new ArrayList<>();
        if (target.one != null) {
            pairs.add(new String[] {target.one.user, target.one.item});
        } else {
            // the readers' line guard and UTF-8 check: a huge single line or a binary file is one clear error
            try (org.varec.data.io.TextLines r = org.varec.data.io.TextLines.open(target.pairs)) {
                String line;
                while ((line = r.next()) != null) {
                    long n = r.lineNumber();
                    String t = line.strip();
                    if (t.isEmpty() || t.startsWith("#")) {
                        continue;
                    }
                    String[] f = t.split("[\\s,]+");
                    if (f.length < 2) {
                        throw new DataFormatException(target.pairs, n, "expected 'user item', found " + f.length + " field");
                    }
                    pairs.add(new String[] {f[0], f[1]});
                }
            }
        }
        double z = org.varec.stats.Normal.quantile(0.5 + level / 2);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String[] p : pairs) {
            int u = m.users().indexOf(p[0]);
            int i = m.items().indexOf(p[1]);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("user", p[0]);
            row.put("item", p[1]);
            row.put("known_user", u >= 0);
            row.put("known_item", i >= 0);
            row.put("prediction", m.scale().clamp(m.model().predict(u, i)));
            // a classification model's prediction is the probability of class 1: the whole predictive
            // distribution of a 0/1 target, so no Gaussian interval (it would mislead, even leave [0, 1])
            boolean classification = org.varec.model.Task.of(m.config()) == org.varec.model.Task.CLASSIFICATION;
            if (m.model() instanceof ProbabilisticModel pm && !classification) {
                Predictive pr = pm.predictive(u, i);
                row.put("mean", pr.mean());
                row.put("sd", pr.sd());
                row.put("level", level);
                row.put("lower", pr.mean() - z * pr.sd());
                row.put("upper", pr.mean() + z * pr.sd());
            }
            out.add(row);
        }
        if (json) {
            Json.print(out);
            return 0;
        }
        for (Map<String, Object> row : out) {
            StringBuilder sb = new StringBuilder();
            sb.append(row.get("user")).append('\t').append(row.get("item")).append('\t')
                    .append(String.format(Locale.ROOT, "%.4f", (Double) row.get("prediction")));
            if (row.containsKey("sd")) {
                sb.append(String.format(Locale.ROOT, "\tmean %.4f\tsd %.4f\t%s%% [%.4f, %.4f]", (Double) row.get("mean"),
                        (Double) row.get("sd"), percent(level), (Double) row.get("lower"), (Double) row.get("upper")));
            }
            if (!(Boolean) row.get("known_user") || !(Boolean) row.get("known_item")) {
                sb.append("\t(unknown ").append(!(Boolean) row.get("known_user") ? "user" : "item").append(")");
            }
            System.out.println(sb);
        }
        return 0;
    }

    /** 0.9 -> "90", 0.975 -> "97.5". */
    static String percent(double level) {
        return java.math.BigDecimal.valueOf(level).movePointRight(2).stripTrailingZeros().toPlainString();
    }
}
