package org.varec.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.varec.model.als.AlsConfig;
import org.varec.model.als.AlsModel;
import org.varec.train.EpochReport;

/**
 * A fitted {@link VarecALS}: {@code r_ui = mu + b_u + b_i + x_u.y_i} with the factors as DataFrames
 * {@code userFactors} and {@code itemFactors} ({@code id int, features array<float>, bias float}), as
 * MLlib's ALSModel keeps them. {@link #transform} adds {@code predictionCol}, computed as core's
 * {@link org.varec.model.TrainedModel#predict} does: dot product accumulated in double, unknown users
 * predict {@code mu + b_i}, unknown items {@code mu + b_u}, clamped to the training rating range.
 * {@link #toVarec} writes the same model as a varec model file (format and provenance of core's
 * {@code als}), {@link #fromVarec} reads one back as a Spark model.
 */
public final class VarecALSModel extends Model<VarecALSModel> {
    private static final long serialVersionUID = 1L;
    static final StructType FACTOR_SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("id", DataTypes.IntegerType, false),
            DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("bias", DataTypes.FloatType, false)});
    private final String uid;
    public final Param<String> userCol;
    public final Param<String> itemCol;
    public final Param<String> predictionCol;
    private final AlsConfig config;
    private final double mu;
    private final RatingScale scale;
    private final transient Dataset<Row> userFactors;
    private final transient Dataset<Row> itemFactors;
    private final FitInfo info;

    /** What provenance needs to know about the fit. */
    record FitInfo(long ratings, String fingerprint, long seed, int threads, double seconds, List<EpochReport> history,
                   String dataset) implements java.io.Serializable {
    }

    VarecALSModel(String uid, AlsConfig config, double mu, RatingScale scale, Dataset<Row> userFactors,
                  Dataset<Row> itemFactors, FitInfo info) {
        this.uid = uid;
        this.config = config;
        this.mu = mu;
        this.scale = scale;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
        this.info = info;
        userCol = new Param<>(uid, "userCol", "column of user ids");
        itemCol = new Param<>(uid, "itemCol", "column of item ids");
        predictionCol = new Param<>(uid, "predictionCol", "output column of predicted ratings");
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(predictionCol, "prediction");
    }

    /** The model of a finished fit: the factor rows of every block, by id, persisted. */
    static VarecALSModel of(SparkSession spark, String uid, AlsConfig c, RatingInput.Summary sum, BlockLayout layout,
                            JavaPairRDD<Integer, float[]> users, JavaPairRDD<Integer, float[]> items, double seconds,
                            List<EpochReport> history, long seed) {
        int k = c.rank();
        Dataset<Row> uf = factorFrame(spark, layout.userIn, users, k);
        Dataset<Row> itf = factorFrame(spark, layout.itemIn, items, k);
        FitInfo info = new FitInfo(sum.count(), sum.fingerprint(), seed, spark.sparkContext().defaultParallelism(),
                seconds, history, "spark");
        return new VarecALSModel(uid, c, sum.mean(), new RatingScale(sum.min(), sum.max()), uf, itf, info);
    }

    /** (id, features, bias) rows of a side, persisted and materialised (the caller then drops the blocks). */
    static Dataset<Row> factorFrame(SparkSession spark, JavaPairRDD<Integer, BlockLayout.InBlock> in,
                                    JavaPairRDD<Integer, float[]> rows, int k) {
        JavaRDD<Row> r = in.join(rows).values().flatMap(t -> {
            int[] ids = t._1.ids();
            float[] f = t._2;
            List<Row> out = new ArrayList<>(ids.length);
            for (int p = 0; p < ids.length; p++) {
                Float[] v = new Float[k];
                for (int x = 0; x < k; x++) {
                    v[x] = f[p * (k + 1) + x];
                }
                out.add(RowFactory.create(ids[p], v, f[p * (k + 1) + k]));
            }
            return out.iterator();
        });
        Dataset<Row> df = spark.createDataFrame(r, FACTOR_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        df.count();
        return df;
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
                .fromSparkContext(subset.sparkSession().sparkContext()).broadcast(TopN.Items.collect(itemFactors, rank(), false));
        return TopN.recommend(TopN.usersIn(userFactors, subset, getOrDefault(userCol)), b, rank(), n, mu, 0, false);
    }

    @Override
    public String uid() {
        return uid;
    }

    public int rank() {
        return config.rank();
    }

    /** The training mean. */
    public double globalMean() {
        return mu;
    }

    public AlsConfig config() {
        return config;
    }

    public RatingScale scale() {
        return scale;
    }

    public Dataset<Row> userFactors() {
        return userFactors;
    }

    public Dataset<Row> itemFactors() {
        return itemFactors;
    }

    /** Seconds of each sweep, in order (the fit's history). */
    public List<EpochReport> history() {
        return info.history();
    }

    public VarecALSModel setUserCol(String v) {
        set(userCol, v);
        return this;
    }

    public VarecALSModel setItemCol(String v) {
        set(itemCol, v);
        return this;
    }

    public VarecALSModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    static StructType withPrediction(StructType schema, String predictionCol) {
        if (java.util.Arrays.asList(schema.fieldNames()).contains(predictionCol)) {
            throw new IllegalArgumentException("predictionCol: column '" + predictionCol + "' already exists");
        }
        return schema.add(predictionCol, DataTypes.DoubleType, false);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        RatingInput.checkIdType(schema, "userCol", getOrDefault(userCol));
        RatingInput.checkIdType(schema, "itemCol", getOrDefault(itemCol));
        return withPrediction(schema, getOrDefault(predictionCol));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> data) {
        transformSchema(data.schema());
        Dataset<Row> j = joinFactors(data, getOrDefault(userCol), getOrDefault(itemCol));
        return j.withColumn(getOrDefault(predictionCol), scoreColumn()).drop("__u", "__uf", "__ub", "__i", "__if",
                "__ib", "__uid", "__iid");
    }

    /** The input with each row's factor rows joined (left joins: unknown ids get nulls). */
    Dataset<Row> joinFactors(Dataset<?> data, String uCol, String iCol) {
        Dataset<Row> uf = userFactors.select(col("id").as("__u"), col("features").as("__uf"), col("bias").as("__ub"));
        Dataset<Row> itf = itemFactors.select(col("id").as("__i"), col("features").as("__if"), col("bias").as("__ib"));
        return data.withColumn("__uid", RatingInput.intId(uCol)).withColumn("__iid", RatingInput.intId(iCol))
                .join(uf, col("__uid").equalTo(col("__u")), "left")
                .join(itf, col("__iid").equalTo(col("__i")), "left");
    }

    /** mu + b_u + b_i + x.y over the joined columns, in double as core, clamped to the training range. */
    private Column scoreColumn() {
        Column dot = expr("aggregate(zip_with(__uf, __if, (x, y) -> cast(x as double) * cast(y as double)), "
                + "cast(0 as double), (a, x) -> a + x)");
        Column p = lit(mu).plus(coalesce(col("__ub").cast(DataTypes.DoubleType), lit(0.0)))
                .plus(coalesce(col("__ib").cast(DataTypes.DoubleType), lit(0.0))).plus(coalesce(dot, lit(0.0)));
        return greatest(lit(scale.min()), least(lit(scale.max()), p));
    }

    /** RMSE, MAE and count of the predictions over a test DataFrame with a rating column. */
    public record Figures(double rmse, double mae, long count) {
    }

    /** Distributed RMSE and MAE over {@code test} (its {@code ratingCol} holds the true ratings). */
    public Figures evaluate(Dataset<?> test, String ratingCol) {
        String pc = getOrDefault(predictionCol);
        Column e = col(pc).minus(col(ratingCol).cast(DataTypes.DoubleType));
        Row r = transform(test).agg(avg(pow(e, 2)), avg(abs(e)), count(lit(1))).head();
        return new Figures(Math.sqrt(r.getDouble(0)), r.getDouble(1), r.getLong(2));
    }

    /** Item rows (factors then bias, K+1 floats) by id, on the driver (warm starts). */
    Map<Integer, float[]> itemRows() {
        return rowsById(itemFactors, rank());
    }

    static Map<Integer, float[]> rowsById(Dataset<Row> factors, int k) {
        Map<Integer, float[]> m = new HashMap<>();
        for (Row r : factors.collectAsList()) {
            float[] v = new float[k + 1];
            List<Float> f = r.getList(1);
            for (int x = 0; x < k; x++) {
                v[x] = f.get(x);
            }
            v[k] = r.getFloat(2);
            m.put(r.getInt(0), v);
        }
        return m;
    }

    /**
     * Collects the factors (ids ascending) into core's model with provenance: the same
     * {@code als} model file {@code varec train --algo als} writes, readable by {@code varec predict},
     * {@code recommend}, fold-in and the server. Seen items are not stored here (top-N lists then include
     * rated items; a billion ratings would not fit a model file anyway): {@link #toVarec(Dataset)} adds them.
     */
    public TrainedModel toVarec() {
        int k = rank();
        List<Row> us = new ArrayList<>(userFactors.collectAsList());
        List<Row> is = new ArrayList<>(itemFactors.collectAsList());
        Comparator<Row> byId = Comparator.comparingInt(r -> r.getInt(0));
        us.sort(byId);
        is.sort(byId);
        IdIndex users = new IdIndex();
        IdIndex items = new IdIndex();
        float[] uf = new float[us.size() * k];
        float[] ub = new float[us.size()];
        float[] vf = new float[is.size() * k];
        float[] vb = new float[is.size()];
        unpack(us, users, uf, ub, k);
        unpack(is, items, vf, vb, k);
        AlsModel m = AlsModel.of(config, mu, uf, vf, ub, vb);
        Provenance prov = new Provenance("als", config.toMap(), info.dataset(), users.size(), items.size(),
                info.ratings(), info.fingerprint(), info.seed(), info.threads(), Version.get(), Instant.now().toString(),
                info.seconds(), info.history());
        return new TrainedModel(m, config, users, items, scale, null, null, prov);
    }

    /** Writes {@link #toVarec} atomically to {@code file} (core's {@link ModelFile}). */
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

    static void unpack(List<Row> rows, IdIndex index, float[] f, float[] b, int k) {
        for (int p = 0; p < rows.size(); p++) {
            Row r = rows.get(p);
            index.addNumeric(r.getInt(0));
            List<Float> v = r.getList(1);
            for (int x = 0; x < k; x++) {
                f[p * k + x] = v.get(x);
            }
            b[p] = r.getFloat(2);
        }
    }

    /**
     * A varec {@code als} model (e.g. {@code ModelFile.load}) as a Spark model; its external ids must be
     * integers (Spark ML ids are).
     *
     * @throws IllegalArgumentException for another algorithm or a non-integer id
     */
    public static VarecALSModel fromVarec(SparkSession spark, TrainedModel t) {
        if (!(t.model() instanceof AlsModel m) || m.hasGenreFactors()) {
            throw new IllegalArgumentException("not a plain als model: " + t.algorithm());
        }
        int k = m.rank();
        Dataset<Row> uf = frame(spark, t.users(), m.userFactors(), m.userBiases(), k);
        Dataset<Row> itf = frame(spark, t.items(), m.itemFactors(), m.itemBiases(), k);
        Provenance p = t.provenance();
        FitInfo info = new FitInfo(p.ratings(), p.fingerprint(), p.seed(), p.threads(), p.fitSeconds(), p.history(),
                p.dataset());
        return new VarecALSModel(Identifiable.randomUID("varecALS"), (AlsConfig) t.config(), m.globalMean(), t.scale(),
                uf, itf, info);
    }

    /** A model file's external id as the integer id Spark models use. */
    static int intId(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("id '" + id + "' is not an integer; Spark models need integer ids");
        }
    }

    static Dataset<Row> frame(SparkSession spark, IdIndex ids, float[] f, float[] b, int k) {
        List<Row> rows = new ArrayList<>(ids.size());
        for (int p = 0; p < ids.size(); p++) {
            int v = intId(ids.externalId(p));
            Float[] row = new Float[k];
            for (int x = 0; x < k; x++) {
                row[x] = f[p * k + x];
            }
            rows.add(RowFactory.create(v, row, b[p]));
        }
        return spark.createDataFrame(rows, FACTOR_SCHEMA);
    }

    @Override
    public VarecALSModel copy(ParamMap extra) {
        return copyValues(new VarecALSModel(uid, config, mu, scale, userFactors, itemFactors, info), extra)
                .setParent(parent());
    }
}
