package org.varec.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/** {@link Mlp#backwardInput}: the input gradient of {@link Mlp#backward}, bit for bit, and no parameter gradient. */
class MlpBackwardInputTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void sameInputGradientWithoutParameterGradients(long seed) {
        Rng rng = new Rng(seed);
        int batch = 1 + rng.nextInt(150);
        int layers = 1 + rng.nextInt(4);
        int[] sizes = new int[layers + 1];
        for (int l = 0; l <= layers; l++) {
            sizes[l] = 1 + rng.nextInt(l == layers ? 3 : 40);
        }
        Activation[] acts = Activation.values();
        Mlp mlp = Mlp.of("m", sizes, acts[1 + rng.nextInt(acts.length - 1)], acts[rng.nextInt(acts.length)])
                .initialize(rng);
        float[] x = Reference.gaussian(rng, batch * sizes[0], 1);
        float[] y = new float[batch * sizes[layers]];
        float[] dy = Reference.gaussian(rng, y.length, 1);
        float[] full = new float[x.length];
        float[] only = new float[x.length];
        try (Parallel pool = new Parallel(2)) {
            mlp.forward(x, y, batch, pool);
            mlp.backward(x, y, dy.clone(), full, batch, pool);
            for (ParamArray p : mlp.params()) {
                p.zeroGrad();
            }
            mlp.forward(x, y, batch, pool);
            mlp.backwardInput(x, y, dy.clone(), only, batch, pool);
        }
        assertArrayEquals(full, only);
        for (ParamArray p : mlp.params()) {
            assertArrayEquals(new float[p.size()], p.grad(), p.name());
        }
    }
}
