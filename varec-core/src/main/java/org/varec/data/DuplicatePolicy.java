package org.varec.data;

/**
 * What to do when the same (user, item) pair is rated more than once. The default, {@link #LAST},
 * keeps the rating that comes last in file order (a re-rating replaces the earlier one), and the
 * reader reports how many it dropped.
 */
public enum DuplicatePolicy {
    /** Keep the last rating in file order (default). */
    LAST,
    /** Keep the first rating in file order. */
    FIRST,
    /** Replace the pair's ratings by their mean. */
    MEAN,
    /** Refuse the file. */
    ERROR;

    public static DuplicatePolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("duplicate policy must be one of last, first, mean, error; got '" + s + "'");
        }
    }
}
