import java.nio.file.*;
import java.util.*;
import org.varec.linalg.Gram;
import jdk.incubator.vector.*;

/** Scratch: ALS user half-sweep Gram accumulation, current kernel vs a per-half-sweep table of outer products. */
public class GramTable {
    static int K = 10;
    static final boolean VEC = Boolean.getBoolean("vec");
    static final boolean FT = Boolean.getBoolean("ft");
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    public static void main(String[] a) throws Exception {
        K = Integer.parseInt(a[0]);
        int reps = Integer.parseInt(a[1]);
        List<String> lines = Files.readAllLines(Path.of("/work/shared/data/ml-1m/ratings.csv"));
        int n = lines.size() - 1;
        int[] us = new int[n], is = new int[n];
        float[] rs = new float[n];
        Map<Integer, Integer> um = new HashMap<>(), im = new HashMap<>();
        for (int p = 0; p < n; p++) {
            String[] f = lines.get(p + 1).split(",");
            us[p] = um.computeIfAbsent(Integer.parseInt(f[0]), x -> um.size());
            is[p] = im.computeIfAbsent(Integer.parseInt(f[1]), x -> im.size());
            rs[p] = Float.parseFloat(f[2]);
        }
        int nu = um.size(), ni = im.size();
        // CSR by user (which=0) or by item (which=1)
        for (int which = 0; which < 2; which++) {
            int rows = which == 0 ? nu : ni, others = which == 0 ? ni : nu;
            int[] rowOf = which == 0 ? us : is, colOf = which == 0 ? is : us;
            int[] off = new int[rows + 1];
            for (int p = 0; p < n; p++) off[rowOf[p] + 1]++;
            for (int r = 0; r < rows; r++) off[r + 1] += off[r];
            int[] pos = off.clone();
            int[] idx = new int[n];
            float[] val = new float[n];
            for (int p = 0; p < n; p++) { int q = pos[rowOf[p]]++; idx[q] = colOf[p]; val[q] = rs[p]; }
            Random rnd = new Random(1);
            float[] fac = new float[others * K];
            for (int i = 0; i < fac.length; i++) fac[i] = (float) (rnd.nextGaussian() * 0.3);
            int d = K + 1;
            int P = d * (d + 1) / 2;
            double[] table = new double[others * P];
            float[] ftable = new float[others * P];
            double[] g = new double[d * d], rhs = new double[d], acc = new double[P], rhs2 = new double[d];
            double[] ts = new double[4000];
            long[] tA = new long[reps], tB = new long[reps], tT = new long[reps];
            double chk = 0;
            boolean same = true;
            for (int rep = 0; rep < reps; rep++) {
                long t0 = System.nanoTime();
                for (int r = 0; r < rows; r++) {
                    int from = off[r], to = off[r + 1];
                    for (int p = from; p < to; p++) ts[p - from] = val[p] - 3.58;
                    Arrays.fill(g, 0);
                    Arrays.fill(rhs, 0);
                    Gram.addOuters(g, d, fac, idx, from, to, K, ts, rhs, K * d);
                    chk += g[K * d + 3] + rhs[2];
                }
                long t1 = System.nanoTime();
                buildTable(fac, others, K, table);
                for (int z = 0; z < table.length; z++) ftable[z] = (float) table[z];
                long t2 = System.nanoTime();
                for (int r = 0; r < rows; r++) {
                    int from = off[r], to = off[r + 1];
                    for (int p = from; p < to; p++) ts[p - from] = val[p] - 3.58;
                    Arrays.fill(acc, 0);
                    Arrays.fill(rhs2, 0);
                    if (FT) addTableF(acc, rhs2, ftable, P, d, idx, from, to, ts); else if (VEC) addTableV(acc, rhs2, table, P, d, idx, from, to, ts); else addTable(acc, rhs2, table, P, d, idx, from, to, ts);
                    chk += acc[P - d + 3] + rhs2[2];
                    if (rep == 0 && r < 2000) {
                        Arrays.fill(g, 0);
                        Arrays.fill(rhs, 0);
                        Gram.addOuters(g, d, fac, idx, from, to, K, ts, rhs, K * d);
                        int q = 0;
                        for (int x = 0; x < d; x++) for (int y = 0; y <= x; y++, q++) {
                            double ref = (x == K && y == K) ? (to - from) : g[x * d + y];
                            if (Double.doubleToLongBits(ref) != Double.doubleToLongBits(acc[q])) same = false;
                        }
                        for (int x = 0; x < K; x++) if (Double.doubleToLongBits(rhs[x]) != Double.doubleToLongBits(rhs2[x])) same = false;
                    }
                }
                long t3 = System.nanoTime();
                tA[rep] = t1 - t0; tT[rep] = t2 - t1; tB[rep] = t3 - t2;
            }
            Arrays.sort(tA); Arrays.sort(tB); Arrays.sort(tT);
            System.out.printf("%s K=%d: current %.2f ms, table build %.2f ms + table sums %.2f ms (medians of %d), same bits %b %s%n",
                    which == 0 ? "users" : "items", K, tA[reps / 2] / 1e6, tT[reps / 2] / 1e6, tB[reps / 2] / 1e6, reps, same, chk > 0 ? "" : " ");
        }
    }

    static void buildTable(float[] fac, int rows, int k, double[] table) {
        int d = k + 1, P = d * (d + 1) / 2;
        for (int j = 0; j < rows; j++) {
            int o = j * P, b = j * k;
            int q = o;
            for (int x = 0; x < k; x++) {
                double vx = fac[b + x];
                for (int y = 0; y <= x; y++) table[q++] = vx * fac[b + y];
            }
            for (int y = 0; y < k; y++) table[q++] = fac[b + y];
            table[q] = 1.0;
        }
    }

    static void addTableV(double[] acc, double[] rhs, double[] table, int P, int d, int[] idx, int from, int to, double[] ts) {
        int last = P - d;
        int L = S.length();
        int p = from;
        for (; p + 4 <= to; p += 4) {
            int o0 = idx[p] * P, o1 = idx[p + 1] * P, o2 = idx[p + 2] * P, o3 = idx[p + 3] * P;
            int q = 0;
            for (; q + L <= P; q += L) {
                DoubleVector.fromArray(S, acc, q).add(DoubleVector.fromArray(S, table, o0 + q)).add(DoubleVector.fromArray(S, table, o1 + q))
                   .add(DoubleVector.fromArray(S, table, o2 + q)).add(DoubleVector.fromArray(S, table, o3 + q)).intoArray(acc, q);
            }
            for (; q < P; q++) acc[q] = acc[q] + table[o0 + q] + table[o1 + q] + table[o2 + q] + table[o3 + q];
            double t0 = ts[p - from], t1 = ts[p - from + 1], t2 = ts[p - from + 2], t3 = ts[p - from + 3];
            o0 += last; o1 += last; o2 += last; o3 += last;
            for (int x = 0; x < d; x++) {
                rhs[x] = rhs[x] + table[o0 + x] * t0 + table[o1 + x] * t1 + table[o2 + x] * t2 + table[o3 + x] * t3;
            }
        }
        for (; p < to; p++) {
            int o = idx[p] * P;
            for (int q = 0; q < P; q++) acc[q] += table[o + q];
            double t = ts[p - from];
            o += last;
            for (int x = 0; x < d; x++) rhs[x] += table[o + x] * t;
        }
    }

    static void addTableF(double[] acc, double[] rhs, float[] table, int P, int d, int[] idx, int from, int to, double[] ts) {
        int last = P - d;
        int p = from;
        for (; p + 4 <= to; p += 4) {
            int o0 = idx[p] * P, o1 = idx[p + 1] * P, o2 = idx[p + 2] * P, o3 = idx[p + 3] * P;
            for (int q = 0; q < P; q++) {
                acc[q] = acc[q] + (double) table[o0 + q] + (double) table[o1 + q] + (double) table[o2 + q] + (double) table[o3 + q];
            }
            double t0 = ts[p - from], t1 = ts[p - from + 1], t2 = ts[p - from + 2], t3 = ts[p - from + 3];
            o0 += last; o1 += last; o2 += last; o3 += last;
            for (int x = 0; x < d; x++) {
                rhs[x] = rhs[x] + table[o0 + x] * t0 + table[o1 + x] * t1 + table[o2 + x] * t2 + table[o3 + x] * t3;
            }
        }
        for (; p < to; p++) {
            int o = idx[p] * P;
            for (int q = 0; q < P; q++) acc[q] += table[o + q];
            double t = ts[p - from];
            o += last;
            for (int x = 0; x < d; x++) rhs[x] += table[o + x] * t;
        }
    }

    static void addTable(double[] acc, double[] rhs, double[] table, int P, int d, int[] idx, int from, int to, double[] ts) {
        int last = P - d;
        int p = from;
        for (; p + 4 <= to; p += 4) {
            int o0 = idx[p] * P, o1 = idx[p + 1] * P, o2 = idx[p + 2] * P, o3 = idx[p + 3] * P;
            for (int q = 0; q < P; q++) {
                acc[q] = acc[q] + table[o0 + q] + table[o1 + q] + table[o2 + q] + table[o3 + q];
            }
            double t0 = ts[p - from], t1 = ts[p - from + 1], t2 = ts[p - from + 2], t3 = ts[p - from + 3];
            o0 += last; o1 += last; o2 += last; o3 += last;
            for (int x = 0; x < d; x++) {
                rhs[x] = rhs[x] + table[o0 + x] * t0 + table[o1 + x] * t1 + table[o2 + x] * t2 + table[o3 + x] * t3;
            }
        }
        for (; p < to; p++) {
            int o = idx[p] * P;
            for (int q = 0; q < P; q++) acc[q] += table[o + q];
            double t = ts[p - from];
            o += last;
            for (int x = 0; x < d; x++) rhs[x] += table[o + x] * t;
        }
    }
}
