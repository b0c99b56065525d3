package org.varec.model.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.data.FeatureTable;
import org.varec.data.FmLayout;
import org.varec.data.Interactions;
import org.varec.data.RatingScale;
import org.varec.data.SparseDesign;
import org.varec.metrics.RegressionMetrics;
import org.varec.model.Algorithms;
import org.varec.model.Params;
import org.varec.testing.PlantedFactors;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;

class VbfmTest {
    /** A small problem with an item side group (multi-valued, 1/count values), so rows have 2-4 features. */
    static VbfmState state(long seed, int d) {
        PlantedFactors pf = PlantedFactors.generate(seed, 25, 20, 2, 1.0, 0.4, 0.3);
        FeatureTable.Builder b = new FeatureTable.Builder(20);
        for (int i = 0; i < 20; i++) {
            b.add(i, "genre", "g" + (i % 3));
            if (i % 4 == 0) {
                b.add(i, "genre", "g3");
            }
        }
        FmLayout layout = FmLayout.of(25, 20, null, b.build(), true);
        SparseDesign design = layout.design(org.varec.data.RatingMatrix.of(pf.train()));
        return new VbfmState(d, FmDesign.of(design, design.numFeatures()), layout.numGroups(), 0.3, seed);
    }

    @Test
    void elboNeverDecreases() {
        VbfmState s = state(1, 3);
        double prev = s.elbo();
        double[] ab = new double[2];
        for (int sweep = 0; sweep < 15; sweep++) {
            s.updateW0(ab);
            prev = check(s, prev, "w0");
            for (int k = 0; k < s.K; k++) {
                if (s.nk[k] > 0) {
                    s.updateFeature(k, ab);
                    prev = check(s, prev, "feature " + k);
                }
            }
            s.updatePriors();
            prev = check(s, prev, "priors");
            s.updateAlpha();
            prev = check(s, prev, "alpha");
        }
    }

    private static double check(VbfmState s, double prev, String what) {
        double e = s.elbo();
        assertTrue(e >= prev - 1e-9 * Math.abs(prev), what + ": ELBO went from " + prev + " to " + e);
        return e;
    }

    @Test
    void eachCoordinateUpdateIsAMaximiser() {
        VbfmState s = state(2, 2);
        for (int sweep = 0; sweep < 3; sweep++) {
            VbfmTrainer.sweep(s);
        }
        double[] ab = new double[2];
        // after updating coordinate (k, c), perturbing its mean or variance lowers the ELBO
        for (int k : new int[] {0, 3, 26, 30, 45, 46}) {
            for (int c = 0; c <= s.d; c++) {
                s.updateCoordinate(k, c, ab);
                double best = s.elbo();
                double m = s.mean(k, c);
                double v = s.var(k, c);
                for (double[] dmv : new double[][] {{1e-3, 0}, {-1e-3, 0}, {0, v * 1e-2}, {0, -v * 1e-2}}) {
                    s.set(k, c, m + dmv[0], v + dmv[1]);
                    assertTrue(s.elbo() < best, "feature " + k + " coordinate " + c);
                }
                s.set(k, c, m, v);
            }
        }
        // w0, priors and alpha too
        s.updateW0(ab);
        double best = s.elbo();
        double m0 = s.m0;
        s.m0 = m0 + 1e-3;
        assertTrue(s.elbo() < best);
        s.m0 = m0;
        s.updatePriors();
        best = s.elbo();
        for (int j = 0; j < s.nu.length; j++) {
            double keep = s.nu[j];
            s.nu[j] = keep + 1e-3;
            assertTrue(s.elbo() < best, "nu " + j);
            s.nu[j] = keep;
            keep = s.lam[j];
            s.lam[j] = keep * 1.01;
            assertTrue(s.elbo() < best, "lambda " + j);
            s.lam[j] = keep;
        }
        s.updateAlpha();
        best = s.elbo();
        double a = s.alpha;
        s.alpha = a * 1.01;
        assertTrue(s.elbo() < best);
        s.alpha = a * 0.99;
        assertTrue(s.elbo() < best);
    }

    @Test
    void coefficientsAreExact() {
        // F is quadratic in (m, s2): check a prediction at another point
        VbfmState s = state(3, 2);
        int k = 30;
        int r = s.fRows[s.fOff[k]];
        for (int c = 0; c <= 2; c++) {
            double f00 = s.residual(r, k, c, 0, 0);
            double a = s.residual(r, k, c, 0, 1) - f00;
            double b = 0.5 * (a + f00 - s.residual(r, k, c, 1, 0));
            double m = 0.7;
            double v = 0.3;
            assertEquals(a * (m * m + v) - 2 * b * m + f00, s.residual(r, k, c, m, v), 1e-9);
        }
    }

    @Test
    void recoversPlantedStructureAndRoundTrips() throws IOException {
        PlantedFactors pf = PlantedFactors.generate(3, 150, 120, 3, 1.0, 0.3, 0.3);
        List<EpochReport> reps = new ArrayList<>();
        TrainingContext ctx = TrainingContext.of(42, 1).withValidation(pf.test()).withListener(new TrainingListener() {
            @Override
            public void onEpoch(EpochReport r) {
                reps.add(r);
            }
        });
        TrainingData td = TrainingData.of(pf.train(), RatingScale.UNBOUNDED);
        VfmModel m = new VbfmTrainer(new VbfmConfig(3, 25, 0.1, FmSide.NONE)).fit(td, ctx);
        for (int i = 1; i < reps.size(); i++) {
            assertTrue(reps.get(i).figure("elbo") >= reps.get(i - 1).figure("elbo") - 1e-12);
        }
        Interactions te = pf.test();
        double truth = 0;
        for (int q = 0; q < te.size(); q++) {
            double e = te.values()[q] - pf.truth(te.users()[q], te.items()[q]);
            truth += e * e;
        }
        truth = Math.sqrt(truth / te.size());
        double rmse = RegressionMetrics.rmse(m, te, RatingScale.UNBOUNDED);
        assertTrue(rmse < 1.25 * truth, "vbfm rmse " + rmse + " truth " + truth);
        assertEquals(0.3, 1 / Math.sqrt(m.noisePrecision()), 0.08);

        VfmModel o = new OvbfmTrainer(new OvbfmConfig(3, 15, 2000, 0.6, 1, 0.1, FmSide.NONE)).fit(td, TrainingContext.of(42, 1));
        double rmseO = RegressionMetrics.rmse(o, te, RatingScale.UNBOUNDED);
        assertTrue(rmseO < 1.35 * truth, "ovbfm rmse " + rmseO + " truth " + truth);

        for (String name : new String[] {"vbfm", "ovbfm"}) {
            VfmModel x = name.equals("vbfm") ? m : o;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            x.writeParameters(new DataOutputStream(bytes));
            VfmModel back = (VfmModel) Algorithms.get(name).read(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                    Algorithms.get(name).parseConfig(Params.empty()));
            assertEquals(name, back.algorithm());
            for (int u = -1; u < 150; u += 7) {
                for (int i = -1; i < 120; i += 5) {
                    assertEquals(x.predict(u, i), back.predict(u, i), 0.0);
                    assertEquals(x.predictive(u, i), back.predictive(u, i));
                }
            }
        }
    }
}
