package org.varec.model.mf;

/**
 * The hot loop of {@code biasmf}: plain SGD over a run of rating triples, in their stored order.
 * Two implementations behind one contract, chosen once when this class is initialised (as
 * {@link org.varec.nn.Kernels} chooses its backend, and by the same switch): {@code VectorSgdPass}
 * (JDK Vector API) when the {@code jdk.incubator.vector} module is in the boot layer and the
 * system property {@code varec.nn.vector} is not {@code false}, else {@link #SCALAR}.
 *
 * <p><b>Layout.</b> Ratings are {@code int} triples {@code (user, item, Float.floatToRawIntBits(r))}
 * at {@code tr[3t], tr[3t+1], tr[3t+2]}; factors are row-major, {@code p_u = p[u*k .. u*k+k)},
 * {@code q_i = q[i*k .. i*k+k)}; biases one float per row.
 *
 * <p><b>The step</b> (see {@link BiasMfTrainer}): with {@code e = r - (mu + b_u + b_i + p_u.q_i)},
 * {@code b_u += lr (e - regB b_u)}, {@code b_i += lr (e - regB b_i)},
 * {@code p_u <- (1 - lr reg) p_u + lr e q_i} and {@code q_i <- (1 - lr reg) q_i + lr e p_u}, both
 * from the old values.
 *
 * <p><b>Precision.</b> Float storage and arithmetic. The factor updates are the same float
 * operations in both implementations (multiply, multiply, add: the same bits); the dot product is
 * not: the scalar one keeps four partial sums, the vector one a fused multiply-add chain per lane
 * folded by a fixed butterfly, so the two differ by a few float ulps per step (and the models they
 * train drift apart like any two SGD runs). Each implementation alone is deterministic: no
 * {@code reduceLanes}, whose order may differ between interpreted and compiled code. The returned
 * sum of squared errors is accumulated in double.
 *
 * <p><b>Speed</b> (ML-1M, K = 10, one thread, shuffled order, AMD EPYC with AVX-512): 15 ns per
 * rating scalar, 8 ns vector. In user order the vector loop is slower (16 ns): consecutive steps on
 * the same user form one dependency chain through {@code p_u}, which is why the trainer keeps the
 * ratings shuffled.
 */
interface SgdPass {
    /**
     * Steps through triples {@code [from, to)} and returns the sum of their squared errors
     * {@code e^2}, each taken just before its own step.
     */
    double run(int[] tr, int from, int to, float[] p, float[] q, float[] bu, float[] bi, int k, float mu,
               float lr, float reg, float regB);

    /** The plain-Java implementation: {@link BiasMfTrainer#step} per triple. */
    SgdPass SCALAR = (tr, from, to, p, q, bu, bi, k, mu, lr, reg, regB) -> {
        double sse = 0;
        for (int t = from; t < to; t++) {
            float e = BiasMfTrainer.step(tr[3 * t], tr[3 * t + 1], Float.intBitsToFloat(tr[3 * t + 2]),
                    p, q, bu, bi, k, mu, lr, reg, regB);
            sse += (double) e * e;
        }
        return sse;
    };

    /** The implementation in use (see the class comment). */
    SgdPass CHOSEN = Choice.choose();

    /** Whether {@link #CHOSEN} is the Vector API one. */
    static boolean vectorized() {
        return CHOSEN != SCALAR;
    }

    /** Holder of the one-time choice (interfaces cannot have private static methods with state). */
    final class Choice {
        private Choice() {
        }

        static SgdPass choose() {
            boolean wanted = !"false".equalsIgnoreCase(System.getProperty("varec.nn.vector"));
            if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    // by name, so that nothing links against the incubator module when it is absent
                    return (SgdPass) Class.forName("org.varec.model.mf.VectorSgdPass").getDeclaredConstructor()
                            .newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    return SCALAR;
                }
            }
            return SCALAR;
        }
    }
}
