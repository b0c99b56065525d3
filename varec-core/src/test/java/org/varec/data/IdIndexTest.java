package org.varec.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdIndexTest {
    @Test
    void numericAndTextualIdsAreDistinctStrings() {
        IdIndex idx = new IdIndex();
        assertEquals(0, idx.add("7"));
        assertEquals(1, idx.add("007"));
        assertEquals(2, idx.add("u7"));
        assertEquals(0, idx.add("7"));
        assertEquals(0, idx.indexOfNumeric(7));
        assertEquals(1, idx.indexOf("007"));
        assertEquals("007", idx.externalId(1));
        assertEquals(-1, idx.indexOf("8"));
        assertEquals(-1, idx.indexOf("x"));
        byte[] b = "17 7 0 0123".getBytes(StandardCharsets.US_ASCII);
        assertEquals(3, idx.add(b, 0, 2));
        assertEquals(0, idx.add(b, 3, 4));
        assertEquals(4, idx.add(b, 5, 6));
        assertEquals(5, idx.add(b, 7, 11));
        assertEquals("0123", idx.externalId(5));
        assertNotEquals(idx.indexOf("123"), idx.indexOf("0123"));
    }

    @Test
    void ofRefusesDuplicates() {
        assertThrows(IllegalArgumentException.class, () -> IdIndex.of(List.of("a", "b", "a")));
    }

    /** Against a HashMap model, across table growth, mixing numeric and textual ids. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void behavesLikeAMap(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        IdIndex idx = new IdIndex();
        Map<String, Integer> model = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int k = 0; k < 20_000; k++) {
            String id = rnd.nextInt(4) == 0 ? "u" + rnd.nextInt(3000) : Long.toString(rnd.nextLong(1L << 40) % 9000);
            int expected = model.computeIfAbsent(id, s -> {
                order.add(s);
                return order.size() - 1;
            });
            assertEquals(expected, idx.add(id));
        }
        assertEquals(order.size(), idx.size());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(order.get(i), idx.externalId(i));
            assertEquals(i, idx.indexOf(order.get(i)));
        }
    }
}
