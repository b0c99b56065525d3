package org.varec.recommend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.varec.model.FactorModel;

/**
 * Questions about items answered from their latent vectors: which items divide people most
 * (polarizing: the largest {@code ||v_i||}, "Matrix Factorization in Action" section 5.2 — a long
 * item vector means the rating depends strongly on who rates it, a short one that everybody rates
 * it about the same), and which items are alike (cosine of item vectors).
 */
public final class ItemFactors {
    private ItemFactors() {
    }

    /** Euclidean norms {@code ||v_i||} of every item vector. */
    public static double[] norms(FactorModel m) {
        int k = m.rank();
        float[] v = m.itemFactors();
        double[] out = new double[m.numItems()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int f = 0; f < k; f++) {
                double x = v[i * k + f];
                s += x * x;
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }

    /**
     * The {@code n} items with the largest ({@code most = true}) or smallest item-vector norm among
     * items with at least {@code minRatings} training ratings ({@code counts[i]}); scores are the norms.
     */
    public static List<Recommendation> polarizing(FactorModel m, int[] counts, int minRatings, int n, boolean most) {
        if (counts.length != m.numItems()) {
            throw new IllegalArgumentException("counts cover " + counts.length + " items, the model " + m.numItems());
        }
        double[] norms = norms(m);
        double[] key = new double[norms.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = counts[i] < minRatings ? Double.NaN : (most ? norms[i] : -norms[i]);
        }
        return toList(TopN.select(key, n, null), norms, key);
    }

    /** The {@code n} items most similar to {@code item} by cosine of item vectors (the item itself left out). */
    public static List<Recommendation> similar(FactorModel m, int item, int n) {
        if (item < 0 || item >= m.numItems()) {
            throw new IllegalArgumentException("item index " + item + " outside 0.." + (m.numItems() - 1));
        }
        int k = m.rank();
        float[] v = m.itemFactors();
        double[] norms = norms(m);
        double[] cos = new double[norms.length];
        double ni = norms[item];
        for (int j = 0; j < cos.length; j++) {
            if (j == item || norms[j] == 0 || ni == 0) {
                cos[j] = Double.NaN;
                continue;
            }
            double s = 0;
            for (int f = 0; f < k; f++) {
                s += (double) v[item * k + f] * v[j * k + f];
            }
            cos[j] = s / (ni * norms[j]);
        }
        return toList(TopN.select(cos, n, new int[] {item}), cos, cos);
    }

    private static List<Recommendation> toList(int[] best, double[] score, double[] key) {
        List<Recommendation> out = new ArrayList<>(best.length);
        for (int i : best) {
            if (Double.isNaN(key[i])) {
                break; // NaN ranks last: only ineligible items remain
            }
            out.add(new Recommendation(i, score[i]));
        }
        return Collections.unmodifiableList(out);
    }

    /** Ratings per item from a model's seen-items table (what the model was trained on). */
    public static int[] counts(org.varec.data.SeenItems seen, int numItems) {
        int[] c = new int[numItems];
        for (int i : seen.items()) {
            if (i < numItems) {
                c[i]++;
            }
        }
        return c;
    }
}
