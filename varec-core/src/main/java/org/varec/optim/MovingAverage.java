package org.varec.optim;

import java.util.List;
import org.varec.nn.ParamArray;

/**
 * An exponential moving average of the iterates of some {@link ParamArray}s (Polyak-Ruppert
 * averaging with exponential weights; the "EMA of the weights" of Adam's paper, sec. 7.2): after
 * each optimiser step t with weight {@code w_t} in (0, 1],
 * <pre>
 *   avg_t = w_t avg_(t-1) + (1 - w_t) x_t            avg_0 = x_0 (the values when this is made)
 * </pre>
 * Training never reads the average; a model built from it is what the caller evaluates.
 *
 * <p><b>Lazy rows, exactly.</b> A row that no step changes between its updates keeps one value
 * x, and k steps with weights w_s..w_t blend it as one step with weight {@code prod w}:
 * {@code avg = (prod w) avg + (1 - prod w) x}. So a row is brought up to date only when it is about
 * to change ({@link #beforeStep}: the touched rows of a sparse array, every row of a dense one)
 * and when the average is read ({@link #sync}), from {@code log prod w} kept as a running sum
 * ({@link #advance}) and each row's mark of that sum at its last update. The result is that of the
 * dense recursion above (up to float rounding), at the cost of the rows a step touches.
 *
 * <p>Use per step: gradients, {@code beforeStep(arrays)} (before the optimiser changes them),
 * the optimiser's step, then {@code advance(w)} once all arrays of the step have moved.
 */
public final class MovingAverage {
    private final List<ParamArray> params;
    private final float[][] average;
    /** Per array and row, {@link #logWeight} when the row's average was last brought up to date. */
    private final double[][] mark;
    /** {@code log prod w} over the steps so far. */
    private double logWeight;

    public MovingAverage(List<ParamArray> params) {
        this.params = List.copyOf(params);
        this.average = new float[this.params.size()][];
        this.mark = new double[this.params.size()][];
        for (int a = 0; a < average.length; a++) {
            ParamArray p = this.params.get(a);
            average[a] = p.value().clone();
            mark[a] = new double[p.rows()];
        }
    }

    /**
     * Brings the average of the rows about to change (the touched rows of each of {@code arrays},
     * all rows of a dense one) up to date with their current value. Call before the optimiser step.
     */
    public void beforeStep(List<ParamArray> arrays) {
        for (ParamArray p : arrays) {
            int a = indexOf(p);
            for (int k = 0; k < p.numTouched(); k++) {
                catchUp(a, p.touchedRow(k));
            }
        }
    }

    /** One step has been taken by every array (the rows it changed had {@link #beforeStep}), with weight w. */
    public void advance(double w) {
        if (!(w > 0 && w <= 1)) {
            throw new IllegalArgumentException("moving-average weight must be in (0, 1], got " + w);
        }
        logWeight += Math.log(w);
    }

    /** Brings every row up to date; the averages ({@link #average(int)}) are then current. */
    public void sync() {
        for (int a = 0; a < average.length; a++) {
            for (int r = 0; r < mark[a].length; r++) {
                catchUp(a, r);
            }
        }
    }

    /** Starts the average afresh at the arrays' current values (after they were replaced). */
    public void reset() {
        for (int a = 0; a < average.length; a++) {
            float[] x = params.get(a).value();
            System.arraycopy(x, 0, average[a], 0, x.length);
            java.util.Arrays.fill(mark[a], logWeight);
        }
    }

    /** The average of the {@code a}-th array (as given to the constructor); current after {@link #sync}. */
    public float[] average(int a) {
        return average[a];
    }

    private int indexOf(ParamArray p) {
        for (int a = 0; a < average.length; a++) {
            if (params.get(a) == p) {
                return a;
            }
        }
        throw new IllegalArgumentException(p.name() + " is not averaged here");
    }

    /** {@code avg = f avg + (1 - f) x} over row r, f = prod of the weights since its mark. */
    private void catchUp(int a, int r) {
        double since = logWeight - mark[a][r];
        if (since == 0) {
            return;
        }
        mark[a][r] = logWeight;
        float f = (float) Math.exp(since);
        float g = 1f - f;
        float[] avg = average[a];
        float[] x = params.get(a).value();
        int cols = params.get(a).cols();
        for (int e = r * cols; e < (r + 1) * cols; e++) {
            avg[e] = f * avg[e] + g * x[e];
        }
    }
}
