package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varec.io.ModelIo;

class FmSamplesTest {
    /** Random samples of p features and rank k. */
    private static FmParams[] samples(int ns, int p, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FmParams[] s = new FmParams[ns];
        for (int i = 0; i < ns; i++) {
            float[] w = new float[p];
            float[] v = new float[p * k];
            for (int j = 0; j < p; j++) {
                w[j] = (float) rnd.nextGaussian();
            }
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) rnd.nextGaussian();
            }
            s[i] = new FmParams(rnd.nextGaussian(), w, v, k);
        }
        return s;
    }

    private static FmSamples of(FmParams[] s) {
        int k = s[0].k;
        return new FmSamples(s, new double[s.length], new double[s.length * (2 + 2 * k)], FmSamples.Link.IDENTITY, true);
    }

    /** Packed feature by feature, each sample comes back as it went in, and through a file too. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void samplesComeBackAsTheyWentIn(long seed) throws IOException {
        FmParams[] in = samples(1 + (int) seed * 3, 7, (int) seed, seed);
        FmSamples m = of(in);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.write(new DataOutputStream(bytes));
        FmSamples back = FmSamples.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (FmSamples x : new FmSamples[] {m, back}) {
            for (int s = 0; s < in.length; s++) {
                FmParams p = x.sample(s);
                assertEquals(in[s].w0, p.w0);
                assertArrayEquals(in[s].w, p.w);
                assertArrayEquals(in[s].v, p.v);
            }
        }
    }

    /**
     * A table filled one sample at a time, as fm-mcmc keeps them, gives the predictor of the same
     * samples made at once: full (its arrays as they are) and part-filled (a copy of the first n).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 6})
    void aTableFilledSampleBySampleIsThePredictorOfItsSamples(int n) {
        int k = 3;
        FmParams[] in = samples(6, 9, k, n);
        FmSamples.Table t = new FmSamples.Table(6, 9, k);
        for (int s = 0; s < n; s++) {
            t.put(s, in[s]);
        }
        double[] noise = new double[n];
        double[] prior = new double[n * (2 + 2 * k)];
        FmSamples fromTable = t.samples(n, noise, prior, FmSamples.Link.IDENTITY, true);
        FmSamples atOnce = new FmSamples(java.util.Arrays.copyOf(in, n), noise, prior, FmSamples.Link.IDENTITY, true);
        assertEquals(n, fromTable.numSamples());
        for (int s = 0; s < n; s++) {
            assertArrayEquals(in[s].v, fromTable.sample(s).v);
            assertArrayEquals(in[s].w, fromTable.sample(s).w);
        }
        int[] idx = {0, 4, 8};
        float[] val = {1f, 0.5f, 2f};
        assertEquals(atOnce.predictive(idx, val, 3), fromTable.predictive(idx, val, 3));
    }

    /**
     * A fit's final check ({@link ModelIo#firstNonFinite}) scans the packed table: it finds a NaN
     * or an infinity wherever it is, in a bias, a weight or a factor of any sample.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void theFinalCheckFindsANonFiniteParameterOfAnySample(int where) {
        FmParams[] in = samples(5, 6, 3, 7);
        assertNull(ModelIo.firstNonFinite(of(in)::write));
        switch (where) {
            case 0 -> in[4].w0 = Double.NaN;
            case 1 -> in[0].w[5] = Float.POSITIVE_INFINITY;
            case 2 -> in[2].v[3 * 6 - 1] = Float.NaN;
            default -> in[3].v[0] = Float.NEGATIVE_INFINITY;
        }
        String bad = ModelIo.firstNonFinite(of(in)::write);
        assertTrue(bad != null && (bad.contains("NaN") || bad.contains("Infinity")), String.valueOf(bad));
    }
}
