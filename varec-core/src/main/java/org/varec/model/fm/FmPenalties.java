package org.varec.model.fm;

/**
 * libFM's {@code regular} parameter: L2 penalties written {@code r} (one for all) or
 * {@code r0,r1,r2} (global bias w0, linear weights w, factors V), each a finite number {@code >= 0}.
 */
final class FmPenalties {
    private FmPenalties() {
    }

    /** {@code {r0, r1, r2}} of a {@code regular} value; an error naming the syntax when it is not one. */
    static double[] parse(String s) {
        String[] parts = s.split(",");
        double[] r = new double[3];
        try {
            if (parts.length == 1) {
                java.util.Arrays.fill(r, Double.parseDouble(parts[0].trim()));
            } else if (parts.length == 3) {
                for (int i = 0; i < 3; i++) {
                    r[i] = Double.parseDouble(parts[i].trim());
                }
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw invalid(s);
        }
        for (double v : r) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw invalid(s);
            }
        }
        return r;
    }

    /**
     * The one spelling of a valid {@code regular} value ({@code 0,10,10} is {@code 0.0,10.0,10.0}, a
     * single {@code r} when all three agree), so that equal penalties make equal configs.
     */
    static String canonical(String s) {
        double[] r = parse(s);
        return r[0] == r[1] && r[1] == r[2] ? Double.toString(r[0]) : r[0] + "," + r[1] + "," + r[2];
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("parameter regular must be r or r0,r1,r2 (numbers >= 0), got '" + s + "'");
    }
}
