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

    /** Reference values from scipy.special (gammainc, gammaincc, betainc) and scipy.stats (chi2.sf, f.sf). */
    @Test
    void incompleteGammaAndBetaMatchScipy() {
        assertEquals(0.5614219739190003, SpecialFunctions.regularizedGammaP(0.5, 0.3), 1e-13);
        assertEquals(0.0027693957155115775, SpecialFunctions.regularizedGammaQ(3, 10), 1e-15);
        assertEquals(0.15822098918643007, SpecialFunctions.regularizedGammaP(100, 90), 1e-12);
        assertEquals(1 - 0.15822098918643007, SpecialFunctions.regularizedGammaQ(100, 90), 1e-12);
        assertEquals(0.5248, SpecialFunctions.regularizedBeta(0.4, 2, 3), 1e-13);
        assertEquals(0.9999974294103009, SpecialFunctions.regularizedBeta(0.9, 0.5, 5), 1e-13);
        assertEquals(0.8011534179744884, SpecialFunctions.regularizedBeta(0.6, 50, 40), 1e-12);
        assertEquals(0.31731050786291115, SpecialFunctions.chiSquareSurvival(1, 1), 1e-13);
        assertEquals(0.025807496707063185, SpecialFunctions.chiSquareSurvival(9.278571428571437, 3), 1e-13);
        assertEquals(0.019823006192249054, SpecialFunctions.fSurvival(3.686313032089068, 3, 39), 1e-13);
        assertEquals(0.07514662963527473, SpecialFunctions.fSurvival(2.5, 4, 20), 1e-13);
        assertEquals(0, SpecialFunctions.regularizedGammaP(2, 0));
        assertEquals(1, SpecialFunctions.regularizedBeta(1, 2, 3));
        assertEquals(1, SpecialFunctions.chiSquareSurvival(0, 3));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.regularizedBeta(1.5, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.regularizedGammaP(0, 1));
    }

    /** P(a, x) + Q(a, x) = 1 and I_x(a, b) = 1 - I_{1-x}(b, a) on both sides of the switch between methods. */
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.7, 1, 2.5, 7, 30})
    void complementsAddUp(double a) {
        for (double x : new double[] {0.01, 0.5, a, a + 1, 3 * a + 2}) {
            assertEquals(1, SpecialFunctions.regularizedGammaP(a, x) + SpecialFunctions.regularizedGammaQ(a, x), 1e-13);
        }
        for (double x : new double[] {0.05, 0.3, 0.5, 0.8, 0.99}) {
            assertEquals(1, SpecialFunctions.regularizedBeta(x, a, 2) + SpecialFunctions.regularizedBeta(1 - x, 2, a),
                    1e-13);
        }
    }
}
