package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The polynomial functions against {@link Math} in double, over dense grids of their ranges. */
class FloatMathTest {
    private static void within(double exact, float got, int ulps, String what) {
        double tol = ulps * Math.ulp((float) exact);
        assertTrue(Math.abs(exact - got) <= tol, what + ": " + got + " vs " + exact + " (" + Math.abs(exact - got) / Math.ulp((float) exact) + " ulps)");
    }

    @Test
    void exp() {
        for (int k = 0; k <= 400_000; k++) {
            float x = (float) (-87.3 + k * (88.3 + 87.3) / 400_000);
            within(Math.exp(x), FloatMath.exp(x), 2, "exp(" + x + ")");
        }
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(89f));
        assertEquals(0f, FloatMath.exp(-88f));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
    }

    @Test
    void tanh() {
        for (int k = -200_000; k <= 200_000; k++) {
            float x = k * 1e-4f;
            within(Math.tanh(x), FloatMath.tanh(x), 2, "tanh(" + x + ")");
        }
        assertEquals(1f, FloatMath.tanh(100f));
        assertEquals(-1f, FloatMath.tanh(-100f));
        within(Math.tanh(1e-20), FloatMath.tanh(1e-20f), 1, "tanh(1e-20)");
    }

    @Test
    void log1pOnTheUnitInterval() {
        for (int k = 0; k <= 200_000; k++) {
            float t = k / 200_000f;
            within(Math.log1p(t), FloatMath.log1pUnit(t), 3, "log1p(" + t + ")");
        }
        for (float t = 1e-30f; t < 1e-3f; t *= 1.37f) {
            within(Math.log1p(t), FloatMath.log1pUnit(t), 3, "log1p(" + t + ")");
        }
        assertEquals(0f, FloatMath.log1pUnit(0f));
    }
}
