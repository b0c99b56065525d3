package org.varec.data.synth;

import org.varec.data.RatingScale;

/**
 * The values a synthetic rating can take: a regular grid from {@link #min()} to {@link #max()} in
 * steps of {@link #step()}.
 */
public enum RatingGrid {
    /** MovieLens 10M and later: 0.5, 1.0, ..., 5.0. */
    HALF_STARS(0.5, 5.0, 0.5),
    /** MovieLens 100K and 1M: 1, 2, 3, 4, 5. */
    STARS(1.0, 5.0, 1.0);

    private final double min;
    private final double max;
    private final double step;

    RatingGrid(double min, double max, double step) {
        this.min = min;
        this.max = max;
        this.step = step;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double step() {
        return step;
    }

    /** Number of grid points (10 for half stars, 5 for stars). */
    public int levels() {
        return (int) Math.round((max - min) / step) + 1;
    }

    /** The value of grid point {@code level} ({@code 0 <= level < levels()}). */
    public double value(int level) {
        return min + level * step;
    }

    /** The grid point nearest to {@code x}, clamped into the grid. */
    public int level(double x) {
        double l = Math.rint((x - min) / step);
        if (!(l > 0)) {
            return 0; // also NaN
        }
        int top = levels() - 1;
        return l >= top ? top : (int) l;
    }

    /** The declared scale ({@link RatingScale#HALF_STARS} or {@link RatingScale#STARS_1_5}). */
    public RatingScale scale() {
        return this == HALF_STARS ? RatingScale.HALF_STARS : RatingScale.STARS_1_5;
    }

    /** Parses {@code half}, {@code half-stars}, {@code 0.5:5} or {@code stars}, {@code 1:5}. */
    public static RatingGrid parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "half", "half-stars", "half_stars", "0.5:5", "0.5..5" -> HALF_STARS;
            case "stars", "integer", "1:5", "1..5" -> STARS;
            default -> throw new IllegalArgumentException(
                    "rating grid must be 'half-stars' (0.5:5) or 'stars' (1:5), got '" + s + "'");
        };
    }
}
