package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.data.Dataset;
import org.varec.model.TrainedModel;

class PolarizingItemsTest {
    /** Item norms: i0 5, i1 1, i2 0.5, i3 2, i4 1 (but only 10 training ratings). */
    private static final Fixtures.Vectors VECTORS = new Fixtures.Vectors(2,
            new float[] {3, 4, /* */ 1, 0, /* */ 0, 0.5f, /* */ -2, 0, /* */ 0.6f, 0.8f});
    private static final TrainedModel MODEL = Fixtures.trained(VECTORS,
            new String[] {"Horror", "Comedy|Drama", null, "Drama", "Comedy"}, new int[] {100, 100, 100, 100, 10}, List.of());

    /** Ratings of the items: i0 split between 1 and 5, i3 all 3, i1 4 and 5; none of i2 and i4. */
    private static Dataset ratings() {
        int[] users = {0, 1, 2, 3, 0, 1, 2, 0, 1};
        int[] items = {0, 0, 0, 0, 3, 3, 3, 1, 1};
        float[] values = {1, 5, 1, 5, 3, 3, 3, 4, 5};
        return Fixtures.dataset(4, Fixtures.ids("i", 5), users, items, values);
    }

    @Test
    void theMostPolarizingItemsComeWithTheirRatingHistograms() {
        PolarizingItems p = PolarizingItems.of(MODEL, ratings(), true, 3, 50);
        assertTrue(p.most());
        // the bins are the dataset's rating values
        assertArrayEquals(new float[] {1, 3, 4, 5}, p.bins().values());
        assertArrayEquals(new long[] {2, 3, 1, 3}, p.bins().counts());
        assertEquals(List.of("i0", "i3", "i1"), p.items().stream().map(PolarizingItems.Item::id).toList());
        PolarizingItems.Item first = p.items().get(0);
        assertEquals(0, first.item());
        assertEquals("Title 0", first.title());
        assertEquals("Horror", first.genres());
        assertEquals(5, first.norm(), 1e-6);
        assertEquals(4, first.ratings());
        assertEquals(3, first.meanRating(), 1e-12);
        assertArrayEquals(new long[] {2, 0, 0, 2}, first.histogram().counts());
        assertArrayEquals(new long[] {0, 3, 0, 0}, p.items().get(1).histogram().counts());
        assertEquals(4.5, p.items().get(2).meanRating(), 1e-12);
        assertTrue(p.anyRatings());
    }

    @Test
    void theLeastPolarizingItemsLeaveOutItemsWithTooFewTrainingRatings() {
        PolarizingItems p = PolarizingItems.of(MODEL, ratings(), false, 10, 50);
        assertFalse(p.most());
        // i4 (norm 1) has 10 training ratings only
        assertEquals(List.of("i2", "i1", "i3", "i0"), p.items().stream().map(PolarizingItems.Item::id).toList());
        PolarizingItems.Item first = p.items().get(0);
        assertEquals(0, first.ratings());
        assertTrue(Double.isNaN(first.meanRating()));
        assertEquals(0, first.histogram().total());
        assertTrue(PolarizingItems.of(MODEL, ratings(), true, 3, 1000).items().isEmpty());
    }

    @Test
    void aModelThatDoesNotKnowItsTrainingDataConsidersEveryItem() {
        TrainedModel noSeen = Fixtures.trained(VECTORS, null, null, List.of());
        PolarizingItems p = PolarizingItems.of(noSeen, ratings(), false, 2, 1_000_000);
        assertEquals(List.of(2, 1), p.items().stream().map(PolarizingItems.Item::item).toList());
        assertEquals(null, p.items().get(0).genres());
    }

    @Test
    void ratingsOfAnotherDatasetAreMatchedByItemId() {
        // a dataset whose items are other ids: nothing matches
        Dataset other = Fixtures.dataset(2, Fixtures.ids("x", 3), new int[] {0, 1}, new int[] {0, 2}, new float[] {2, 4});
        PolarizingItems p = PolarizingItems.of(MODEL, other, true, 2, 0);
        assertEquals(2, p.items().size());
        assertFalse(p.anyRatings());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PolarizingItems.of(MODEL, ratings(), true, 0, 0));
    }
}
