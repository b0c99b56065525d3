package org.varec.data.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.DuplicatePolicy;
import org.varec.data.IdIndex;
import org.varec.data.Interactions;
import org.varec.data.InteractionsBuilder;
import org.varec.data.RatingScale;
import org.varec.data.ReadReport;
import org.varec.stats.Rng;

/** Small synthetic datasets and the split invariants, shared by the split tests. */
final class SplitTestData {
    private SplitTestData() {
    }

    /** Ids "1".."n". */
    static IdIndex ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(Integer.toString(i));
        }
        return IdIndex.of(ids);
    }

    /** About {@code ratings} random ratings (duplicates merged) over users x items, values 1..5. */
    static Dataset random(int users, int items, int ratings, long seed, Path source) {
        Rng rng = new Rng(seed);
        InteractionsBuilder b = new InteractionsBuilder();
        for (int k = 0; k < ratings; k++) {
            b.add(rng.nextInt(users), rng.nextInt(items), 1 + rng.nextInt(5));
        }
        Interactions r = b.build(users, items, DuplicatePolicy.LAST).interactions();
        return dataset("synthetic", ids(users), ids(items), r, source);
    }

    static Dataset dataset(String name, IdIndex users, IdIndex items, Interactions r, Path source) {
        return new Dataset(name, "test", source, users, items, r, RatingScale.STARS_1_5, null, null, null,
                ReadReport.empty());
    }

    /** Keys user * numItems + item of {@code r}, in order. */
    static long[] keys(Interactions r) {
        long[] k = new long[r.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (long) r.users()[i] * r.numItems() + r.items()[i];
        }
        return k;
    }

    /** Every part sorted strictly by user then item, parts disjoint, union = the dataset's ratings (values too). */
    static void assertPartition(Dataset d, Split s) {
        List<Interactions> parts = new ArrayList<>();
        parts.add(s.train());
        if (s.validation() != null) {
            parts.add(s.validation());
        }
        parts.add(s.test());
        if (s.foldIn() != null) {
            parts.add(s.foldIn());
        }
        Interactions all = d.ratings();
        long[] allKeys = keys(all);
        int total = 0;
        boolean[] seen = new boolean[all.size()];
        for (Interactions p : parts) {
            assertTrue(p.sortedByUser(), s.name() + ": part not flagged sorted");
            assertEquals(all.numUsers(), p.numUsers());
            assertEquals(all.numItems(), p.numItems());
            long[] k = keys(p);
            for (int i = 0; i < k.length; i++) { // plain ifs: no message strings built per rating
                if (i > 0 && k[i] <= k[i - 1]) {
                    fail(s.name() + ": part not strictly sorted at " + i);
                }
                int pos = Arrays.binarySearch(allKeys, k[i]);
                if (pos < 0) {
                    fail(s.name() + ": rating " + i + " not in dataset");
                }
                if (seen[pos]) {
                    fail(s.name() + ": rating in two parts");
                }
                seen[pos] = true;
                if (all.values()[pos] != p.values()[i]) {
                    fail(s.name() + ": value of rating " + i + " differs from the dataset's");
                }
            }
            total += p.size();
        }
        assertEquals(all.size(), total, s.name() + ": parts do not cover the dataset");
    }

    static void assertSameSplit(Split a, Split b) {
        assertEquals(a.name(), b.name());
        assertSameRatings(a.train(), b.train());
        assertSameRatings(a.test(), b.test());
        if (a.validation() == null) {
            assertEquals(null, b.validation());
        } else {
            assertSameRatings(a.validation(), b.validation());
        }
    }

    static void assertSameRatings(Interactions a, Interactions b) {
        assertTrue(Arrays.equals(a.users(), b.users()) && Arrays.equals(a.items(), b.items())
                && Arrays.equals(a.values(), b.values()), "ratings differ");
    }
}
