package org.varec.model.mf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varec.data.DuplicatePolicy;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingMatrix;
import org.varec.util.Parallel;

/**
 * Times SGD epochs on an ML-1M-shaped random matrix (6,040 users, 3,706 items, 1,000,209 ratings,
 * Zipf-like popularity). Opt-in, as it measures the machine rather than the code:
 * {@code mvn -pl varec-core test -Dtest=BiasMfEpochTimeTest -Dvarec.bench=true}.
 */
class BiasMfEpochTimeTest {
    @Test
    void epochTimeOnMl1mShape() {
        assumeTrue(Boolean.getBoolean("varec.bench"), "set -Dvarec.bench=true to run");
        int users = 6040;
        int items = 3706;
        int n = 1_000_209;
        SplittableRandom rnd = new SplittableRandom(1);
        InteractionsBuilder b = new InteractionsBuilder();
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        while (seen.size() < n) {
            int u = (int) (users * Math.pow(rnd.nextDouble(), 1.6));
            int i = (int) (items * Math.pow(rnd.nextDouble(), 2.0));
            if (seen.add((long) u * items + i)) {
                b.add(u, i, 1 + rnd.nextInt(5));
            }
        }
        RatingMatrix m = RatingMatrix.of(b.build(users, items, DuplicatePolicy.ERROR).interactions());
        for (int threads : new int[] {1, 2}) {
            for (int rank : new int[] {50, BiasMfConfig.RANK}) {
                BiasMfConfig c = new BiasMfConfig(rank, 0.01, 0.05, 0.01, 10, 0.03, 0.98);
                BiasMfTrainer.State s = new BiasMfTrainer.State(m, c, 1, threads);
                try (Parallel par = new Parallel(threads)) {
                    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                    long cpu0 = os.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    double best = Double.POSITIVE_INFINITY;
                    double bestLoss = Double.POSITIVE_INFINITY;
                    for (int e = 1; e <= 10; e++) {
                        long t0 = System.nanoTime();
                        s.epoch(par, e);
                        long t1 = System.nanoTime();
                        s.loss(par);
                        long t2 = System.nanoTime();
                        best = Math.min(best, (t1 - t0) / 1e9);
                        bestLoss = Math.min(bestLoss, (t2 - t1) / 1e9);
                    }
                    double cpuPerWall = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0);
                    System.out.printf(Locale.ROOT, "biasmf epoch on %,d ratings: rank %d, %d thread(s): SGD %.3f s, loss pass %.3f s"
                            + " (best of 10); process CPU / wall %.2f%n", m.nnz(), rank, threads, best, bestLoss, cpuPerWall);
                }
            }
        }
    }
}
