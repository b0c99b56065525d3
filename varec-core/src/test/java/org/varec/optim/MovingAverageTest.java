package org.varec.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.nn.ParamArray;

/**
 * The lazy moving average against the dense recursion {@code avg = w avg + (1 - w) x} after every
 * step, computed in double over all rows: random steps change random rows of a sparse array (the
 * rows they touch) and every row of a dense one, with random weights per step.
 */
class MovingAverageTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void lazyRowsGiveTheDenseRecursion(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ParamArray sparse = ParamArray.sparse("e", 9, 3);
        ParamArray dense = ParamArray.dense("f.w", 4, 2);
        List<ParamArray> all = List.of(sparse, dense);
        for (ParamArray p : all) {
            for (int e = 0; e < p.size(); e++) {
                p.value()[e] = (float) rnd.nextGaussian();
            }
        }
        MovingAverage avg = new MovingAverage(all);
        double[][] ref = {toDouble(sparse.value()), toDouble(dense.value())};
        for (int step = 0; step < 60; step++) {
            // a sparse step: the touched rows change (possibly none)
            int touches = rnd.nextInt(4);
            for (int t = 0; t < touches; t++) {
                sparse.touch(rnd.nextInt(sparse.rows()));
            }
            avg.beforeStep(List.of(sparse));
            for (int k = 0; k < sparse.numTouched(); k++) {
                int r = sparse.touchedRow(k);
                for (int c = 0; c < sparse.cols(); c++) {
                    sparse.value()[r * sparse.cols() + c] += (float) rnd.nextGaussian();
                }
            }
            sparse.zeroGrad();
            avg.beforeStep(List.of(dense));
            for (int e = 0; e < dense.size(); e++) {
                dense.value()[e] += (float) (0.1 * rnd.nextGaussian());
            }
            double w = rnd.nextDouble() < 0.1 ? 1 : 0.5 + 0.5 * rnd.nextDouble();
            avg.advance(w);
            for (int a = 0; a < 2; a++) {
                float[] x = all.get(a).value();
                for (int e = 0; e < x.length; e++) {
                    ref[a][e] = w * ref[a][e] + (1 - w) * x[e];
                }
            }
            if (step % 7 == 0) {
                avg.sync(); // reading the average in between changes nothing
                assertClose(ref, avg);
            }
        }
        avg.sync();
        assertClose(ref, avg);
        // reset: the average starts again at the current values
        avg.reset();
        assertArrayEquals(sparse.value(), avg.average(0));
        assertArrayEquals(dense.value(), avg.average(1));
        avg.advance(0.5);
        avg.sync();
        assertArrayEquals(sparse.value(), avg.average(0), 1e-6f);
    }

    private static void assertClose(double[][] ref, MovingAverage avg) {
        for (int a = 0; a < ref.length; a++) {
            for (int e = 0; e < ref[a].length; e++) {
                assertEquals(ref[a][e], avg.average(a)[e], 1e-4 * (1 + Math.abs(ref[a][e])), "array " + a + "[" + e + "]");
            }
        }
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            d[e] = x[e];
        }
        return d;
    }

    @Test
    void badWeightsAndForeignArraysAreRefused() {
        ParamArray p = ParamArray.dense("w", 2, 2);
        MovingAverage avg = new MovingAverage(List.of(p));
        assertThrows(IllegalArgumentException.class, () -> avg.advance(0));
        assertThrows(IllegalArgumentException.class, () -> avg.advance(1.5));
        assertThrows(IllegalArgumentException.class, () -> avg.beforeStep(List.of(ParamArray.dense("v", 1, 1))));
    }
}
