package org.varec.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.varec.linalg.OuterTable;
import org.varec.model.ParamSpec;
import org.varec.model.als.AlsConfig;
import org.varec.model.als.RidgeSolver;
import org.varec.stats.Normal;
import org.varec.train.EpochReport;
import org.varec.util.Parallel;

/**
 * ALS with user and item biases on Spark: the model, objective and row solves of varec-core's
 * {@code als} ({@link org.varec.model.als.AlsTrainer}, "Matrix factorization in action", Algorithm 1,
 * eqs (5)-(10)), distributed with MLlib's block layout ({@link BlockLayout}). It minimises
 * <pre>
 *   J = lambda/2 sum_(u,i) (r_ui - mu - x_u.y_i - b_u - b_i)^2 + tau/2 (sum_u ||x_u||^2 + sum_i ||y_i||^2)
 *       + gamma/2 (sum_u b_u^2 + sum_i b_i^2)
 * </pre>
 * with {@code mu} the training mean (fixed). One iteration solves every user's (x_u, b_u) given the
 * items, then every item's given the users, each row by core's {@link RidgeSolver} (the (K+1)x(K+1)
 * ridge system of eqs (7)+(8), Gram in double, Cholesky): exactly core's sweep, so J never increases
 * and, from the same starting factors, the two agree to float rounding (summation order within a row
 * may differ). Rows travel between blocks as K+1 floats (factors then bias).
 *
 * <p>Params: {@code rank} (K, 10), {@code maxIter} (sweeps, 50; core's {@code iterations}),
 * {@code lambda} (1), {@code tau} (12), {@code gamma} (4), {@code initStdev} (0.1), with the ranges of
 * core's {@link AlsConfig}; plus the layout params of {@link BlockEstimator}. The initial item factors
 * are {@code N(0, initStdev^2)} drawn per item id from the seed (independent of the block counts), or
 * taken from {@link #setInitialModel}.
 */
public final class VarecALS extends BlockEstimator<VarecALSModel, VarecALS> {
    private static final long serialVersionUID = 1L;
    private VarecALSModel initialModel;

    public VarecALS() {
        this(Identifiable.randomUID("varecALS"));
    }

    public VarecALS(String uid) {
        super(uid, "als");
        AlsConfig d = AlsConfig.defaults();
        modelDefaults(d.rank(), d.iterations(), d.lambda(), d.tau(), d.gamma(), d.initStdev());
    }

    /** Sets every model hyper-parameter from a core config (e.g. parsed from {@code --set name=value}). */
    public VarecALS setConfig(AlsConfig c) {
        return setRank(c.rank()).setMaxIter(c.iterations()).setLambda(c.lambda()).setTau(c.tau()).setGamma(c.gamma())
                .setInitStdev(c.initStdev());
    }

    /**
     * Starts from this model's item factors and biases (items it lacks start at random): a warm start,
     * or the same starting point as a single-node run for comparisons.
     */
    public VarecALS setInitialModel(VarecALSModel m) {
        this.initialModel = m;
        return this;
    }

    /** The core config these params make, validated with core's ranges. */
    public AlsConfig config() {
        return ParamSpec.of(AlsConfig.class).validate(new AlsConfig((Integer) $(rank), (Double) $(lambda),
                (Double) $(tau), (Double) $(gamma), (Integer) $(maxIter), (Double) $(initStdev)));
    }

    @Override
    public VarecALSModel fit(Dataset<?> data) {
        AlsConfig c = config();
        SparkSession spark = data.sparkSession();
        requireCheckpointDir(spark);
        long t0 = System.nanoTime();
        RatingInput.Summary sum = RatingInput.validate(data, getUserCol(), getItemCol(), getRatingCol());
        BlockLayout layout = BlockLayout.build(RatingInput.triples(data, getUserCol(), getItemCol(), getRatingCol()),
                getNumUserBlocks(), getNumItemBlocks(), StorageLevel.MEMORY_AND_DISK());
        final int k = c.rank();
        final int w = k + 1;
        JavaPairRDD<Integer, float[]> items = initialRows(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                layout.itemIn, k, getSeed(), c.initStdev(), initialModel).persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<Integer, float[]> users = null;
        BlockLayout.BlockUpdate<float[]> solve = solver(k, sum.mean(), c.lambda(), c.tau(), c.gamma());
        List<EpochReport> history = new ArrayList<>();
        int every = getCheckpointInterval();
        for (int it = 1; it <= c.iterations(); it++) {
            long s0 = System.nanoTime();
            JavaPairRDD<Integer, float[]> nu = BlockLayout.halfSweep(layout.itemOut, items, w, layout.userIn,
                    layout.userPart, solve).persist(StorageLevel.MEMORY_AND_DISK());
            JavaPairRDD<Integer, float[]> ni = BlockLayout.halfSweep(layout.userOut, nu, w, layout.itemIn,
                    layout.itemPart, solve).persist(StorageLevel.MEMORY_AND_DISK());
            if (every > 0 && it % every == 0) {
                ni.checkpoint(); // the item factors carry the whole lineage: cut it here
            }
            ni.count();
            if (users != null) {
                users.unpersist(false);
            }
            items.unpersist(false);
            users = nu;
            items = ni;
            history.add(EpochReport.builder(it).build((System.nanoTime() - s0) / 1e9));
        }
        VarecALSModel model = VarecALSModel.of(spark, uid(), c, sum, layout, users, items,
                (System.nanoTime() - t0) / 1e9, history, getSeed());
        if (users != null) {
            users.unpersist(false);
        }
        items.unpersist(false);
        layout.unpersist();
        return copyValues(model.setParent(this), ParamMap.empty());
    }

    /** The block update of ALS: each row's (x, b) by core's ridge solve given the received rows. */
    static BlockLayout.BlockUpdate<float[]> solver(int k, double mu, double lambda, double tau, double gamma) {
        return (in, recv) -> {
            int n = in.recvRows();
            int w = k + 1;
            float[] f = new float[n * k];
            float[] b = new float[n];
            for (int r = 0; r < n; r++) {
                System.arraycopy(recv, r * w, f, r * k, k);
                b[r] = recv[r * w + k];
            }
            float[] out = new float[in.numRows() * w];
            RidgeSolver rs = new RidgeSolver(k, true);
            int[] ptr = in.ptr();
            // the received rows' outer products from a table where it fits the cache, as core's ALS
            // (docs/als.md, "The Gram matrices summed from a table of outer products")
            OuterTable table = null;
            if (OuterTable.pays(k, n)) {
                table = new OuterTable(k);
                table.fill(f, n, Parallel.SERIAL);
            }
            for (int r = 0; r < in.numRows(); r++) {
                out[r * w + k] = (float) (table != null
                        ? rs.solve(table, b, in.pos(), in.ratings(), ptr[r], ptr[r + 1], mu, lambda, tau, gamma, null, 0,
                                out, r * w)
                        : rs.solve(f, b, in.pos(), in.ratings(), ptr[r], ptr[r + 1], mu, lambda, tau, gamma, null, 0,
                                out, r * w));
            }
            return out;
        };
    }

    /** Initial item rows: from the initial model where it has the item, else N(0, sd^2) from (seed, id); bias 0. */
    static JavaPairRDD<Integer, float[]> initialRows(JavaSparkContext jsc, JavaPairRDD<Integer, BlockLayout.InBlock> in,
                                                    int k, long seed, double sd, VarecALSModel initial) {
        Broadcast<Map<Integer, float[]>> init = null;
        if (initial != null) {
            if (initial.rank() != k) {
                throw new IllegalArgumentException("initial model has rank " + initial.rank() + ", not " + k);
            }
            init = jsc.broadcast(new HashMap<>(initial.itemRows()));
        }
        Broadcast<Map<Integer, float[]>> given = init;
        return in.mapValues(b -> {
            int w = k + 1;
            float[] out = new float[b.numRows() * w];
            Map<Integer, float[]> m = given == null ? null : given.value();
            for (int r = 0; r < b.numRows(); r++) {
                float[] row = m == null ? null : m.get(b.ids()[r]);
                if (row != null) {
                    System.arraycopy(row, 0, out, r * w, w);
                    continue;
                }
                SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b.ids()[r]);
                for (int x = 0; x < k; x++) {
                    out[r * w + x] = (float) (sd * Normal.boxMuller(rnd));
                }
            }
            return out;
        });
    }

    @Override
    public VarecALS copy(ParamMap extra) {
        VarecALS c = copyValues(new VarecALS(uid()), extra);
        c.initialModel = initialModel;
        return c;
    }
}
