package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * {@link Conv2x2} against a textbook convolution written in double over maps in the plain
 * {@code [y][x][c]} layout: the layer's Z-ordered output equals the reference's (up to float
 * rounding), and its three gradients (weights, bias, input map) equal central differences of the
 * reference's loss {@code sum c * out}.
 */
class Conv2x2Test {
    private static final double H = 1e-6;
    private static Parallel pool;

    @BeforeAll
    static void open() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    /** out[b][oy][ox][o] = bias[o] + sum_(dy,dx,c) x[b][2oy+dy][2ox+dx][c] w[(2dy+dx) cin + c][o], plain layout. */
    static double[] reference(double[] x, double[] w, double[] bias, int batch, int side, int cin, int cout) {
        int h = side / 2;
        double[] out = new double[batch * h * h * cout];
        for (int b = 0; b < batch; b++) {
            for (int oy = 0; oy < h; oy++) {
                for (int ox = 0; ox < h; ox++) {
                    for (int o = 0; o < cout; o++) {
                        double s = bias[o];
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                for (int c = 0; c < cin; c++) {
                                    double xv = x[((b * side + 2 * oy + dy) * side + 2 * ox + dx) * cin + c];
                                    s += xv * w[((2 * dy + dx) * cin + c) * cout + o];
                                }
                            }
                        }
                        out[((b * h + oy) * h + ox) * cout + o] = s;
                    }
                }
            }
        }
        return out;
    }

    /** Index in the Z-ordered layout of element (b, y, x, c) of a plain map. */
    private static int zIndex(int b, int y, int x, int c, int side, int ch) {
        return (b * side * side + Conv2x2.zOrder(y, x)) * ch + c;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void matchesTheTextbookConvolutionAndItsGradients(long seed) {
        Rng rng = new Rng(seed);
        int side = 2 << rng.nextInt(3); // 2, 4 or 8
        int cin = 1 + rng.nextInt(4);
        int cout = 1 + rng.nextInt(5);
        int batch = 1 + rng.nextInt(4);
        int h = side / 2;
        Conv2x2 layer = new Conv2x2("c", side, cin, cout).initHeUniform(rng);
        System.arraycopy(Reference.gaussian(rng, cout, 0.5), 0, layer.bias().value(), 0, cout);
        double[] plain = Reference.widen(Reference.gaussian(rng, batch * side * side * cin, 1));
        float[] x = new float[plain.length];
        for (int b = 0; b < batch; b++) {
            for (int y = 0; y < side; y++) {
                for (int xx = 0; xx < side; xx++) {
                    for (int c = 0; c < cin; c++) {
                        x[zIndex(b, y, xx, c, side, cin)] = (float) plain[((b * side + y) * side + xx) * cin + c];
                    }
                }
            }
        }
        double[] cPlain = Reference.widen(Reference.gaussian(rng, batch * h * h * cout, 1));
        float[] c = new float[cPlain.length];
        for (int b = 0; b < batch; b++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < h; xx++) {
                    for (int o = 0; o < cout; o++) {
                        c[zIndex(b, y, xx, o, h, cout)] = (float) cPlain[((b * h + y) * h + xx) * cout + o];
                    }
                }
            }
        }
        float[] out = new float[batch * layer.outputSize()];
        float[] dx = new float[x.length];
        layer.forward(x, out, batch, pool);
        layer.backward(x, out, c, dx, batch, pool);

        double[] wd = Reference.widen(layer.weights().value());
        double[] bd = Reference.widen(layer.bias().value());
        double[] ref = reference(plain, wd, bd, batch, side, cin, cout);
        for (int b = 0; b < batch; b++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < h; xx++) {
                    for (int o = 0; o < cout; o++) {
                        assertEquals(ref[((b * h + y) * h + xx) * cout + o], out[zIndex(b, y, xx, o, h, cout)], 1e-5);
                    }
                }
            }
        }
        Reference.assertGradient("dW", layer.weights().grad(), Reference.numericGradient(wd,
                w -> dot(reference(plain, w, bd, batch, side, cin, cout), cPlain), H), 1e-5, 1e-4);
        Reference.assertGradient("db", layer.bias().grad(), Reference.numericGradient(bd,
                bb -> dot(reference(plain, wd, bb, batch, side, cin, cout), cPlain), H), 1e-5, 1e-4);
        double[] numericX = Reference.numericGradient(plain,
                xp -> dot(reference(xp, wd, bd, batch, side, cin, cout), cPlain), H);
        float[] dxPlain = new float[dx.length];
        for (int b = 0; b < batch; b++) {
            for (int y = 0; y < side; y++) {
                for (int xx = 0; xx < side; xx++) {
                    for (int ch = 0; ch < cin; ch++) {
                        dxPlain[((b * side + y) * side + xx) * cin + ch] = dx[zIndex(b, y, xx, ch, side, cin)];
                    }
                }
            }
        }
        Reference.assertGradient("dX", dxPlain, numericX, 1e-5, 1e-4);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int e = 0; e < a.length; e++) {
            s += a[e] * b[e];
        }
        return s;
    }

    @Test
    void zOrderPutsTheFourInputsOfAPositionTogether() {
        for (int oy = 0; oy < 8; oy++) {
            for (int ox = 0; ox < 8; ox++) {
                int q = Conv2x2.zOrder(oy, ox);
                assertEquals(4 * q, Conv2x2.zOrder(2 * oy, 2 * ox));
                assertEquals(4 * q + 1, Conv2x2.zOrder(2 * oy, 2 * ox + 1));
                assertEquals(4 * q + 2, Conv2x2.zOrder(2 * oy + 1, 2 * ox));
                assertEquals(4 * q + 3, Conv2x2.zOrder(2 * oy + 1, 2 * ox + 1));
            }
        }
    }

    @Test
    void shapesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2x2("c", 6, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Conv2x2("c", 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Conv2x2("c", 4, 0, 1));
    }
}
