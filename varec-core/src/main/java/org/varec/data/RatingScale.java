package org.varec.data;

/**
 * The declared range of rating values; readers refuse values outside it (naming file and line).
 * {@link #UNBOUNDED} accepts any finite value.
 */
public record RatingScale(double min, double max) {
    public static final RatingScale UNBOUNDED = new RatingScale(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    /** MovieLens 100K, 1M: integer stars 1..5. */
    public static final RatingScale STARS_1_5 = new RatingScale(1, 5);
    /** MovieLens 10M and later: half stars 0.5..5. */
    public static final RatingScale HALF_STARS = new RatingScale(0.5, 5);

    public RatingScale {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("rating scale needs min <= max, got " + min + ".." + max);
        }
    }

    public boolean contains(double v) {
        return v >= min && v <= max;
    }

    public boolean bounded() {
        return Double.isFinite(min) && Double.isFinite(max);
    }

    /** Clamps a prediction into the scale (no-op when unbounded). */
    public double clamp(double v) {
        return v < min ? min : (v > max ? max : v);
    }

    /** Parses {@code "1:5"} or {@code "0.5:5"}; {@code "none"} means unbounded. */
    public static RatingScale parse(String s) {
        String t = s.trim();
        if (t.equalsIgnoreCase("none")) {
            return UNBOUNDED;
        }
        int c = t.indexOf(':');
        if (c < 0) {
            throw new IllegalArgumentException("rating scale must look like MIN:MAX (e.g. 1:5), got '" + s + "'");
        }
        try {
            return new RatingScale(Double.parseDouble(t.substring(0, c)), Double.parseDouble(t.substring(c + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rating scale must look like MIN:MAX (e.g. 1:5), got '" + s + "'");
        }
    }

    @Override
    public String toString() {
        return bounded() ? fmt(min) + ":" + fmt(max) : "none";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
