package org.varec.spark;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.varec.model.vb.VbmfDistributed;

/**
 * Top-N items per user as MLlib's {@code recommendForUserSubset}, with the predictive standard
 * deviation of each recommended item when the model has one. The items' rows are broadcast (a
 * catalog of a few million items at rank 10-50 is some hundreds of MB at most); users stay
 * distributed, each scored against every item in its partition with a bounded heap.
 */
final class TopN {
    static final StructType REC = new StructType().add("item", DataTypes.IntegerType, false)
            .add("prediction", DataTypes.DoubleType, false).add("std", DataTypes.DoubleType, true);

    private TopN() {
    }

    /**
     * Item rows on the driver: ids, means (k per item), covariances (k variances or k x k per item, as
     * core stores them; or null), bias means, bias variances (or null).
     */
    record Items(int[] ids, float[] mean, float[] var, float[] bias, float[] biasVar) implements Serializable {
        static Items collect(Dataset<Row> d, int k, boolean variational) {
            return collect(d, k, variational, false);
        }

        static Items collect(Dataset<Row> d, int k, boolean variational, boolean full) {
            List<Row> rows = d.collectAsList();
            int n = rows.size();
            int cl = VbmfDistributed.covLength(k, full);
            float[] packed = new float[VbmfDistributed.packedLength(k, full)];
            Items it = new Items(new int[n], new float[n * k], variational ? new float[n * cl] : null, new float[n],
                    variational ? new float[n] : null);
            for (int p = 0; p < n; p++) {
                Row r = rows.get(p);
                it.ids[p] = r.getInt(0);
                List<Float> m = r.getList(1);
                List<Float> v = variational ? r.getList(2) : null;
                for (int x = 0; x < k; x++) {
                    it.mean[p * k + x] = m.get(x);
                }
                if (v != null) {
                    for (int x = 0; x < packed.length; x++) {
                        packed[x] = v.get(x);
                    }
                    VbmfDistributed.unpack(k, full, packed, 0, it.var, p * cl);
                }
                it.bias[p] = r.getFloat(variational ? 3 : 2);
                if (variational) {
                    it.biasVar[p] = r.getFloat(4);
                }
            }
            return it;
        }
    }

    /**
     * {@code users}: (user id, mean array, [var array,] bias, [biasVar]) rows of the users wanted;
     * returns (user, recommendations array of (item, prediction, std)), best first by predictive mean.
     */
    static Dataset<Row> recommend(Dataset<Row> users, Broadcast<Items> items, int k, int n, double mu, double noiseVar,
                                  boolean variational) {
        return recommend(users, items, k, n, mu, noiseVar, variational, false);
    }

    /** As above; {@code full}: the variational rows carry packed full covariances. */
    static Dataset<Row> recommend(Dataset<Row> users, Broadcast<Items> items, int k, int n, double mu, double noiseVar,
                                  boolean variational, boolean full) {
        StructType out = new StructType().add("user", DataTypes.IntegerType, false)
                .add("recommendations", DataTypes.createArrayType(REC, false), false);
        return users.mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) it ->
                score(it, items.value(), k, n, mu, noiseVar, variational, full), Encoders.row(out));
    }

    private static Iterator<Row> score(Iterator<Row> it, Items items, int k, int n, double mu, double noiseVar,
                                       boolean variational, boolean full) {
        List<Row> out = new ArrayList<>();
        int ni = items.ids().length;
        int cl = VbmfDistributed.covLength(k, full);
        float[] um = new float[k];
        float[] packed = new float[VbmfDistributed.packedLength(k, full)];
        float[] uv = new float[cl];
        while (it.hasNext()) {
            Row r = it.next();
            List<Float> m = r.getList(1);
            List<Float> v = variational ? r.getList(2) : null;
            for (int x = 0; x < k; x++) {
                um[x] = m.get(x);
            }
            if (v != null) {
                for (int x = 0; x < packed.length; x++) {
                    packed[x] = v.get(x);
                }
                VbmfDistributed.unpack(k, full, packed, 0, uv, 0);
            }
            double ub = r.getFloat(variational ? 3 : 2);
            PriorityQueue<double[]> heap = new PriorityQueue<>(n + 1, (a, b) -> Double.compare(a[1], b[1]));
            for (int i = 0; i < ni; i++) {
                double s = mu + ub + items.bias()[i];
                int o = i * k;
                for (int x = 0; x < k; x++) {
                    s += (double) um[x] * items.mean()[o + x];
                }
                if (heap.size() < n || s > heap.peek()[1]) {
                    heap.add(new double[] {i, s});
                    if (heap.size() > n) {
                        heap.poll();
                    }
                }
            }
            Row[] recs = new Row[heap.size()];
            for (int p = recs.length - 1; p >= 0; p--) {
                double[] e = heap.poll();
                int i = (int) e[0];
                Double sd = null;
                if (variational) {
                    // core's VbmfModel.predictive: 1/lambda + Var b_u + Var b_i + Var[u.v]
                    sd = Math.sqrt(noiseVar + r.getFloat(4) + items.biasVar()[i] + VbmfDistributed.varDot(k, full, um,
                            0, uv, 0, items.mean(), i * k, items.var(), i * cl));
                }
                recs[p] = RowFactory.create(items.ids()[i], e[1], sd);
            }
            out.add(RowFactory.create(r.getInt(0), recs));
        }
        return out.iterator();
    }

    /** The factor rows of the users listed in {@code subset}'s column {@code userCol}. */
    static Dataset<Row> usersIn(Dataset<Row> factors, Dataset<?> subset, String userCol) {
        Dataset<Row> ids = subset.select(RatingInput.intId(userCol).as("__id")).distinct();
        return factors.join(ids, col("id").equalTo(col("__id")), "left_semi");
    }
}
