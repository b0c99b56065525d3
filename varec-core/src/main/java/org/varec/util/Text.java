package org.varec.util;

/**
 * Text from input files shown in messages. Input may hold anything: control characters echoed raw
 * would move the cursor, recolour or retitle the user's terminal (escape-sequence injection), and a
 * 200 MB line would flood it. Everything user-supplied that goes into a message passes through here.
 */
public final class Text {
    /** Longest piece of input quoted in a message; the rest is elided. */
    public static final int MAX_QUOTED = 80;

    private Text() {
    }

    /** {@code s} in single quotes, non-printables escaped, cut to {@value #MAX_QUOTED} characters. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) : s;
        return "'" + printable(cut) + "'" + (cut.length() < s.length() ? "... (" + s.length() + " characters)" : "");
    }

    /**
     * {@code s} with every control or otherwise non-printable character written as an escape
     * ({@code \t}, {@code \n}, {@code \r}, {@code \x1b}, {@code \u200e}); printable text unchanged.
     */
    public static String printable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && !invisible(c);
            if (plain) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            switch (c) {
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Format, bidi and similar characters that change how the text around them is shown. */
    private static boolean invisible(char c) {
        int t = Character.getType(c);
        return t == Character.FORMAT || t == Character.UNASSIGNED && c >= 0x80 || t == Character.LINE_SEPARATOR
                || t == Character.PARAGRAPH_SEPARATOR;
    }
}
