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
import org.varec.model.ParamSpec;
import org.varec.model.vb.VbmfConfig;
import org.varec.model.vb.VbmfDistributed;
import org.varec.stats.Normal;
import org.varec.train.EpochReport;

/**
 * Mean-field variational Bayes MF with biases on Spark: varec-core's {@code vbmf} CAVI
 * ({@link org.varec.model.vb.VbmfTrainer}, docs/vbmf.md: row updates (V1)-(V4), empirical-Bayes
 * updates (H0)-(H4), ELBO (E)) over MLlib's block layout ({@link BlockLayout}), diagonal or full
 * posterior covariances (core's {@code covariance} param, through {@link #setConfig}). A row travels as
 * {@code K + C + 2} floats: mean (K), covariance (C = K variances, or with {@code covariance=full} the
 * upper triangle of the K x K covariance row by row, C = K(K+1)/2), bias mean, bias variance.
 *
 * <p>One sweep: users' posteriors given the items, then items' given the users, each row by core's
 * {@code RowPosterior} through {@link VbmfDistributed.Rows}; every block adds its rows' moments
 * and (on the item half-sweep, where each item block holds the fresh user rows it needs) its ratings'
 * expected squared errors, so the statistics cost no extra shuffle. The driver sums the blocks'
 * statistics, applies core's hyper-parameter updates and computes the ELBO: noise, prior and bias
 * precisions are learned cluster-wide each sweep, and the ELBO (never decreasing, up to float
 * rounding) is the {@code elbo} figure of each sweep in the model's history.
 *
 * <p>Params: {@code rank} (20), {@code maxIter} (core's {@code iterations}, 200), {@code lambda},
 * {@code tau}, {@code gamma} (2: starting values of the learned precisions), {@code initStdev} (0.1);
 * the rest of core's {@link VbmfConfig} (prior, learn_* switches) through {@link #setConfig}. The
 * convergence rule {@code tol} is not applied: the run does {@code maxIter} sweeps.
 */
public final class VariationalALS extends BlockEstimator<VariationalALSModel, VariationalALS> {
    private static final long serialVersionUID = 1L;
    private VbmfConfig base = VbmfConfig.defaults();
    private Map<Integer, float[]> initialItems;

    public VariationalALS() {
        this(Identifiable.randomUID("variationalALS"));
    }

    public VariationalALS(String uid) {
        super(uid, "vbmf");
        VbmfConfig d = VbmfConfig.defaults();
        modelDefaults(d.rank(), d.iterations(), d.lambda(), d.tau(), d.gamma(), d.initStdev());
    }

    /** All of core's vbmf config: the typed params from it, the rest (prior, learn_*) kept as given. */
    public VariationalALS setConfig(VbmfConfig c) {
        base = c;
        return setRank(c.rank()).setMaxIter(c.iterations()).setLambda(c.lambda()).setTau(c.tau()).setGamma(c.gamma())
                .setInitStdev(c.initStdev());
    }

    /** Item rows ({@link #rowWidth} floats: means, packed covariance, bias mean, bias variance) to start from, by id (tests, warm starts). */
    VariationalALS setInitialItems(Map<Integer, float[]> rows) {
        this.initialItems = rows;
        return this;
    }

    /** The core config of these params, validated with core's ranges. */
    public VbmfConfig config() {
        VbmfConfig b = base;
        return ParamSpec.of(VbmfConfig.class).validate(new VbmfConfig((Integer) $(rank), b.covariance(), b.prior(),
                (Integer) $(maxIter), b.tol(), (Double) $(lambda), (Double) $(tau), (Double) $(gamma), b.learnLambda(),
                b.learnTau(), b.learnGamma(), b.learnMu(), (Double) $(initStdev)));
    }

    /** Floats per row message: mean, packed covariance ({@link VbmfDistributed#packedLength}), bias mean and variance. */
    static int rowWidth(int k, boolean full) {
        return k + VbmfDistributed.packedLength(k, full) + 2;
    }

    /** A block's new rows and its share of the sweep statistics. */
    record Updated(float[] rows, double[] stats) implements java.io.Serializable {
    }

    @Override
    public VariationalALSModel fit(Dataset<?> data) {
        VbmfConfig c = config();
        SparkSession spark = data.sparkSession();
        requireCheckpointDir(spark);
        long t0 = System.nanoTime();
        RatingInput.Summary sum = RatingInput.validate(data, getUserCol(), getItemCol(), getRatingCol());
        VbmfDistributed driver = new VbmfDistributed(c, sum.mean());
        BlockLayout layout = BlockLayout.build(RatingInput.triples(data, getUserCol(), getItemCol(), getRatingCol()),
                getNumUserBlocks(), getNumItemBlocks(), StorageLevel.MEMORY_AND_DISK());
        final int k = c.rank();
        final boolean full = c.fullCovariance();
        final int w = rowWidth(k, full);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaPairRDD<Integer, float[]> items = initialRows(jsc, layout.itemIn, k, full, getSeed(), c.initStdev(),
                initialItems).persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<Integer, float[]> users = null;
        long numUsers = layout.userIn.values().map(b -> (long) b.numRows()).fold(0L, Long::sum);
        long numItems = layout.itemIn.values().map(b -> (long) b.numRows()).fold(0L, Long::sum);
        List<EpochReport> history = new ArrayList<>();
        int every = getCheckpointInterval();
        for (int it = 1; it <= c.iterations(); it++) {
            long s0 = System.nanoTime();
            VbmfDistributed.Hyper h = driver.hyper();
            JavaPairRDD<Integer, Updated> nu = BlockLayout.halfSweep(layout.itemOut, items, w, layout.userIn,
                    layout.userPart, update(h, true)).persist(StorageLevel.MEMORY_AND_DISK());
            JavaPairRDD<Integer, float[]> nuRows = nu.mapValues(Updated::rows);
            JavaPairRDD<Integer, Updated> ni = BlockLayout.halfSweep(layout.userOut, nuRows, w, layout.itemIn,
                    layout.itemPart, update(h, false)).persist(StorageLevel.MEMORY_AND_DISK());
            if (every > 0 && it % every == 0) {
                ni.checkpoint();
            }
            double[] st = sumStats(ni, sumStats(nu, new double[VbmfDistributed.statsLength(k)]));
            double elbo = driver.finishSweep(st, (int) numUsers, (int) numItems);
            if (users != null) {
                users.unpersist(false);
            }
            items.unpersist(false);
            users = nuRows;
            items = ni.mapValues(Updated::rows);
            history.add(EpochReport.builder(it).put("elbo", elbo).put("train_rmse", driver.lastTrainRmse())
                    .put("lambda", driver.hyper().lambda()).build((System.nanoTime() - s0) / 1e9));
            unpersistLater.add(nu);
            unpersistLater.add(ni);
            while (unpersistLater.size() > 2) {
                unpersistLater.remove(0).unpersist(false);
            }
        }
        VariationalALSModel model = VariationalALSModel.of(spark, uid(), c, driver, sum, layout, users, items,
                (System.nanoTime() - t0) / 1e9, history, getSeed());
        unpersistLater.forEach(r -> r.unpersist(false));
        unpersistLater.clear();
        layout.unpersist();
        return copyValues(model.setParent(this), ParamMap.empty());
    }

    private final transient List<JavaPairRDD<Integer, Updated>> unpersistLater = new ArrayList<>();

    private static double[] sumStats(JavaPairRDD<Integer, Updated> blocks, double[] into) {
        double[] s = blocks.values().map(Updated::stats).reduce((a, b) -> {
            double[] c = a.clone();
            for (int p = 0; p < c.length; p++) {
                c[p] += b[p];
            }
            return c;
        });
        for (int p = 0; p < into.length; p++) {
            into[p] += s[p];
        }
        return into;
    }

    /** The block update of one side: core's row posterior per row, then the block's statistics. */
    static BlockLayout.BlockUpdate<Updated> update(VbmfDistributed.Hyper h, boolean user) {
        return (in, recv) -> {
            int k = h.k();
            boolean full = h.full();
            int pc = VbmfDistributed.packedLength(k, full);
            int cl = VbmfDistributed.covLength(k, full);
            int w = rowWidth(k, full);
            int n = in.recvRows();
            // the other side's rows unpacked as core stores them: means, covariances (k or k*k), bias means and variances
            float[] om = new float[n * k];
            float[] ov = new float[n * cl];
            float[] ob = new float[n];
            float[] obv = new float[n];
            for (int r = 0; r < n; r++) {
                System.arraycopy(recv, r * w, om, r * k, k);
                VbmfDistributed.unpack(k, full, recv, r * w + k, ov, r * cl);
                ob[r] = recv[r * w + k + pc];
                obv[r] = recv[r * w + k + pc + 1];
            }
            VbmfDistributed.Rows rows = new VbmfDistributed.Rows(h);
            float[] out = new float[in.numRows() * w];
            float[] cov = new float[cl];
            double[] st = new double[VbmfDistributed.statsLength(k)];
            int[] ptr = in.ptr();
            for (int r = 0; r < in.numRows(); r++) {
                int o = r * w;
                double bm = rows.update(user, om, ov, ob, in.pos(), in.ratings(), ptr[r], ptr[r + 1], out, o, cov, 0);
                VbmfDistributed.pack(k, full, cov, 0, out, o + k);
                float bmf = (float) bm;
                float bvf = (float) rows.biasVariance(user, ptr[r + 1] - ptr[r]);
                out[o + k + pc] = bmf;
                out[o + k + pc + 1] = bvf;
                rows.addRowMoments(user, st, out, o, cov, 0, bmf, bvf);
                if (!user) {
                    for (int p = ptr[r]; p < ptr[r + 1]; p++) {
                        int q = in.pos()[p];
                        rows.addRating(st, in.ratings()[p], om, q * k, ov, q * cl, ob[q], obv[q], out, o, cov, 0, bmf,
                                bvf);
                    }
                }
            }
            return new Updated(out, st);
        };
    }

    /** Initial item rows: given rows by id, else means N(0, sd^2) from (seed, id), covariance sd^2 I, bias 0. */
    static JavaPairRDD<Integer, float[]> initialRows(JavaSparkContext jsc, JavaPairRDD<Integer, BlockLayout.InBlock> in,
                                                    int k, boolean full, long seed, double sd,
                                                    Map<Integer, float[]> initial) {
        Broadcast<Map<Integer, float[]>> given = initial == null ? null : jsc.broadcast(new HashMap<>(initial));
        float var = (float) (sd * sd);
        return in.mapValues(b -> {
            int w = rowWidth(k, full);
            float[] out = new float[b.numRows() * w];
            float[] cov = new float[VbmfDistributed.covLength(k, full)];
            for (int x = 0; x < k; x++) {
                cov[full ? x * k + x : x] = var;
            }
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
                VbmfDistributed.pack(k, full, cov, 0, out, r * w + k);
                out[r * w + w - 1] = var;
            }
            return out;
        });
    }

    @Override
    public VariationalALS copy(ParamMap extra) {
        VariationalALS c = copyValues(new VariationalALS(uid()), extra);
        c.base = base;
        c.initialItems = initialItems;
        return c;
    }
}
