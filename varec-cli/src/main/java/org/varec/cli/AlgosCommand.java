package org.varec.cli;

import java.util.ArrayList;
import java.util.List;
import org.varec.model.Algorithm;
import org.varec.model.Algorithms;
import org.varec.model.ParamDoc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "algos", mixinStandardHelpOptions = true, description = "List algorithms and their hyper-parameters.")
final class AlgosCommand implements Runnable {
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public void run() {
        if (json) {
            List<Object> out = new ArrayList<>();
            for (Algorithm<?, ?> a : Algorithms.all()) {
                out.add(java.util.Map.of("name", a.name(), "summary", a.summary(), "params", a.params(), "libfm", a.trainsOnDesigns(),
                        "defaults", a.defaultConfig().toMap()));
            }
            Json.print(out);
            return;
        }
        for (Algorithm<?, ?> a : Algorithms.all()) {
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
