package org.varec.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecialFunctionsTest {
    private static final double EULER = 0.5772156649015329;

    @Test
    void knownValues() {
        assertEquals(0, SpecialFunctions.logGamma(1), 1e-13);
        assertEquals(0, SpecialFunctions.logGamma(2), 1e-13);
        assertEquals(Math.log(Math.sqrt(Math.PI)), SpecialFunctions.logGamma(0.5), 1e-13);
        assertEquals(Math.log(362880), SpecialFunctions.logGamma(10), 1e-12);
        assertEquals(857.9336698258575, SpecialFunctions.logGamma(200), 1e-10);
        assertEquals(-EULER, SpecialFunctions.digamma(1), 1e-13);
        assertEquals(-EULER - 2 * Math.log(2), SpecialFunctions.digamma(0.5), 1e-13);
        assertEquals(1 - EULER, SpecialFunctions.digamma(2), 1e-13);
        assertEquals(Math.PI * Math.PI / 6, SpecialFunctions.trigamma(1), 1e-13);
        assertEquals(Math.PI * Math.PI / 2, SpecialFunctions.trigamma(0.5), 1e-12);
        assertEquals(Math.log(1.0 / 12), SpecialFunctions.logBeta(3, 2), 1e-13);
    }

    /** digamma and trigamma are the derivatives of logGamma and digamma (central differences). */
    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.3, 1, 2.5, 9.99, 10, 37, 1e4})
    void derivativesMatchFiniteDifferences(double x) {
        double h = 1e-5 * x;
        double dLogGamma = (SpecialFunctions.logGamma(x + h) - SpecialFunctions.logGamma(x - h)) / (2 * h);
        assertEquals(dLogGamma, SpecialFunctions.digamma(x), 1e-6 * Math.max(1, Math.abs(dLogGamma)));
        double dDigamma = (SpecialFunctions.digamma(x + h) - SpecialFunctions.digamma(x - h)) / (2 * h);
        assertEquals(dDigamma, SpecialFunctions.trigamma(x), 1e-6 * Math.max(1, Math.abs(dDigamma)));
    }

    @Test
    void refusesNonPositive() {
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.digamma(0));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logGamma(-1));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.trigamma(Double.NaN));
    }
}
