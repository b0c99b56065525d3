package org.varec.data.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.IdIndex;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;

/**
 * The feedback log of {@code varec serve} ({@code POST /v1/feedback}): one line
 * {@code model TAB user TAB item TAB rating} per acknowledged rating, appended and fsync'ed by the
 * server. {@link #read} gives every complete line (a torn last line, from a crash in the middle of
 * a write, was never acknowledged and is ignored); {@link #merge} adds the ratings to a dataset for
 * retraining ({@code varec train --feedback LOG}).
 */
public final class FeedbackRatings {
    /** One logged rating; {@code line} is its 1-based line in the log (0 for one not read from a file). */
    public record Entry(String model, String user, String item, float rating, int line) {
        public Entry(String model, String user, String item, float rating) {
            this(model, user, item, rating, 0);
        }
    }

    private FeedbackRatings() {
    }

    /** Every complete, well-formed line of {@code file}; none when it does not exist. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return out;
        }
        int number = 0;
        for (String line : text.substring(0, end).split("\n", -1)) {
            number++;
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                continue;
            }
            try {
                float r = Float.parseFloat(f[3]);
                if (Float.isFinite(r)) {
                    out.add(new Entry(f[0], f[1], f[2], r, number));
                }
            } catch (NumberFormatException e) {
                // a damaged line: skipped, as a torn write would be
            }
        }
        return out;
    }

    /**
     * {@code d} with the logged ratings added (a logged rating replaces the dataset's rating of the
     * same user and item; later log lines win). New users are added to the index; an item the
     * dataset does not know is an error, since the server only accepts feedback on known items.
     * The ratings must be on the dataset's scale.
     */
    public static Dataset merge(Dataset d, List<Entry> log, Path logFile) {
        if (log.isEmpty()) {
            return d;
        }
        if (d.isNetwork()) {
            throw new IllegalArgumentException(logFile + ": feedback ratings cannot be added to a network");
        }
        IdIndex users = IdIndex.of(d.users().ids());
        InteractionsBuilder b = new InteractionsBuilder();
        Interactions r = d.ratings();
        for (int k = 0; k < r.size(); k++) {
            b.add(r.users()[k], r.items()[k], r.values()[k]);
        }
        for (Entry e : log) {
            int line = e.line();
            int i = d.items().indexOf(e.item());
            if (i < 0) {
                throw new DataFormatException(logFile, line, "item '" + e.item() + "' is not in the dataset");
            }
            if (!d.scale().contains(e.rating())) {
                throw new DataFormatException(logFile, line, "rating " + e.rating() + " is outside the scale "
                        + d.scale());
            }
            b.add(users.add(e.user()), i, e.rating());
        }
        if (users.size() != d.users().size() && d.userFeatures() != null) {
            throw new IllegalArgumentException(logFile + ": " + (users.size() - d.users().size()) + " new users in the "
                    + "feedback have no rows in the user side information");
        }
        Interactions merged = b.build(users.size(), d.numItems(), DuplicatePolicy.LAST).interactions();
        return new Dataset(d.name(), d.format(), d.source(), users, d.items(), merged, d.scale(), d.itemFeatures(),
                d.userFeatures(), d.itemTitles(), d.report());
    }
}
