package org.varec.data.io;

import java.nio.charset.StandardCharsets;

/**
 * Splits a line (bytes {@code [from, to)}) into fields and parses numbers without allocating.
 * After {@link #split}, field {@code f} is {@code [start(f), end(f))} with surrounding spaces
 * trimmed.
 */
final class Fields {
    private final byte[] delimiter; // null: runs of spaces and tabs
    private final int[] starts;
    private final int[] ends;
    private int count;

    /**
     * @param delimiter  the delimiter ({@code "\t"}, {@code ","}, {@code "::"}...), or null for runs of whitespace
     * @param maxFields  fields beyond this are counted but not located
     */
    Fields(String delimiter, int maxFields) {
        this.delimiter = delimiter == null ? null : delimiter.getBytes(StandardCharsets.UTF_8);
        this.starts = new int[maxFields];
        this.ends = new int[maxFields];
    }

    /** Splits {@code b[from, to)}; returns the number of fields (may exceed maxFields). */
    int split(byte[] b, int from, int to) {
        count = 0;
        if (delimiter == null) {
            int i = from;
            while (true) {
                while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                    i++;
                }
                if (i >= to) {
                    return count;
                }
                int s = i;
                while (i < to && b[i] != ' ' && b[i] != '\t') {
                    i++;
                }
                put(s, i);
            }
        }
        byte d0 = delimiter[0];
        int dl = delimiter.length;
        int s = from;
        for (int i = from; i <= to - dl; ) {
            if (b[i] == d0 && matches(b, i)) {
                put(s, i);
                i += dl;
                s = i;
            } else {
                i++;
            }
        }
        put(s, to);
        // trim spaces around each located field
        int located = Math.min(count, starts.length);
        for (int f = 0; f < located; f++) {
            int a = starts[f];
            int z = ends[f];
            while (a < z && b[a] == ' ') {
                a++;
            }
            while (z > a && b[z - 1] == ' ') {
                z--;
            }
            starts[f] = a;
            ends[f] = z;
        }
        return count;
    }

    private boolean matches(byte[] b, int i) {
        for (int k = 1; k < delimiter.length; k++) {
            if (b[i + k] != delimiter[k]) {
                return false;
            }
        }
        return true;
    }

    private void put(int s, int e) {
        if (count < starts.length) {
            starts[count] = s;
            ends[count] = e;
        }
        count++;
    }

    int start(int f) {
        return starts[f];
    }

    int end(int f) {
        return ends[f];
    }

    static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /**
     * Parses a decimal number in {@code b[from, to)}; NaN when it is not a finite number. The
     * common forms ({@code 4}, {@code 3.5}, {@code -1.25}) are parsed in place; others (exponents)
     * go through {@link Double#parseDouble}.
     */
    static double parseNumber(byte[] b, int from, int to) {
        if (from >= to) {
            return Double.NaN;
        }
        int i = from;
        boolean neg = false;
        if (b[i] == '-' || b[i] == '+') {
            neg = b[i] == '-';
            i++;
        }
        long mant = 0;
        int digits = 0;
        int scale = 0;
        boolean dot = false;
        for (; i < to; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                if (digits < 17) {
                    mant = mant * 10 + (c - '0');
                    digits++;
                    if (dot) {
                        scale++;
                    }
                } else if (!dot) {
                    return slow(b, from, to);
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return slow(b, from, to);
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double v = scale == 0 ? mant : mant / POW10[scale];
        return neg ? -v : v;
    }

    private static final double[] POW10 = new double[18];

    static {
        POW10[0] = 1;
        for (int k = 1; k < POW10.length; k++) {
            POW10[k] = POW10[k - 1] * 10;
        }
    }

    private static double slow(byte[] b, int from, int to) {
        try {
            double v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Parses a non-negative integer of at most 9 digits; -1 when it is not one. */
    static int parseIndex(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 9) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
