package org.varec.testing;

import java.util.Arrays;
import org.varec.data.Dataset;
import org.varec.data.Graph;
import org.varec.data.IdIndex;
import org.varec.data.Networks;
import org.varec.data.RatingMatrix;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;
import org.varec.stats.Rng;
import org.varec.train.TrainingData;

/**
 * Networks drawn from a known stochastic block model, for block-model tests: vertices in planted
 * groups, each pair linked independently with its blocks' probability.
 *
 * @param dataset the network as rating data ({@link Networks#dataset}), vertex ids "0".."n-1"
 * @param groups  the planted group of every vertex
 * @param p       the planted block link probabilities
 */
public record PlantedBlocks(Dataset dataset, int[] groups, double[][] p) {
    /** Four groups of 200 vertices (60, 55, 45, 40) with assortative, distinguishable blocks. */
    public static PlantedBlocks fourGroups(long seed) {
        double[][] p = {
                {0.40, 0.05, 0.02, 0.10},
                {0.05, 0.35, 0.08, 0.01},
                {0.02, 0.08, 0.50, 0.04},
                {0.10, 0.01, 0.04, 0.30}};
        return generate(seed, new int[] {60, 55, 45, 40}, p);
    }

    /** Groups of the given sizes over shuffled vertices, links drawn from {@code p}. */
    public static PlantedBlocks generate(long seed, int[] sizes, double[][] p) {
        int n = Arrays.stream(sizes).sum();
        Rng rng = new Rng(seed);
        int[] order = rng.permutation(n);
        int[] groups = new int[n];
        int at = 0;
        for (int g = 0; g < sizes.length; g++) {
            for (int c = 0; c < sizes[g]; c++) {
                groups[order[at++]] = g;
            }
        }
        int[] a = new int[n * (n - 1) / 2];
        int[] b = new int[a.length];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (rng.nextDouble() < p[groups[i]][groups[j]]) {
                    a[m] = i;
                    b[m] = j;
                    m++;
                }
            }
        }
        IdIndex ids = new IdIndex();
        for (int v = 0; v < n; v++) {
            ids.addNumeric(v);
        }
        Graph g = Graph.of(ids, Arrays.copyOf(a, m), Arrays.copyOf(b, m));
        return new PlantedBlocks(Networks.dataset(g, "planted", "synthetic", null, ReadReport.empty()), groups, p);
    }

    /** Training data on all pairs, each in both orientations (as the experiment runner trains on a network). */
    public TrainingData trainingData() {
        return new TrainingData(RatingMatrix.of(Networks.mirror(dataset.ratings())), new RatingScale(0, 1), null, null);
    }

    public int numVertices() {
        return groups.length;
    }
}
