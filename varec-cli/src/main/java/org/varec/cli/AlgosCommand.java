package org.varec.cli;

import java.util.ArrayList;
import java.util.List;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.ParamDoc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "algos", mixinStandardHelpOptions = true,
        description = "List algorithms and their hyper-parameters (all, or the ones named).")
final class AlgosCommand implements Runnable {
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Parameters(paramLabel = "ALGO", arity = "0..*", description = "Only these algorithms (registry names, e.g. vaebmf).")
    List<String> names = List.of();

    @Override
    public void run() {
        List<Algorithm<?, ?>> chosen = new ArrayList<>();
        if (names.isEmpty()) {
            chosen.addAll(Algorithms.all());
        } else {
            for (String n : names) {
                chosen.add(Algorithms.get(n)); // an unknown name: a clear error listing the known ones
            }
        }
        if (json) {
            List<Object> out = new ArrayList<>();
            for (Algorithm<?, ?> a : chosen) {
                out.add(java.util.Map.of("name", a.name(), "summary", a.summary(), "params", a.params(), "libfm", a.trainsOnDesigns(),
                        "defaults", a.defaultConfig().toMap()));
            }
            Json.print(out);
            return;
        }
        for (Algorithm<?, ?> a : chosen) {
            System.out.println(a.name() + "  " + a.summary()
                    + (a.trainsOnDesigns() ? " [also on libFM files]" : ""));
            for (ParamDoc p : a.params()) {
                String also = p.aliases().isEmpty() ? "" : " (also " + String.join(", ", p.aliases()) + ")";
                System.out.printf("    %-24s %-10s %-18s %s%s%n", p.name(), p.defaultValue(), p.constraint(),
                        p.description(), also);
            }
        }
    }
}
