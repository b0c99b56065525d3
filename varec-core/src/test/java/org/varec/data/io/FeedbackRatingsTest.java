package org.varec.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varec.data.Dataset;
import org.varec.data.RatingScale;

class FeedbackRatingsTest {
    @TempDir
    Path dir;

    private Dataset ratings() throws IOException {
        Path f = dir.resolve("r.tsv");
        Files.writeString(f, "user\titem\trating\nu1\ti1\t4\nu1\ti2\t2\nu2\ti1\t5\n");
        return Datasets.read(f, ReadOptions.defaults().withScale(new RatingScale(1, 5)));
    }

    @Test
    void readsCompleteLinesAndSkipsTornOrDamagedOnes() throws IOException {
        Path log = dir.resolve("feedback.log");
        Files.writeString(log, "m\tu1\ti2\t5.0\nm\tbroken line\nm\tu3\ti1\t3.0\nm\tu4\ti2\t4");
        List<FeedbackRatings.Entry> e = FeedbackRatings.read(log);
        assertEquals(2, e.size()); // the damaged line 2 and the torn last line (no newline) are left out
        assertEquals(1, e.get(0).line());
        assertEquals(3, e.get(1).line());
        assertEquals(List.of(), FeedbackRatings.read(dir.resolve("none.log")));
    }

    @Test
    void mergeAddsRatingsAndUsersAndLaterLinesWin() throws IOException {
        Path log = dir.resolve("feedback.log");
        Files.writeString(log, "m\tu1\ti2\t5.0\nm\tu3\ti1\t3.0\nm\tu1\ti2\t1.0\n");
        Dataset d = FeedbackRatings.merge(ratings(), FeedbackRatings.read(log), log);
        assertEquals(3, d.numUsers());
        assertEquals(4, d.numRatings());
        var r = d.ratings();
        for (int k = 0; k < r.size(); k++) {
            if (d.users().externalId(r.users()[k]).equals("u1") && d.items().externalId(r.items()[k]).equals("i2")) {
                assertEquals(1f, r.values()[k]);
            }
        }
    }

    @Test
    void badEntriesNameTheLogAndLine() throws IOException {
        Path log = dir.resolve("feedback.log");
        Files.writeString(log, "m\tu1\ti2\t5.0\nm\tdamaged\nm\tu3\tnope\t3.0\n");
        String msg = assertThrows(DataFormatException.class,
                () -> FeedbackRatings.merge(ratings(), FeedbackRatings.read(log), log)).getMessage();
        assertTrue(msg.contains("feedback.log:3") && msg.contains("'nope'"), msg);
        Files.writeString(log, "m\tu1\ti2\t9.0\n");
        msg = assertThrows(DataFormatException.class,
                () -> FeedbackRatings.merge(ratings(), FeedbackRatings.read(log), log)).getMessage();
        assertTrue(msg.contains("feedback.log:1") && msg.contains("outside the scale"), msg);
    }
}
