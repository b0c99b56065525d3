package org.varec.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NormalTest {
    @Test
    void knownQuantiles() {
        assertEquals(0.0, Normal.quantile(0.5), 1e-8);
        assertEquals(1.6448536269514722, Normal.quantile(0.95), 1e-8);
        assertEquals(1.959963984540054, Normal.quantile(0.975), 1e-8);
        assertEquals(0.6744897501960817, Normal.quantile(0.75), 1e-8);
        assertEquals(-2.3263478740408408, Normal.quantile(0.01), 1e-7);
        assertEquals(-0.5 * Math.log(2 * Math.PI), Normal.logPdf(0, 0, 1), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-6, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-6})
    void quantileInvertsCdf(double p) {
        assertEquals(p, Normal.cdf(Normal.quantile(p)), 2e-7);
    }
}
