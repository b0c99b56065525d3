package org.varec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionSmokeTest extends SparkFixture {
    @Test
    void localSessionRunsAJob() {
        assertEquals(10, spark.range(10).count());
    }
}
