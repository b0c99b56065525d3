package org.varec.testing;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.varec.data.Dataset;
import org.varec.data.Graph;
import org.varec.data.IdIndex;
import org.varec.data.Networks;
import org.varec.data.ReadReport;

/**
 * A network drawn from a known stochastic block model, for tests: vertex i is in group
 * {@code i % groups} (so groups are equal-sized and interleaved in the vertex order), and each
 * unordered pair links with probability {@code within} inside a group and {@code between}
 * across groups.
 *
 * @param dataset the network as all-pairs data ({@link Networks#dataset})
 * @param truth   the planted group of every vertex
 */
public record PlantedNetwork(Dataset dataset, int[] truth, double within, double between) {
    public static PlantedNetwork draw(long seed, int vertices, int groups, double within, double between) {
        SplittableRandom rnd = new SplittableRandom(seed);
        IdIndex ids = new IdIndex();
        int[] truth = new int[vertices];
        for (int v = 0; v < vertices; v++) {
            ids.addNumeric(v);
            truth[v] = v % groups;
        }
        int[] a = new int[vertices * vertices / 2];
        int[] b = new int[a.length];
        int m = 0;
        for (int i = 0; i < vertices; i++) {
            for (int j = i + 1; j < vertices; j++) {
                if (rnd.nextDouble() < (truth[i] == truth[j] ? within : between)) {
                    a[m] = i;
                    b[m] = j;
                    m++;
                }
            }
        }
        Graph g = Graph.of(ids, java.util.Arrays.copyOf(a, m), java.util.Arrays.copyOf(b, m));
        return new PlantedNetwork(Networks.dataset(g, "planted", "adjacency", Path.of("planted"), ReadReport.empty()),
                truth, within, between);
    }
}
