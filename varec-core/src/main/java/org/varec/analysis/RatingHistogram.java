package org.varec.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * How many ratings fall in each bin. Bins are either the distinct rating values themselves (star
 * ratings: at most {@link #MAX_CATEGORIES} of them) or, for continuous ratings, {@code
 * MAX_CATEGORIES} equal-width intervals between the smallest and the largest rating.
 *
 * <p>Exactly one of {@code values} and {@code edges} is non-null.
 *
 * @param values the distinct values counted, ascending (bin {@code b} counts ratings equal to
 *               {@code values[b]}; other values are not counted), or null for intervals
 * @param edges  interval edges, ascending, one more than there are bins (bin {@code b} counts
 *               ratings in {@code [edges[b], edges[b + 1])}, the last bin also its upper edge; ratings
 *               outside go to the nearest end bin), or null for distinct values
 * @param counts ratings per bin
 */
public record RatingHistogram(float[] values, double[] edges, long[] counts) {
    /** More distinct values than this are counted in intervals. */
    public static final int MAX_CATEGORIES = 20;

    public RatingHistogram {
        if ((values == null) == (edges == null)) {
            throw new IllegalArgumentException("a histogram has either distinct values or interval edges");
        }
        int bins = values != null ? values.length : edges.length - 1;
        if (counts.length != bins) {
            throw new IllegalArgumentException(counts.length + " counts for " + bins + " bins");
        }
    }

    /** The histogram of {@code ratings}, with bins chosen from them (see the class comment). */
    public static RatingHistogram of(float[] ratings) {
        TreeSet<Float> distinct = new TreeSet<>();
        for (float x : ratings) {
            distinct.add(x);
            if (distinct.size() > MAX_CATEGORIES) {
                break;
            }
        }
        if (distinct.size() <= MAX_CATEGORIES) {
            float[] values = new float[distinct.size()];
            int k = 0;
            for (float x : distinct) {
                values[k++] = x;
            }
            return new RatingHistogram(values, null, new long[values.length]).count(ratings);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : ratings) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        double[] edges = new double[MAX_CATEGORIES + 1];
        for (int b = 0; b <= MAX_CATEGORIES; b++) {
            edges[b] = lo + (hi - lo) * b / MAX_CATEGORIES;
        }
        return new RatingHistogram(null, edges, new long[MAX_CATEGORIES]).count(ratings);
    }

    /** The histogram of {@code ratings} in the same bins as this one (so that histograms compare). */
    public RatingHistogram count(float[] ratings) {
        long[] c = new long[bins()];
        if (values != null) {
            for (float x : ratings) {
                int b = Arrays.binarySearch(values, x);
                if (b >= 0) {
                    c[b]++;
                }
            }
        } else {
            int bins = c.length;
            double lo = edges[0];
            double width = (edges[bins] - lo) / bins;
            for (float x : ratings) {
                int b = width == 0 ? 0 : (int) Math.floor((x - lo) / width);
                c[Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
        return new RatingHistogram(values, edges, c);
    }

    /** Number of bins. */
    public int bins() {
        return counts.length;
    }

    /** Ratings counted (those of other values than {@link #values()} are not). */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * A name per bin: the value ({@code 4}, {@code 3.5}) or the middle of the interval (one decimal,
     * or three significant digits for intervals narrower than 0.1).
     */
    public List<String> labels() {
        List<String> out = new ArrayList<>(bins());
        if (values != null) {
            for (float x : values) {
                out.add(x == Math.rint(x) ? Integer.toString((int) x) : Float.toString(x));
            }
            return out;
        }
        int bins = bins();
        double width = (edges[bins] - edges[0]) / bins;
        for (int b = 0; b < bins; b++) {
            out.add(String.format(Locale.ROOT, width >= 0.1 ? "%.1f" : "%.3g", (edges[b] + edges[b + 1]) / 2));
        }
        return out;
    }
}
