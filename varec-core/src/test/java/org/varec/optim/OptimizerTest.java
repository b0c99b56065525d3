package org.varec.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;

class OptimizerTest {
    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("adam", (Supplier<Optimizer>) () -> ParamAdam.of(0.02)),
                Arguments.of("rmsprop", (Supplier<Optimizer>) () -> RmsProp.of(0.005)),
                Arguments.of("sgd", (Supplier<Optimizer>) () -> new SgdMomentum(0.02, 0)),
                Arguments.of("momentum", (Supplier<Optimizer>) () -> new SgdMomentum(0.02, 0.9)));
    }

    /** {@link #optimizers} and Adam with decoupled weight decay, for the tests of how steps are cut and run. */
    static Stream<Arguments> optimizersAndAdamW() {
        return Stream.concat(optimizers(), Stream.of(
                Arguments.of("adamw", (Supplier<Optimizer>) () -> ParamAdam.of(0.02).withWeightDecay(0.5))));
    }

    /** f(x) = sum_e c_e (x_e - a_e)^2 / 2 over a 3 x 4 array, curvatures 0.5 .. 5. */
    private static double quadratic(ParamArray p, float[] a, float[] c) {
        double f = 0;
        for (int e = 0; e < p.size(); e++) {
            double d = p.value()[e] - a[e];
            f += 0.5 * c[e] * d * d;
            p.grad()[e] += (float) (c[e] * d);
        }
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void reducesAQuadratic(String name, Supplier<Optimizer> make) {
        for (long seed = 1; seed <= 3; seed++) {
            Rng rng = new Rng(seed);
            ParamArray p = ParamArray.dense("x", 3, 4);
            float[] a = new float[12];
            float[] c = new float[12];
            for (int e = 0; e < 12; e++) {
                a[e] = (float) rng.nextGaussian();
                c[e] = (float) (0.5 + 4.5 * rng.nextDouble());
            }
            Optimizer opt = make.get();
            double f0 = quadratic(p, a, c);
            p.zeroGrad();
            double f = f0;
            for (int it = 0; it < 3000; it++) {
                f = quadratic(p, a, c);
                opt.step(List.of(p));
                p.zeroGrad();
            }
            assertTrue(f < 1e-4 * f0, name + ": f went from " + f0 + " to " + f);
        }
    }

    /** A sparse array steps its touched rows only; untouched rows keep values, state and step counts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void untouchedSparseRowsStayUntouched(String name, Supplier<Optimizer> make) {
        LazyRowOptimizer opt = (LazyRowOptimizer) make.get();
        ParamArray p = ParamArray.sparse("e", 5, 3);
        for (int e = 0; e < 15; e++) {
            p.value()[e] = e;
        }
        float[] before = p.value().clone();
        // two steps with rows 1 and 3
        for (int s = 0; s < 2; s++) {
            p.touch(1);
            p.touch(3);
            for (int col = 0; col < 3; col++) {
                p.grad()[3 + col] = 1f;
                p.grad()[9 + col] = -1f;
            }
            opt.step(List.of(p));
            p.zeroGrad();
        }
        for (int r : new int[] {0, 2, 4}) {
            for (int col = 0; col < 3; col++) {
                assertEquals(before[r * 3 + col], p.value()[r * 3 + col], name + " row " + r);
            }
            assertEquals(0, opt.steps(p, r));
        }
        assertEquals(2, opt.steps(p, 1));
        assertTrue(p.value()[3] < before[3] && p.value()[9] > before[9], name + ": touched rows move down the gradient");
        // a step that touches row 0 only leaves rows 1 and 3 where they are (no drift from momentum)
        float[] mid = p.value().clone();
        p.touch(0);
        p.grad()[0] = 1f;
        opt.step(List.of(p));
        assertEquals(mid[3], p.value()[3]);
        assertEquals(mid[9], p.value()[9]);
        assertEquals(2, opt.steps(p, 1));
        assertEquals(1, opt.steps(p, 0));
    }

    /** Each row's bias correction uses its own count: a new row's first Adam step is lr in size. */
    @Test
    void adamFirstStepOfARowIsTheLearningRate() {
        ParamAdam adam = ParamAdam.of(0.1);
        ParamArray p = ParamArray.sparse("e", 2, 1);
        for (int s = 0; s < 10; s++) {
            p.touch(0);
            p.grad()[0] = 3f;
            adam.step(List.of(p));
            p.zeroGrad();
        }
        p.touch(1);
        p.grad()[1] = -7f;
        adam.step(List.of(p));
        assertEquals(0.1f, p.value()[1], 1e-6f);
        // as the double-block Adam does
        double[] x = new double[1];
        Adam.of(1, 1, 0.1).step(x, new double[] {-7}, 0);
        assertEquals(x[0], p.value()[1], 1e-6);
    }

    /** ParamAdam follows the double-block Adam's rule step by step (up to float rounding). */
    @Test
    void paramAdamMatchesTheDoubleAdam() {
        Rng rng = new Rng(3);
        ParamArray p = ParamArray.dense("x", 1, 6);
        double[] x = new double[6];
        Adam ref = Adam.of(6, 6, 0.01);
        ParamAdam adam = ParamAdam.of(0.01);
        for (int it = 0; it < 50; it++) {
            double[] g = new double[6];
            for (int e = 0; e < 6; e++) {
                g[e] = rng.nextGaussian();
                p.grad()[e] = (float) g[e];
            }
            ref.stepAll(x, g);
            adam.step(List.of(p));
            p.zeroGrad();
        }
        for (int e = 0; e < 6; e++) {
            assertEquals(x[e], p.value()[e], 1e-5);
        }
    }

    /**
     * Decoupled weight decay (AdamW): each step multiplies a weight array's updated elements by
     * {@code 1 - lr wd} before the Adam update (the double-block Adam's rule after that factor), leaves
     * bias arrays ({@code *.b}) to plain Adam, and decays a sparse row only on the steps that update it.
     */
    @Test
    void paramAdamWeightDecayIsDecoupledAndSkipsBiases() {
        Rng rng = new Rng(5);
        double lr = 0.01;
        double wd = 2;
        ParamArray w = ParamArray.dense("x.w", 1, 6);
        ParamArray b = ParamArray.dense("x.b", 1, 6);
        double[] xw = new double[6];
        double[] xb = new double[6];
        for (int e = 0; e < 6; e++) {
            w.value()[e] = (float) (xw[e] = 1 + e);
            b.value()[e] = (float) (xb[e] = 1 + e);
        }
        Adam refW = Adam.of(6, 6, lr);
        Adam refB = Adam.of(6, 6, lr);
        ParamAdam adam = ParamAdam.of(lr).withWeightDecay(wd);
        for (int it = 0; it < 50; it++) {
            double[] g = new double[6];
            for (int e = 0; e < 6; e++) {
                g[e] = rng.nextGaussian();
                w.grad()[e] = (float) g[e];
                b.grad()[e] = (float) g[e];
                xw[e] *= 1 - lr * wd;
            }
            refW.stepAll(xw, g);
            refB.stepAll(xb, g.clone());
            adam.step(List.of(w, b));
            w.zeroGrad();
            b.zeroGrad();
        }
        for (int e = 0; e < 6; e++) {
            assertEquals(xw[e], w.value()[e], 1e-5);
            assertEquals(xb[e], b.value()[e], 1e-5);
        }
        assertTrue(Math.abs(w.value()[5]) < 0.5 * Math.abs(b.value()[5]), "the weights shrink, the biases do not");
        // lazily: an untouched sparse row keeps its value; a touched one with a zero gradient only decays
        ParamArray e = ParamArray.sparse("e.w", 2, 1);
        e.value()[0] = 1f;
        e.value()[1] = 1f;
        ParamAdam lazy = ParamAdam.of(lr).withWeightDecay(wd);
        e.touch(1);
        lazy.step(List.of(e));
        assertEquals(1f, e.value()[0]);
        assertEquals((float) (1 - lr * wd), e.value()[1], 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> ParamAdam.of(lr).withWeightDecay(-1));
    }

    /**
     * A step along a factored gradient ({@link ParamArray.FactoredGrad}, the sparse-input layer's
     * block backward) gives the bits of the same step after the gradient is written out, for every
     * optimiser (Adam along its rank-one kernel, the others by writing it out), serially and over a
     * pool: entities of 10 rows of 50 floats (vector rows with overlapping tails) and of 3 rows of 7
     * (scalar rows); a random subset of entities per step, so neighbouring entities meet at different step
     * numbers; both with the fused clearing and with a plain step and {@code zeroGrad}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizersAndAdamW")
    void factoredStepIsTheWrittenOutStep(String name, Supplier<Optimizer> make) {
        try (org.varec.util.Parallel pool = new org.varec.util.Parallel(3)) {
            for (int[] shape : new int[][] {{10, 50}, {3, 7}}) {
                int blk = shape[0];
                int cols = shape[1];
                int entities = 300;
                for (org.varec.util.Parallel threads : new org.varec.util.Parallel[] {null, pool}) {
                    for (boolean fused : new boolean[] {true, false}) {
                        Rng rng = new Rng(17);
                        ParamArray a = ParamArray.sparse("a", entities * blk, cols);
                        ParamArray b = ParamArray.sparse("b", entities * blk, cols);
                        for (int e = 0; e < a.size(); e++) {
                            a.value()[e] = b.value()[e] = (float) rng.nextGaussian();
                        }
                        Optimizer factored = make.get();
                        Optimizer written = make.get();
                        for (int it = 0; it < 5; it++) {
                            int[] ent = new int[entities];
                            int nd = 0;
                            for (int e = 0; e < entities; e++) {
                                if (rng.nextDouble() < (it == 0 ? 0.95 : 0.6)) {
                                    ent[nd++] = e;
                                }
                            }
                            float[] coef = new float[nd * blk];
                            float[] dir = new float[nd * cols];
                            for (int e = 0; e < coef.length; e++) {
                                coef[e] = (float) rng.nextGaussian();
                            }
                            for (int e = 0; e < dir.length; e++) {
                                dir[e] = (float) rng.nextGaussian();
                            }
                            a.setFactoredGrad(new ParamArray.FactoredGrad(ent, nd, blk, coef, dir));
                            b.setFactoredGrad(new ParamArray.FactoredGrad(ent, nd, blk, coef, dir));
                            float[] g = b.grad(); // written out: b steps the ordinary way
                            assertEquals(null, b.factoredGrad());
                            assertEquals(coef[blk - 1] * dir[cols - 1], g[((ent[0] + 1) * blk - 1) * cols + cols - 1]);
                            if (fused) {
                                factored.stepAndZeroGrad(List.of(a), threads);
                                written.stepAndZeroGrad(List.of(b), threads);
                            } else {
                                factored.step(List.of(a), threads);
                                written.step(List.of(b), threads);
                                assertArrayEquals(b.grad(), a.grad(), "the factored gradient written out after the step");
                                a.zeroGrad();
                                b.zeroGrad();
                            }
                            String what = name + " blk " + blk + " threads " + (threads == null ? 1 : 3) + " fused " + fused + " step " + it;
                            assertArrayEquals(b.value(), a.value(), what);
                            assertEquals(0, a.numTouched(), what);
                            assertArrayEquals(new float[a.size()], a.grad(), what + ": gradient left zero");
                        }
                    }
                }
            }
        }
    }

    /** Threads asking for a pending factored gradient at once get it written once (the written-out bits). */
    @Test
    void factoredGradientIsWrittenOnceUnderConcurrentReads() throws Exception {
        Rng rng = new Rng(3);
        int blk = 4;
        int cols = 33;
        int[] ent = {0, 1, 5, 9, 10, 11};
        float[] coef = new float[ent.length * blk];
        float[] dir = new float[ent.length * cols];
        for (int e = 0; e < coef.length; e++) {
            coef[e] = (float) rng.nextGaussian();
        }
        for (int e = 0; e < dir.length; e++) {
            dir[e] = (float) rng.nextGaussian();
        }
        ParamArray ref = ParamArray.sparse("r", 12 * blk, cols);
        ref.setFactoredGrad(new ParamArray.FactoredGrad(ent, ent.length, blk, coef, dir));
        float[] expect = ref.grad().clone();
        for (int round = 0; round < 20; round++) {
            ParamArray p = ParamArray.sparse("p", 12 * blk, cols);
            p.setFactoredGrad(new ParamArray.FactoredGrad(ent, ent.length, blk, coef, dir));
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<float[]>> got = new java.util.ArrayList<>();
            java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (int t = 0; t < 4; t++) {
                    got.add(ex.submit(() -> {
                        go.await();
                        return p.grad().clone();
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<float[]> f : got) {
                    assertArrayEquals(expect, f.get(), "round " + round);
                }
            } finally {
                ex.shutdownNow();
            }
        }
    }

    /** A factored gradient goes only on a sparse array without a gradient, and names each entity once. */
    @Test
    void factoredGradientNeedsAFreshSparseArray() {
        ParamArray.FactoredGrad f = new ParamArray.FactoredGrad(new int[] {0, 2}, 2, 2, new float[4], new float[6]);
        ParamArray dense = ParamArray.dense("d", 6, 3);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> dense.setFactoredGrad(f));
        ParamArray touched = ParamArray.sparse("t", 6, 3);
        touched.touch(5);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> touched.setFactoredGrad(f));
        ParamArray twice = ParamArray.sparse("w", 6, 3);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> twice.setFactoredGrad(new ParamArray.FactoredGrad(new int[] {1, 1}, 2, 2, new float[4], new float[6])));
        ParamArray ok = ParamArray.sparse("o", 6, 3);
        ok.setFactoredGrad(f);
        assertEquals(4, ok.numTouched());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> ok.setFactoredGrad(f));
        ok.zeroGrad();
        assertEquals(null, ok.factoredGrad());
        assertArrayEquals(new float[18], ok.grad());
    }

    /** A step over the pool (rows of a sparse array in parallel blocks) gives the serial step's bits, for every optimiser. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizersAndAdamW")
    void parallelStepIsTheSerialStep(String name, Supplier<Optimizer> make) {
        try (org.varec.util.Parallel pool = new org.varec.util.Parallel(3)) {
            Rng rng = new Rng(11);
            ParamArray a = ParamArray.sparse("a", 2000, 5);
            ParamArray b = ParamArray.sparse("b", 2000, 5);
            Optimizer serial = make.get();
            Optimizer parallel = make.get();
            for (int it = 0; it < 6; it++) {
                for (int t = 0; t < 1500; t++) {
                    int r = rng.nextInt(2000);
                    a.touch(r);
                    b.touch(r);
                    for (int c = 0; c < 5; c++) {
                        float gv = (float) rng.nextGaussian();
                        a.grad()[r * 5 + c] += gv;
                        b.grad()[r * 5 + c] += gv;
                    }
                }
                serial.step(List.of(a));
                parallel.step(List.of(b), pool);
                a.zeroGrad();
                b.zeroGrad();
                assertArrayEquals(a.value(), b.value(), name + " iteration " + it);
            }
        }
    }

    /**
     * Consecutive touched rows at the same step number are updated as one span: each element must
     * get the bits it gets from its own row stepped alone. The reference is one dense one-row array
     * per row (its own step count), stepped only when its row is touched; the sparse array's rows
     * are touched in runs (an entity's block of rows, as the factored latent layer does) and singly,
     * so runs meet rows of other step numbers. Rows of 25 and 7 floats (vector and scalar paths).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizersAndAdamW")
    void runsOfRowsStepLikeSingleRows(String name, Supplier<Optimizer> make) {
        try (org.varec.util.Parallel pool = new org.varec.util.Parallel(3)) {
            for (int cols : new int[] {25, 7}) {
                for (org.varec.util.Parallel threads : new org.varec.util.Parallel[] {null, pool}) {
                    Rng rng = new Rng(13);
                    int rows = 900;
                    ParamArray sparse = ParamArray.sparse("s", rows, cols);
                    ParamArray[] single = new ParamArray[rows];
                    for (int r = 0; r < rows; r++) {
                        single[r] = ParamArray.dense("r" + r, 1, cols);
                    }
                    Optimizer one = make.get();
                    Optimizer many = make.get();
                    for (int it = 0; it < 6; it++) {
                        boolean[] touched = new boolean[rows];
                        for (int t = 0; t < 40; t++) {
                            int first = rng.nextInt(rows - 10);
                            int len = rng.nextInt(3) == 0 ? 1 : 10;
                            for (int r = first; r < first + len; r++) {
                                touched[r] = true;
                                sparse.touch(r);
                                for (int c = 0; c < cols; c++) {
                                    float gv = (float) rng.nextGaussian();
                                    sparse.grad()[r * cols + c] += gv;
                                    single[r].grad()[c] += gv;
                                }
                            }
                        }
                        java.util.List<ParamArray> stepped = new java.util.ArrayList<>();
                        for (int r = 0; r < rows; r++) {
                            if (touched[r]) {
                                stepped.add(single[r]);
                            }
                        }
                        one.stepAndZeroGrad(List.of(sparse), threads);
                        many.step(stepped);
                        Optimizer.zeroGrad(stepped);
                        for (int r = 0; r < rows; r++) {
                            float[] row = java.util.Arrays.copyOfRange(sparse.value(), r * cols, (r + 1) * cols);
                            assertArrayEquals(single[r].value(), row, name + " cols " + cols + " row " + r);
                            assertEquals(((LazyRowOptimizer) many).steps(single[r], 0), ((LazyRowOptimizer) one).steps(sparse, r));
                        }
                    }
                }
            }
        }
    }

    /**
     * The fused step and clearing gives the bits of a step then {@link Optimizer#zeroGrad}, on a
     * sparse array (rows touched again and again, parallel rows) and a dense one (with rows longer
     * than a vector), and leaves every gradient zero and no row touched.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizersAndAdamW")
    void stepAndZeroGradIsAStepThenZeroGrad(String name, Supplier<Optimizer> make) {
        try (org.varec.util.Parallel pool = new org.varec.util.Parallel(3)) {
            for (org.varec.util.Parallel threads : new org.varec.util.Parallel[] {null, pool}) {
                Rng rng = new Rng(12);
                ParamArray[] plain = {ParamArray.sparse("s", 600, 37), ParamArray.dense("d", 3, 41)};
                ParamArray[] fused = {ParamArray.sparse("s", 600, 37), ParamArray.dense("d", 3, 41)};
                Optimizer one = make.get();
                Optimizer two = make.get();
                for (int it = 0; it < 5; it++) {
                    for (int t = 0; t < 400; t++) {
                        int r = rng.nextInt(600);
                        plain[0].touch(r);
                        fused[0].touch(r);
                        for (int c = 0; c < 37; c++) {
                            float gv = (float) rng.nextGaussian();
                            plain[0].grad()[r * 37 + c] += gv;
                            fused[0].grad()[r * 37 + c] += gv;
                        }
                    }
                    for (int e = 0; e < 3 * 41; e++) {
                        float gv = (float) rng.nextGaussian();
                        plain[1].grad()[e] = gv;
                        fused[1].grad()[e] = gv;
                    }
                    one.step(List.of(plain), threads);
                    Optimizer.zeroGrad(List.of(plain));
                    two.stepAndZeroGrad(List.of(fused), threads);
                    for (int k = 0; k < 2; k++) {
                        assertArrayEquals(plain[k].value(), fused[k].value(), name + " iteration " + it);
                        assertArrayEquals(new float[plain[k].size()], fused[k].grad(), name + " gradient cleared");
                    }
                    assertEquals(0, fused[0].numTouched());
                }
            }
        }
    }

    @Test
    void clippingByGlobalNorm() {
        ParamArray d = ParamArray.dense("d", 1, 2);
        ParamArray s = ParamArray.sparse("s", 3, 2);
        d.grad()[0] = 3f;
        d.grad()[1] = 0f;
        s.touch(2);
        s.grad()[4] = 0f;
        s.grad()[5] = 4f;
        List<ParamArray> ps = List.of(d, s);
        assertEquals(5.0, GradientClipping.globalNorm(ps), 1e-12);
        assertEquals(5.0, GradientClipping.clipGlobalNorm(ps, 10), 1e-12);
        assertArrayEquals(new float[] {3f, 0f}, d.grad());
        assertEquals(5.0, GradientClipping.clipGlobalNorm(ps, 1), 1e-12);
        assertEquals(0.6f, d.grad()[0], 1e-7f);
        assertEquals(0.8f, s.grad()[5], 1e-7f);
        assertEquals(1.0, GradientClipping.globalNorm(ps), 1e-6);
    }

    /** setLearningRate: the first step after it moves by the new step size (lr g / |g| on RMSProp's first step, v = 0.1 g^2). */
    @Test
    void rmsPropStepSizeCanBeChanged() {
        ParamArray p = ParamArray.dense("x", 1, 3);
        RmsProp opt = RmsProp.of(0.01);
        opt.setLearningRate(0.04);
        float[] g = {2f, -0.5f, 1f};
        System.arraycopy(g, 0, p.grad(), 0, 3);
        opt.step(List.of(p));
        for (int e = 0; e < 3; e++) {
            assertEquals(-0.04 * Math.signum(g[e]) / Math.sqrt(0.1), p.value()[e], 1e-6);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(0));
    }
}
