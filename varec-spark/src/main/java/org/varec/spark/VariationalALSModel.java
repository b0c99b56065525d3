package org.varec.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.varec.data.IdIndex;
import org.varec.data.RatingScale;
import org.varec.io.ModelFile;
import org.varec.io.Provenance;
import org.varec.io.Version;
import org.varec.model.TrainedModel;
import org.varec.model.vb.VbmfConfig;
import org.varec.model.vb.VbmfDistributed;
import org.varec.model.vb.VbmfModel;
import org.varec.train.EpochReport;

/**
 * A fitted {@link VariationalALS}: posterior means and variances of every factor row and bias as
 * DataFrames ({@code id, mean array<float>, var array<float>, bias, biasVar}; with
 * {@code covariance=full}, {@code var} is the upper triangle of the K x K covariance, row by row,
 * K(K+1)/2 floats). {@link #transform} adds
 * the predictive mean (clamped to the training range, as core) and the predictive standard deviation
 * {@code sqrt(1/lambda + Var b_u + Var b_i + Var[x.y])} (core's {@code VbmfModel.predictive}); unknown
 * users or items take the prior's row (as core). {@link #toVarec} writes core's {@code vbmf} model file,
 * {@link #fromVarec} reads one back.
 */
public final class VariationalALSModel extends Model<VariationalALSModel> {
    private static final long serialVersionUID = 1L;
    static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("id", DataTypes.IntegerType, false),
            DataTypes.createStructField("mean", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("var", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("bias", DataTypes.FloatType, false),
            DataTypes.createStructField("biasVar", DataTypes.FloatType, false)});
    private final String uid;
    public final Param<String> userCol;
    public final Param<String> itemCol;
    public final Param<String> predictionCol;
    public final Param<String> stdCol;
    private final VbmfConfig config;
    private final transient VbmfDistributed driver;
    private final VbmfDistributed.Hyper hyper;
    private final RatingScale scale;
    private final transient Dataset<Row> users;
    private final transient Dataset<Row> items;
    private final VarecALSModel.FitInfo info;

    VariationalALSModel(String uid, VbmfConfig config, VbmfDistributed driver, RatingScale scale, Dataset<Row> users,
                        Dataset<Row> items, VarecALSModel.FitInfo info) {
        this.uid = uid;
        this.config = config;
        this.driver = driver;
        this.hyper = driver.hyper();
        this.scale = scale;
        this.users = users;
        this.items = items;
        this.info = info;
        userCol = new Param<>(uid, "userCol", "column of user ids");
        itemCol = new Param<>(uid, "itemCol", "column of item ids");
        predictionCol = new Param<>(uid, "predictionCol", "output column of predictive means");
        stdCol = new Param<>(uid, "stdCol", "output column of predictive standard deviations");
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(predictionCol, "prediction");
        setDefault(stdCol, "std");
    }

    static VariationalALSModel of(SparkSession spark, String uid, VbmfConfig c, VbmfDistributed driver,
                                  RatingInput.Summary sum, BlockLayout layout, JavaPairRDD<Integer, float[]> u,
                                  JavaPairRDD<Integer, float[]> i, double seconds, List<EpochReport> history,
                                  long seed) {
        int k = c.rank();
        VarecALSModel.FitInfo info = new VarecALSModel.FitInfo(sum.count(), sum.fingerprint(), seed,
                spark.sparkContext().defaultParallelism(), seconds, history, "spark");
        boolean full = c.fullCovariance();
        return new VariationalALSModel(uid, c, driver, new RatingScale(sum.min(), sum.max()),
                frame(spark, layout.userIn, u, k, full), frame(spark, layout.itemIn, i, k, full), info);
    }

    private static Dataset<Row> frame(SparkSession spark, JavaPairRDD<Integer, BlockLayout.InBlock> in,
                                      JavaPairRDD<Integer, float[]> rows, int k, boolean full) {
        JavaRDD<Row> r = in.join(rows).values().flatMap(t -> {
            int[] ids = t._1.ids();
            List<Row> out = new ArrayList<>(ids.length);
            for (int p = 0; p < ids.length; p++) {
                out.add(row(ids[p], t._2, p * VariationalALS.rowWidth(k, full), k, full));
            }
            return out.iterator();
        });
        return persisted(spark.createDataFrame(r, SCHEMA));
    }

    private static Dataset<Row> persisted(Dataset<Row> df) {
        df = df.persist(StorageLevel.MEMORY_AND_DISK());
        df.count();
        return df;
    }

    /** A posterior row of the DataFrames from a row message ({@link VariationalALS#rowWidth} floats at {@code o}). */
    private static Row row(int id, float[] f, int o, int k, boolean full) {
        int pc = VbmfDistributed.packedLength(k, full);
        Float[] m = new Float[k];
        Float[] v = new Float[pc];
        for (int x = 0; x < k; x++) {
            m[x] = f[o + x];
        }
        for (int x = 0; x < pc; x++) {
            v[x] = f[o + k + x];
        }
        return RowFactory.create(id, m, v, f[o + k + pc], f[o + k + pc + 1]);
    }

    /**
     * A varec {@code vbmf} model file's posteriors as a Spark model (integer ids only): transform,
     * evaluate and top-N as a fitted one, and {@link #toVarec} writes it back unchanged.
     */
    public static VariationalALSModel fromVarec(SparkSession spark, TrainedModel t) {
        if (!(t.model() instanceof VbmfModel m)) {
            throw new IllegalArgumentException("not a vbmf model: " + t.algorithm());
        }
        VbmfConfig c = (VbmfConfig) t.config();
        int k = m.rank();
        boolean full = m.fullCovariance();
        Provenance p = t.provenance();
        VarecALSModel.FitInfo info = new VarecALSModel.FitInfo(p.ratings(), p.fingerprint(), p.seed(), p.threads(),
                p.fitSeconds(), p.history(), p.dataset());
        return new VariationalALSModel(Identifiable.randomUID("variationalALS"), c, VbmfDistributed.of(m, c),
                t.scale(), imported(spark, t.users(), m.userFactors(), m.userCovariances(), m.userBiases(),
                m.userBiasVariances(), k, full), imported(spark, t.items(), m.itemFactors(), m.itemCovariances(),
                m.itemBiases(), m.itemBiasVariances(), k, full), info);
    }

    private static Dataset<Row> imported(SparkSession spark, IdIndex ids, float[] mean, float[] cov, float[] bias,
                                         float[] biasVar, int k, boolean full) {
        int w = VariationalALS.rowWidth(k, full);
        int cl = VbmfDistributed.covLength(k, full);
        float[] msg = new float[w];
        List<Row> rows = new ArrayList<>(ids.size());
        for (int p = 0; p < ids.size(); p++) {
            System.arraycopy(mean, p * k, msg, 0, k);
            VbmfDistributed.pack(k, full, cov, p * cl, msg, k);
            msg[w - 2] = bias[p];
            msg[w - 1] = biasVar[p];
            rows.add(row(VarecALSModel.intId(ids.externalId(p)), msg, 0, k, full));
        }
        return persisted(spark.createDataFrame(rows, SCHEMA));
    }

    @Override
    public org.apache.spark.ml.param.Param<?>[] params() {
        return ParamFields.of(this);
    }

    /**
     * The {@code n} items of highest predicted rating for each user of {@code subset} (column
     * {@code userCol}; unknown users are left out), as (user, recommendations array of (item,
     * prediction, std)), best first; rated items are not excluded. Predictions are not clamped here.
     */
    public Dataset<Row> recommendForUserSubset(Dataset<?> subset, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        org.apache.spark.broadcast.Broadcast<TopN.Items> b = org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(subset.sparkSession().sparkContext()).broadcast(TopN.Items.collect(items, config.rank(), true, config.fullCovariance()));
        return TopN.recommend(TopN.usersIn(users, subset, getOrDefault(userCol)), b, config.rank(), n, hyper.mu(),
                1 / hyper.lambda(), true, config.fullCovariance());
    }

    @Override
    public String uid() {
        return uid;
    }

    public VbmfConfig config() {
        return config;
    }

    public Dataset<Row> userPosteriors() {
        return users;
    }

    public Dataset<Row> itemPosteriors() {
        return items;
    }

    /** One report per sweep: {@code elbo}, {@code train_rmse}, {@code lambda}, seconds. */
    public List<EpochReport> history() {
        return info.history();
    }

    /** The learned noise precision. */
    public double lambda() {
        return hyper.lambda();
    }

    public VariationalALSModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public VariationalALSModel setStdCol(String v) {
        set(stdCol, v);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        RatingInput.checkIdType(schema, "userCol", getOrDefault(userCol));
        RatingInput.checkIdType(schema, "itemCol", getOrDefault(itemCol));
        return VarecALSModel.withPrediction(schema, getOrDefault(predictionCol))
                .add(getOrDefault(stdCol), DataTypes.DoubleType, false);
    }

    /** The prior's row (a side without ratings: core's row of an unknown id), mean and packed covariance. */
    private static Column[] priorRow(VbmfDistributed.Hyper h, boolean user) {
        int k = h.k();
        boolean full = h.full();
        float[] m = new float[k];
        float[] cov = new float[VbmfDistributed.covLength(k, full)];
        new VbmfDistributed.Rows(h).update(user, new float[0], new float[0], new float[0], new int[0], new float[0], 0,
                0, m, 0, cov, 0);
        float[] packed = new float[VbmfDistributed.packedLength(k, full)];
        VbmfDistributed.pack(k, full, cov, 0, packed, 0);
        Column[] mc = new Column[k];
        Column[] vc = new Column[packed.length];
        for (int x = 0; x < k; x++) {
            mc[x] = lit(m[x]);
        }
        for (int x = 0; x < packed.length; x++) {
            vc[x] = lit(packed[x]);
        }
        return new Column[] {array(mc), array(vc)};
    }

    /**
     * Var[u.v] = m_u^T S_v m_u + m_v^T S_u m_v + tr(S_u S_v) over the packed upper triangles (off-diagonal
     * entries counted twice): one SQL aggregate over the K(K+1)/2 positions (core's {@code RowPosterior.varDot}).
     */
    private static Column fullVarDot(int k) {
        StringBuilder xs = new StringBuilder();
        StringBuilder ys = new StringBuilder();
        StringBuilder ws = new StringBuilder();
        for (int x = 0; x < k; x++) {
            for (int y = x; y < k; y++) {
                String sep = xs.isEmpty() ? "" : ", ";
                xs.append(sep).append(x);
                ys.append(sep).append(y);
                ws.append(sep).append(x == y ? "1.0D" : "2.0D");
            }
        }
        return expr("aggregate(arrays_zip(array(" + xs + "), array(" + ys + "), array(" + ws + "), __uv, __iv), "
                + "cast(0 as double), (a, z) -> a + z.`2` * (cast(z.__iv as double) * __um[z.`0`] * __um[z.`1`] "
                + "+ cast(z.__uv as double) * __im[z.`0`] * __im[z.`1`] + cast(z.__uv as double) * z.__iv))");
    }

    @Override
    public Dataset<Row> transform(Dataset<?> data) {
        transformSchema(data.schema());
        int k = config.rank();
        Column[] pu = priorRow(hyper, true);
        Column[] pv = priorRow(hyper, false);
        Dataset<Row> u = users.select(col("id").as("__u"), col("mean").as("__um"), col("var").as("__uv"),
                col("bias").as("__ub"), col("biasVar").as("__ubv"));
        Dataset<Row> i = items.select(col("id").as("__i"), col("mean").as("__im"), col("var").as("__iv"),
                col("bias").as("__ib"), col("biasVar").as("__ibv"));
        Dataset<Row> j = data.withColumn("__uid", RatingInput.intId(getOrDefault(userCol)))
                .withColumn("__iid", RatingInput.intId(getOrDefault(itemCol)))
                .join(u, col("__uid").equalTo(col("__u")), "left").join(i, col("__iid").equalTo(col("__i")), "left")
                .withColumn("__known_u", col("__u").isNotNull()).withColumn("__known_i", col("__i").isNotNull())
                .withColumn("__um", coalesce(col("__um"), pu[0])).withColumn("__uv", coalesce(col("__uv"), pu[1]))
                .withColumn("__im", coalesce(col("__im"), pv[0])).withColumn("__iv", coalesce(col("__iv"), pv[1]))
                .withColumn("__ub", coalesce(col("__ub").cast(DataTypes.DoubleType), lit(0.0)))
                .withColumn("__ib", coalesce(col("__ib").cast(DataTypes.DoubleType), lit(0.0)))
                .withColumn("__ubv", coalesce(col("__ubv").cast(DataTypes.DoubleType), lit(1 / hyper.gammaU())))
                .withColumn("__ibv", coalesce(col("__ibv").cast(DataTypes.DoubleType), lit(1 / hyper.gammaV())));
        // mean: mu + b_u + b_i + m_u.m_v; Var[u.v] (diagonal) = sum_k m_uk^2 s_vk + m_vk^2 s_uk + s_uk s_vk
        Column dot = expr("aggregate(arrays_zip(__um, __im), cast(0 as double), "
                + "(a, z) -> a + cast(z.__um as double) * cast(z.__im as double))");
        Column vdot = hyper.full() ? fullVarDot(k) : expr("aggregate(arrays_zip(__um, __uv, __im, __iv), cast(0 as double), (a, z) -> a + "
                + "cast(z.__um as double) * z.__um * z.__iv + cast(z.__im as double) * z.__im * z.__uv "
                + "+ cast(z.__uv as double) * z.__iv)");
        Column mean = lit(hyper.mu()).plus(col("__ub")).plus(col("__ib")).plus(dot);
        Column var = lit(1 / hyper.lambda()).plus(col("__ubv")).plus(col("__ibv")).plus(vdot);
        return j.withColumn("__mean", mean).withColumn(getOrDefault(stdCol), sqrt(var))
                .withColumn(getOrDefault(predictionCol), greatest(lit(scale.min()), least(lit(scale.max()),
                        col("__mean"))))
                .drop("__u", "__um", "__uv", "__ub", "__ubv", "__i", "__im", "__iv", "__ib", "__ibv", "__uid", "__iid",
                        "__known_u", "__known_i", "__mean");
    }

    /**
     * RMSE and MAE of the (clamped) predictive means, and the Gaussian predictive's mean negative log
     * density (NLPD) and the coverage of its central {@code level} interval, over {@code test}.
     */
    public record Figures(double rmse, double mae, double nlpd, double coverage, long count) {
    }

    public Figures evaluate(Dataset<?> test, String ratingCol, double level) {
        double z = org.varec.stats.Normal.quantile(0.5 + level / 2);
        String pc = getOrDefault(predictionCol);
        String sc = getOrDefault(stdCol);
        Column r = col(ratingCol).cast(DataTypes.DoubleType);
        Column e = col(pc).minus(r);
        Column nlpd = lit(0.5 * Math.log(2 * Math.PI)).plus(org.apache.spark.sql.functions.log(col(sc))).plus(pow(e, 2).divide(pow(col(sc), 2).multiply(2)));
        Row a = transform(test).agg(avg(pow(e, 2)), avg(abs(e)), avg(nlpd),
                avg(when(abs(e).leq(col(sc).multiply(z)), 1.0).otherwise(0.0)), count(lit(1))).head();
        return new Figures(Math.sqrt(a.getDouble(0)), a.getDouble(1), a.getDouble(2), a.getDouble(3), a.getLong(4));
    }

    /** Core's {@code vbmf} model of these posteriors (ids ascending), with provenance. */
    public TrainedModel toVarec() {
        int k = config.rank();
        List<Row> us = sorted(users);
        List<Row> is = sorted(items);
        IdIndex ui = new IdIndex();
        IdIndex ii = new IdIndex();
        float[][] a = unpack(us, ui, k, config.fullCovariance());
        float[][] b = unpack(is, ii, k, config.fullCovariance());
        Provenance prov = new Provenance("vbmf", config.toMap(), info.dataset(), ui.size(), ii.size(), info.ratings(),
                info.fingerprint(), info.seed(), info.threads(), Version.get(), Instant.now().toString(),
                info.seconds(), info.history());
        if (driver == null) {
            throw new IllegalStateException("the model's hyper-parameter state was not kept (deserialised model)");
        }
        return new TrainedModel(driver.model(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]), config, ui, ii, scale,
                null, null, prov);
    }

    public void saveVarec(Path file) throws IOException {
        ModelFile.save(toVarec(), file);
    }

    /**
     * {@link #toVarec} with each user's rated items, the distinct (userCol, itemCol) pairs of
     * {@code trainingData} (collected on the driver: for data that fits there), so that top-N lists of
     * {@code varec recommend} and the server leave them out as for a model core trained.
     */
    public TrainedModel toVarec(Dataset<?> trainingData) {
        return Seen.attach(toVarec(), trainingData, getOrDefault(userCol), getOrDefault(itemCol));
    }

    /** Writes {@link #toVarec(Dataset)} atomically to {@code file}. */
    public void saveVarec(Path file, Dataset<?> trainingData) throws IOException {
        ModelFile.save(toVarec(trainingData), file);
    }

    private static List<Row> sorted(Dataset<Row> d) {
        List<Row> l = new ArrayList<>(d.collectAsList());
        l.sort(Comparator.comparingInt(r -> r.getInt(0)));
        return l;
    }

    /** {means, variances, bias means, bias variances} in the order of {@code rows}; ids added to {@code index}. */
    private static float[][] unpack(List<Row> rows, IdIndex index, int k, boolean full) {
        int n = rows.size();
        int cl = VbmfDistributed.covLength(k, full);
        float[] packed = new float[VbmfDistributed.packedLength(k, full)];
        float[] m = new float[n * k];
        float[] v = new float[n * cl];
        float[] bm = new float[n];
        float[] bv = new float[n];
        for (int p = 0; p < n; p++) {
            Row r = rows.get(p);
            index.addNumeric(r.getInt(0));
            List<Float> mr = r.getList(1);
            List<Float> vr = r.getList(2);
            for (int x = 0; x < k; x++) {
                m[p * k + x] = mr.get(x);
            }
            for (int x = 0; x < packed.length; x++) {
                packed[x] = vr.get(x);
            }
            VbmfDistributed.unpack(k, full, packed, 0, v, p * cl);
            bm[p] = r.getFloat(3);
            bv[p] = r.getFloat(4);
        }
        return new float[][] {m, v, bm, bv};
    }

    @Override
    public VariationalALSModel copy(ParamMap extra) {
        return copyValues(new VariationalALSModel(uid, config, driver, scale, users, items, info), extra)
                .setParent(parent());
    }
}
