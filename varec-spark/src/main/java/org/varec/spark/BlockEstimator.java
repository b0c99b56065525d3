package org.varec.spark;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark ML params every block-layout estimator shares (names as MLlib's ALS where MLlib has the
 * concept): {@code userCol}, {@code itemCol}, {@code ratingCol}, {@code predictionCol},
 * {@code numUserBlocks}, {@code numItemBlocks}, {@code checkpointInterval}, {@code seed}. The model's
 * own hyper-parameters ({@code rank}, priors, {@code maxIter}) are declared by the subclass and
 * validated by varec-core's config record, so their ranges are written once.
 */
abstract class BlockEstimator<M extends Model<M>, S extends BlockEstimator<M, S>> extends Estimator<M> {
    private static final long serialVersionUID = 1L;
    private final String uid;
    public final Param<String> userCol;
    public final Param<String> itemCol;
    public final Param<String> ratingCol;
    public final Param<String> predictionCol;
    public final IntParam numUserBlocks;
    public final IntParam numItemBlocks;
    public final IntParam checkpointInterval;
    public final LongParam seed;
    public final IntParam rank;
    public final IntParam maxIter;
    public final DoubleParam lambda;
    public final DoubleParam tau;
    public final DoubleParam gamma;
    public final DoubleParam initStdev;

    /** @param algo the core algorithm whose parameters these mirror (named in the docs) */
    protected BlockEstimator(String uid, String algo) {
        this.uid = uid;
        rank = new IntParam(uid, "rank", "K, number of latent dimensions (core " + algo + ": rank)");
        maxIter = new IntParam(uid, "maxIter", "sweeps, all users then all items (core " + algo + ": iterations)");
        lambda = new DoubleParam(uid, "lambda", "likelihood precision, 1/noise variance (core " + algo + ": lambda)");
        tau = new DoubleParam(uid, "tau", "precision of the factor prior (core " + algo + ": tau)");
        gamma = new DoubleParam(uid, "gamma", "precision of the bias prior (core " + algo + ": gamma)");
        initStdev = new DoubleParam(uid, "initStdev", "sd of the random initial factors (core " + algo
                + ": init_stdev)");
        userCol = new Param<>(uid, "userCol", "column of user ids (integers in int range)");
        itemCol = new Param<>(uid, "itemCol", "column of item ids (integers in int range)");
        ratingCol = new Param<>(uid, "ratingCol", "column of ratings (numbers)");
        predictionCol = new Param<>(uid, "predictionCol", "output column of predicted ratings");
        numUserBlocks = new IntParam(uid, "numUserBlocks", "number of user blocks (>= 1)", ParamValidators.gtEq(1));
        numItemBlocks = new IntParam(uid, "numItemBlocks", "number of item blocks (>= 1)", ParamValidators.gtEq(1));
        checkpointInterval = new IntParam(uid, "checkpointInterval", "checkpoint the factors every this many "
                + "iterations (needs SparkContext.setCheckpointDir when maxIter exceeds it); -1 disables (checked at fit)");
        seed = new LongParam(uid, "seed", "random seed of the initial factors");
        setDefault(userCol, "user");
        setDefault(itemCol, "item");
        setDefault(ratingCol, "rating");
        setDefault(predictionCol, "prediction");
        setDefault(numUserBlocks, 10);
        setDefault(numItemBlocks, 10);
        setDefault(checkpointInterval, 10);
        setDefault(seed, 42L);
    }

    @Override
    public org.apache.spark.ml.param.Param<?>[] params() {
        return ParamFields.of(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    public String getUserCol() {
        return $(userCol);
    }

    public String getItemCol() {
        return $(itemCol);
    }

    public String getRatingCol() {
        return $(ratingCol);
    }

    public String getPredictionCol() {
        return $(predictionCol);
    }

    public int getNumUserBlocks() {
        return (Integer) $(numUserBlocks);
    }

    public int getNumItemBlocks() {
        return (Integer) $(numItemBlocks);
    }

    public int getCheckpointInterval() {
        return (Integer) $(checkpointInterval);
    }

    public long getSeed() {
        return (Long) $(seed);
    }

    /** The model hyper-parameters' defaults (the subclass passes its core config's). */
    protected final void modelDefaults(int k, int iterations, double lam, double t, double g, double sd) {
        setDefault(rank, k);
        setDefault(maxIter, iterations);
        setDefault(lambda, lam);
        setDefault(tau, t);
        setDefault(gamma, g);
        setDefault(initStdev, sd);
    }

    @SuppressWarnings("unchecked")
    protected final S with(Param<?> p, Object value) {
        set((Param<Object>) p, value);
        return (S) this;
    }

    public S setRank(int v) {
        return with(rank, v);
    }

    public S setMaxIter(int v) {
        return with(maxIter, v);
    }

    public S setLambda(double v) {
        return with(lambda, v);
    }

    public S setTau(double v) {
        return with(tau, v);
    }

    public S setGamma(double v) {
        return with(gamma, v);
    }

    public S setInitStdev(double v) {
        return with(initStdev, v);
    }

    public S setNumUserBlocks(int v) {
        return with(numUserBlocks, v);
    }

    public S setNumItemBlocks(int v) {
        return with(numItemBlocks, v);
    }

    /** Both block counts. */
    public S setNumBlocks(int v) {
        with(numUserBlocks, v);
        return with(numItemBlocks, v);
    }

    public S setCheckpointInterval(int v) {
        return with(checkpointInterval, v);
    }

    public S setSeed(long v) {
        return with(seed, v);
    }

    public S setUserCol(String v) {
        return with(userCol, v);
    }

    public S setItemCol(String v) {
        return with(itemCol, v);
    }

    public S setRatingCol(String v) {
        return with(ratingCol, v);
    }

    public S setPredictionCol(String v) {
        return with(predictionCol, v);
    }

    /** The number of sweeps ({@code maxIter}). */
    protected final int maxIterations() {
        return (Integer) $(maxIter);
    }

    /**
     * Fails early, with what to do, when checkpointing is due during the run but the context has
     * no checkpoint directory (MLlib silently skips it, and a long run then dies of a deep lineage).
     */
    protected void requireCheckpointDir(SparkSession spark) {
        int every = getCheckpointInterval();
        if (every == 0 || every < -1) {
            throw new IllegalArgumentException("checkpointInterval must be -1 (off) or >= 1, got " + every);
        }
        if (every > 0 && maxIterations() > every && spark.sparkContext().getCheckpointDir().isEmpty()) {
            throw new IllegalArgumentException("checkpointInterval=" + every + " with maxIter=" + maxIterations()
                    + " needs a checkpoint directory: call spark.sparkContext().setCheckpointDir(dir) (a reliable "
                    + "path, e.g. on HDFS, on a cluster), or set checkpointInterval to -1 (a long run may then "
                    + "overflow the stack with its lineage)");
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        RatingInput.checkIdType(schema, "userCol", getUserCol());
        RatingInput.checkIdType(schema, "itemCol", getItemCol());
        return VarecALSModel.withPrediction(schema, getPredictionCol());
    }
}
