package org.varec.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.varec.data.DuplicatePolicy;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.data.io.Datasets;

/** Inputs shared by the benchmarks: a real dataset by path, or an ML-1M-shaped random one. */
final class BenchData {
    private BenchData() {
    }

    /**
     * {@code "synthetic"}: 1,000,209 ratings 1..5 on a 6040 x 3706 grid (ML-1M's size), power-law
     * item popularity and user activity, no repeated pair; otherwise the dataset at that path.
     */
    static Interactions ratings(String data) throws IOException {
        if (!"synthetic".equals(data)) {
            return Datasets.read(Path.of(data)).ratings();
        }
        SplittableRandom rnd = new SplittableRandom(1);
        int users = 6040;
        int items = 3706;
        InteractionsBuilder b = new InteractionsBuilder();
        java.util.BitSet seen = new java.util.BitSet(users * items);
        int n = 0;
        while (n < 1_000_209) {
            int u = (int) (users * Math.pow(rnd.nextDouble(), 1.6)); // active users first
            int i = (int) (items * Math.pow(rnd.nextDouble(), 2.0)); // popular items first
            if (!seen.get(u * items + i)) {
                seen.set(u * items + i);
                b.add(u, i, 1 + rnd.nextInt(5));
                n++;
            }
        }
        return b.build(users, items, DuplicatePolicy.ERROR).interactions();
    }
}
