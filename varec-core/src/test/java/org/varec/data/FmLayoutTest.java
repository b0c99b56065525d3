package org.varec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FmLayoutTest {
    @Test
    void rowsAreOneHotIdsThenSideFeaturesWithGroups() {
        FeatureTable.Builder ub = new FeatureTable.Builder(2);
        ub.add(0, "gender", "F").add(1, "gender", "M");
        FeatureTable.Builder ib = new FeatureTable.Builder(3);
        ib.add(0, "genre", "Comedy").add(0, "genre", "Drama").add(2, "genre", "Drama");
        FmLayout l = FmLayout.of(2, 3, ub.build(), ib.build(), true);
        assertEquals(2 + 3 + 2 + 2, l.numFeatures());
        assertEquals(List.of("user", "item", "user:gender", "item:genre"), l.groupNames());
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 2, 2, 3, 3}, l.featureGroups());
        assertEquals(1 + 1 + 1 + 2, l.maxRowLength());
        int[] idx = new int[l.maxRowLength()];
        float[] val = new float[l.maxRowLength()];
        int n = l.row(1, 0, idx, val);
        assertEquals(5, n);
        assertArrayEquals(new int[] {1, 6, 2, 7, 8}, java.util.Arrays.copyOf(idx, n));
        assertArrayEquals(new float[] {1, 1, 1, 0.5f, 0.5f}, java.util.Arrays.copyOf(val, n));
        // a new user (-1): only the item's features
        n = l.row(-1, 2, idx, val);
        assertArrayEquals(new int[] {4, 8}, java.util.Arrays.copyOf(idx, n));
        assertArrayEquals(new float[] {1, 1}, java.util.Arrays.copyOf(val, n));
    }

    @Test
    void designMatrixMatchesRowsAndCarriesGroups() {
        FmLayout l = FmLayout.idsOnly(3, 2);
        Interactions r = new Interactions(3, 2, new int[] {0, 2}, new int[] {1, 0}, new float[] {4, 2}, true);
        SparseDesign d = l.design(r);
        assertArrayEquals(new float[] {4, 2}, d.targets());
        assertArrayEquals(new int[] {0, 2, 4}, d.offsets());
        assertArrayEquals(new int[] {0, 4, 2, 3}, d.features());
        assertEquals(5, d.numFeatures());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, d.featureGroups());
    }
}
