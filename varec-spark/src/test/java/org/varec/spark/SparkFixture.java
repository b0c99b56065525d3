package org.varec.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One local[2] SparkSession per test class, stopped after the class (tests extend this). The UI is
 * off and shuffles use 2 partitions so that tiny test data does not pay for 200 empty tasks; whole-stage
 * code generation and adaptive execution are off (compiling and re-planning cost more than they save
 * on a few thousand rows).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkFixture {
    protected SparkSession spark;

    @BeforeAll
    void startSpark() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName(getClass().getSimpleName())
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll
    void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }
}
