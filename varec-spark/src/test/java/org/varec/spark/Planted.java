package org.varec.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.varec.data.IdIndex;
import org.varec.data.Interactions;

/**
 * A small planted dataset: {@code r = 3 + b_u + b_i + x_u.y_i + N(0, noise^2)} with rank-{@code k}
 * factors of scale 1/sqrt(k)... on a random subset of the user x item grid, split into train and a
 * held-out test set. User id = dense user index, item id = dense item index, so core and Spark
 * index the same way.
 */
record Planted(int numUsers, int numItems, int k, float[] userF, float[] itemF, float[] userB, float[] itemB,
               int[] u, int[] i, float[] r, int[] tu, int[] ti, float[] tr) {

    static Planted make(int nu, int ni, int k, double density, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] uf = gauss(rnd, nu * k, 1 / Math.sqrt(k) * 1.2);
        float[] vf = gauss(rnd, ni * k, 1 / Math.sqrt(k) * 1.2);
        float[] ub = gauss(rnd, nu, 0.4);
        float[] vb = gauss(rnd, ni, 0.4);
        List<float[]> train = new ArrayList<>();
        List<float[]> test = new ArrayList<>();
        for (int a = 0; a < nu; a++) {
            for (int b = 0; b < ni; b++) {
                if (rnd.nextDouble() >= density) {
                    continue;
                }
                double v = 3 + ub[a] + vb[b] + noise * org.varec.stats.Normal.boxMuller(rnd);
                for (int x = 0; x < k; x++) {
                    v += uf[a * k + x] * vf[b * k + x];
                }
                (rnd.nextDouble() < 0.9 ? train : test).add(new float[] {a, b, (float) v});
            }
        }
        return new Planted(nu, ni, k, uf, vf, ub, vb, col(train, 0), col(train, 1), val(train), col(test, 0),
                col(test, 1), val(test));
    }

    private static float[] gauss(SplittableRandom rnd, int n, double sd) {
        float[] f = new float[n];
        for (int p = 0; p < n; p++) {
            f[p] = (float) (sd * org.varec.stats.Normal.boxMuller(rnd));
        }
        return f;
    }

    private static int[] col(List<float[]> l, int c) {
        int[] a = new int[l.size()];
        for (int p = 0; p < a.length; p++) {
            a[p] = (int) l.get(p)[c];
        }
        return a;
    }

    private static float[] val(List<float[]> l) {
        float[] a = new float[l.size()];
        for (int p = 0; p < a.length; p++) {
            a[p] = l.get(p)[2];
        }
        return a;
    }

    static final StructType SCHEMA = new StructType().add("user", DataTypes.IntegerType)
            .add("item", DataTypes.IntegerType).add("rating", DataTypes.FloatType);

    Dataset<Row> train(SparkSession spark) {
        return frame(spark, u, i, r);
    }

    Dataset<Row> test(SparkSession spark) {
        return frame(spark, tu, ti, tr);
    }

    static Dataset<Row> frame(SparkSession spark, int[] u, int[] i, float[] r) {
        List<Row> rows = new ArrayList<>(u.length);
        for (int p = 0; p < u.length; p++) {
            rows.add(RowFactory.create(u[p], i[p], r[p]));
        }
        return spark.createDataFrame(rows, SCHEMA).repartition(3);
    }

    /** The training ratings in core's dense indexing (index = id). */
    Interactions interactions() {
        return new Interactions(numUsers, numItems, u.clone(), i.clone(), r.clone(), false);
    }

    static IdIndex index(int n) {
        IdIndex x = new IdIndex();
        for (int p = 0; p < n; p++) {
            x.addNumeric(p);
        }
        return x;
    }
}
