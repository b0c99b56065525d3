package org.varec.data.split;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.varec.data.Dataset;

/**
 * Parses protocol specs (see {@code docs/protocols.md}):
 * <pre>
 *   holdout:R            one random split, fraction R to train            holdout:0.8
 *   holdout:RxN          N random splits                                   holdout:0.9x5
 *   holdout:TR,VA,TE     train/validation/test fractions summing to 1      holdout:0.7,0.15,0.15
 *   holdout:TR,VA,TExN   N such splits
 *   kfold:K              K-fold cross-validation                           kfold:5
 *   folds:u1..u5         MovieLens 100K predefined splits (also u3, ua, ub, u1,u3, ...)
 *   subsample:P[xN]      train on fraction P, rest halved val/test         subsample:0.05
 *   users:P[,F][xN]      hold out a share P of the users, fold in F        users:0.1
 * </pre>
 * Spaces around the spec are ignored and the keyword is case-insensitive. {@link Protocol#spec()}
 * gives the canonical form ({@code holdout:0.80x1} becomes {@code holdout:0.8}).
 */
public final class Protocols {
    /** One line listing the valid forms, appended to every parse error. */
    public static final String FORMS = "valid forms: holdout:R (e.g. holdout:0.8), holdout:RxN (holdout:0.9x5), "
            + "holdout:TR,VA,TE (holdout:0.7,0.15,0.15), kfold:K (kfold:5), "
            + "folds:u1..u5 | folds:u3 | folds:ua | folds:ub (MovieLens 100K only), "
            + "subsample:P or subsample:PxN (subsample:0.05), "
            + "users:P, users:P,F or users:P,FxN (held-out users, fold-in share F, default 0.8: users:0.1)";

    private static final String NUM = "(\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern REPEATS = Pattern.compile("(.*?)(?:x(\\d+))?");
    private static final Pattern FRACTION = Pattern.compile(NUM);
    private static final Pattern THREE = Pattern.compile(NUM + "," + NUM + "," + NUM);
    private static final Pattern FOLD_RANGE = Pattern.compile("u([1-5])\\.\\.u([1-5])");
    private static final int MAX_REPEATS = 1000;

    private Protocols() {
    }

    /**
     * The protocol described by {@code spec}.
     *
     * @throws IllegalArgumentException naming the problem and listing the valid forms
     */
    public static Protocol parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw bad(spec, "empty protocol spec");
        }
        String s = spec.strip().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw bad(spec, "expected KIND:ARGUMENTS");
        }
        String kind = s.substring(0, colon).strip();
        String args = s.substring(colon + 1).strip();
        try {
            return switch (kind) {
                case "holdout" -> parseHoldout(spec, args);
                case "kfold" -> parseKFold(spec, args);
                case "folds" -> parseFolds(spec, args);
                case "subsample" -> parseSubsample(spec, args);
                case "users" -> parseUsers(spec, args);
                default -> throw bad(spec, "unknown protocol '" + kind + "'");
            };
        } catch (BadSpec e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // a record constructor refused a value: say so with the spec and the forms
            throw bad(spec, e.getMessage());
        }
    }

    private static Protocol parseHoldout(String spec, String args) {
        Matcher m = REPEATS.matcher(args);
        if (!m.matches()) {
            throw bad(spec, "cannot read holdout arguments");
        }
        int repeats = repeats(spec, m.group(2));
        String body = m.group(1);
        Matcher one = FRACTION.matcher(body);
        if (one.matches()) {
            double r = number(spec, one.group(1));
            return Holdout.of(r, repeats);
        }
        Matcher three = THREE.matcher(body);
        if (three.matches()) {
            return new Holdout(number(spec, three.group(1)), number(spec, three.group(2)),
                    number(spec, three.group(3)), repeats);
        }
        throw bad(spec, "holdout takes a train fraction R (0 < R < 1), optionally xN repeats, or three fractions"
                + " TR,VA,TE summing to 1");
    }

    private static Protocol parseKFold(String spec, String args) {
        if (!args.matches("\\d{1,9}")) {
            throw bad(spec, "kfold takes a whole number of folds K >= 2");
        }
        return new KFold(Integer.parseInt(args));
    }

    private static Protocol parseSubsample(String spec, String args) {
        Matcher m = REPEATS.matcher(args);
        if (!m.matches() || !FRACTION.matcher(m.group(1)).matches()) {
            throw bad(spec, "subsample takes a train fraction P (0 < P < 1, e.g. 0.05 for 5%), optionally xN repeats");
        }
        double p = number(spec, m.group(1));
        if (p >= 1) {
            throw bad(spec, "subsample fraction P must be in (0, 1), got " + m.group(1)
                    + " (write 5% as subsample:0.05)");
        }
        return new Subsample(p, repeats(spec, m.group(2)));
    }

    private static Protocol parseUsers(String spec, String args) {
        Matcher m = REPEATS.matcher(args);
        if (!m.matches()) {
            throw bad(spec, "cannot read users arguments");
        }
        String[] parts = m.group(1).split(",", -1);
        if (parts.length > 2 || !FRACTION.matcher(parts[0].strip()).matches()
                || (parts.length == 2 && !FRACTION.matcher(parts[1].strip()).matches())) {
            throw bad(spec, "users takes the share P of users held out (0 < P < 1), optionally the share F of their "
                    + "ratings folded in (default 0.8) and xN repeats, e.g. users:0.1 or users:0.1,0.8x5");
        }
        double p = number(spec, parts[0].strip());
        double f = parts.length == 2 ? number(spec, parts[1].strip()) : HeldOutUsers.DEFAULT_FOLD_IN;
        return new HeldOutUsers(p, f, repeats(spec, m.group(2)));
    }

    private static Protocol parseFolds(String spec, String args) {
        List<String> names = new ArrayList<>();
        for (String part : args.split(",", -1)) {
            String p = part.strip();
            Matcher range = FOLD_RANGE.matcher(p);
            if (range.matches()) {
                int a = range.group(1).charAt(0) - '0';
                int b = range.group(2).charAt(0) - '0';
                if (a > b) {
                    throw bad(spec, "fold range " + p + " runs backwards");
                }
                for (int d = a; d <= b; d++) {
                    names.add("u" + d);
                }
            } else if (PredefinedFolds.ALL.contains(p)) {
                names.add(p);
            } else {
                throw bad(spec, "unknown predefined fold '" + p + "'; MovieLens 100K has u1..u5, ua and ub");
            }
        }
        if (names.stream().distinct().count() != names.size()) {
            throw bad(spec, "a fold is named twice");
        }
        return new PredefinedFolds(names);
    }

    private static int repeats(String spec, String group) {
        if (group == null) {
            return 1;
        }
        if (group.length() > 6) {
            throw bad(spec, "at most " + MAX_REPEATS + " repeats");
        }
        return Integer.parseInt(group);
    }

    private static double number(String spec, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw bad(spec, "'" + text + "' is not a number");
        }
    }

    private static BadSpec bad(String spec, String reason) {
        return new BadSpec("bad protocol '" + spec + "': " + reason + "; " + FORMS);
    }

    /** A parse error already carrying the spec and the list of forms. */
    private static final class BadSpec extends IllegalArgumentException {
        BadSpec(String message) {
            super(message);
        }
    }

    // ---- shared validation and formatting for the protocol records ----

    static void checkFraction(String what, double v) {
        if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in (0, 1), got " + fmt(v));
        }
    }

    static void checkRepeats(int repeats) {
        if (repeats < 1 || repeats > MAX_REPEATS) {
            throw new IllegalArgumentException("repeats N must be in 1.." + MAX_REPEATS + ", got " + repeats);
        }
    }

    static void requireNonEmpty(String spec, Dataset dataset, String part, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("dataset " + dataset.name() + " has " + dataset.numRatings()
                    + " ratings: " + spec + " would leave the " + part + " part empty");
        }
    }

    /** Shortest plain decimal form of {@code v}: 0.8, 0.15, 1. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
