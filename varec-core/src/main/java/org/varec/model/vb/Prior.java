package org.varec.model.vb;

import java.util.Arrays;
import org.varec.linalg.Cholesky;

/**
 * The Gaussian prior of one side's factor rows, {@code u ~ N(m0, P^-1)}: ARD
 * ({@code m0 = 0}, {@code P = diag(tau_1..tau_K)}), or with {@code prior=gaussian} a learned mean
 * and a full precision matrix (the empirical-Bayes counterpart of BPMF's Gaussian-Wishart
 * hyper-prior). Mutable during training; models keep a copy.
 */
final class Prior {
    final int k;
    /** P, row-major k x k. */
    final double[] prec;
    /** m0. */
    final double[] mean;
    /** P m0. */
    final double[] precMean;

    Prior(int k) {
        this.k = k;
        this.prec = new double[k * k];
        this.mean = new double[k];
        this.precMean = new double[k];
    }

    /** Isotropic zero-mean prior with precision tau in every dimension. */
    static Prior isotropic(int k, double tau) {
        Prior p = new Prior(k);
        double[] t = new double[k];
        Arrays.fill(t, tau);
        p.setArd(t);
        return p;
    }

    /** P = diag(tau), m0 = 0. */
    void setArd(double[] tau) {
        Arrays.fill(prec, 0);
        Arrays.fill(mean, 0);
        Arrays.fill(precMean, 0);
        for (int x = 0; x < k; x++) {
            prec[x * k + x] = tau[x];
        }
    }

    /** Sets mean and precision (copied) and recomputes P m0. */
    void set(double[] m0, double[] p) {
        System.arraycopy(m0, 0, mean, 0, k);
        System.arraycopy(p, 0, prec, 0, k * k);
        for (int x = 0; x < k; x++) {
            double s = 0;
            for (int y = 0; y < k; y++) {
                s += prec[x * k + y] * mean[y];
            }
            precMean[x] = s;
        }
    }

    Prior copy() {
        Prior c = new Prior(k);
        c.set(mean, prec);
        return c;
    }

    /** log |P|. */
    double logDet() {
        double[] l = prec.clone();
        if (!Cholesky.factor(l, k)) {
            throw new ArithmeticException("prior precision is not positive definite");
        }
        double s = 0;
        for (int x = 0; x < k; x++) {
            s += 2 * Math.log(l[x * k + x]);
        }
        return s;
    }

    /** The diagonal of P (the ARD precisions tau_k for an ARD prior). */
    double[] diagonal() {
        double[] d = new double[k];
        for (int x = 0; x < k; x++) {
            d[x] = prec[x * k + x];
        }
        return d;
    }
}
