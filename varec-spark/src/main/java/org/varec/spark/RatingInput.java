package org.varec.spark;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Validated training ratings of a DataFrame: integer user and item ids (any integral type, or a
 * numeric or string column holding whole numbers in int range, as MLlib's ALS accepts) and a numeric
 * rating. One aggregate pass checks everything and gathers the figures training needs (count, mean,
 * range), so bad input fails on the driver with a message naming the column, before any training.
 */
final class RatingInput {
    /** Ratings packed per chunk as {@code int[]{user, item, floatBits(rating), ...}} (no object per rating). */
    private static final int CHUNK = 3 * 8192;

    /** What the validation pass found. */
    record Summary(long count, double mean, double min, double max, String fingerprint) implements Serializable {
    }

    private RatingInput() {
    }

    /** Checks that {@code name} is a column of {@code schema} and returns its type. */
    static DataType columnType(StructType schema, String param, String name) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f.dataType();
            }
        }
        throw new IllegalArgumentException(param + ": no column '" + name + "' in the data (columns: "
                + Arrays.toString(schema.fieldNames()) + ")");
    }

    /** Checks an id column's type: numeric or string (whole numbers are checked in the data pass). */
    static void checkIdType(StructType schema, String param, String name) {
        DataType t = columnType(schema, param, name);
        if (!(t instanceof NumericType) && !t.equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(param + ": column '" + name + "' has type " + t.simpleString()
                    + "; ids must be integers");
        }
    }

    /** An id column as int: null where missing, not a whole number or out of int range. */
    static Column intId(String name) {
        // try_cast: under ANSI mode (Spark 4's default) a plain cast of "abc" or 1e12 throws mid-job
        Column d = col(name).try_cast(DataTypes.DoubleType);
        Column i = d.try_cast(DataTypes.IntegerType);
        return when(d.equalTo(i.cast(DataTypes.DoubleType)), i);
    }

    /**
     * Validates and summarises {@code df}; throws {@link IllegalArgumentException} with the first
     * problem (the fingerprint is an order-free hash of the triples: xor of their xxhash64): a missing column, a non-numeric rating column, null or non-integer ids, null, NaN or
     * non-numeric ratings, no rows.
     */
    static Summary validate(Dataset<?> df, String userCol, String itemCol, String ratingCol) {
        StructType schema = df.schema();
        checkIdType(schema, "userCol", userCol);
        checkIdType(schema, "itemCol", itemCol);
        DataType rt = columnType(schema, "ratingCol", ratingCol);
        if (!(rt instanceof NumericType) && !rt.equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("ratingCol: column '" + ratingCol + "' has type " + rt.simpleString()
                    + "; ratings must be numbers");
        }
        Column r = col(ratingCol).try_cast(DataTypes.DoubleType);
        Row a = df.agg(count(lit(1)),
                sum(when(col(userCol).isNull(), 1).otherwise(0)),
                sum(when(col(userCol).isNotNull().and(intId(userCol).isNull()), 1).otherwise(0)),
                sum(when(col(itemCol).isNull(), 1).otherwise(0)),
                sum(when(col(itemCol).isNotNull().and(intId(itemCol).isNull()), 1).otherwise(0)),
                sum(when(col(ratingCol).isNull(), 1).otherwise(0)),
                sum(when(col(ratingCol).isNotNull().and(r.isNull().or(isnan(r))
                        .or(r.equalTo(Double.POSITIVE_INFINITY)).or(r.equalTo(Double.NEGATIVE_INFINITY))), 1)
                        .otherwise(0)),
                sum(r), min(r), max(r),
                bit_xor(xxhash64(intId(userCol), intId(itemCol), r.cast(DataTypes.FloatType)))).head();
        long n = a.getLong(0);
        if (n == 0) {
            throw new IllegalArgumentException("no ratings: the training data is empty");
        }
        List<String> problems = new ArrayList<>();
        problem(problems, a.getLong(1), "null ids in userCol '" + userCol + "'");
        problem(problems, a.getLong(2), "user ids in '" + userCol + "' that are not integers in int range");
        problem(problems, a.getLong(3), "null ids in itemCol '" + itemCol + "'");
        problem(problems, a.getLong(4), "item ids in '" + itemCol + "' that are not integers in int range");
        problem(problems, a.getLong(5), "null ratings in ratingCol '" + ratingCol + "'");
        problem(problems, a.getLong(6), "ratings in '" + ratingCol + "' that are not finite numbers");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad training data (" + n + " rows): " + String.join("; ", problems)
                    + (a.getLong(6) > 0 ? "; e.g. " + firstBad(df, ratingCol) : ""));
        }
        return new Summary(n, a.getDouble(7) / n, a.getDouble(8), a.getDouble(9),
                String.format("spark-xxh64-xor:%016x", a.getLong(10)));
    }

    private static void problem(List<String> out, long count, String what) {
        if (count > 0) {
            out.add(count + " " + what);
        }
    }

    private static String firstBad(Dataset<?> df, String ratingCol) {
        Column r = col(ratingCol).try_cast(DataTypes.DoubleType);
        List<Row> bad = df.select(col(ratingCol).cast(DataTypes.StringType)).where(col(ratingCol).isNotNull()
                .and(r.isNull().or(isnan(r)))).limit(1).collectAsList();
        return bad.isEmpty() ? "non-finite value" : "'" + bad.get(0).getString(0) + "'";
    }

    /** The (validated) ratings as packed int chunks, no object per rating. */
    static JavaRDD<int[]> triples(Dataset<?> df, String userCol, String itemCol, String ratingCol) {
        Dataset<Row> t = df.select(intId(userCol), intId(itemCol), col(ratingCol).try_cast(DataTypes.FloatType));
        return t.javaRDD().mapPartitions(it -> {
            List<int[]> chunks = new ArrayList<>();
            int[] c = new int[CHUNK];
            int n = 0;
            while (it.hasNext()) {
                Row row = it.next();
                if (n == CHUNK) {
                    chunks.add(c);
                    c = new int[CHUNK];
                    n = 0;
                }
                c[n] = row.getInt(0);
                c[n + 1] = row.getInt(1);
                c[n + 2] = Float.floatToIntBits(row.getFloat(2));
                n += 3;
            }
            if (n > 0) {
                chunks.add(Arrays.copyOf(c, n));
            }
            return chunks.iterator();
        });
    }
}
