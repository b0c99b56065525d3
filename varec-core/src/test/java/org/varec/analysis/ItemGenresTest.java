package org.varec.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemGenresTest {
    private static final Set<String> KNOWN = Set.of("Children's", "Comedy", "Crime", "Horror");

    @Test
    void aGenreIsNamedExactlyOrByTheOnlyGenreStartingSo() {
        assertEquals("Horror", ItemGenres.match(" horror ", KNOWN));
        assertEquals("Children's", ItemGenres.match("children", KNOWN));
        assertEquals("ambiguous genre 'c'; known: Children's, Comedy, Crime, Horror",
                assertThrows(IllegalArgumentException.class, () -> ItemGenres.match("c", KNOWN)).getMessage());
        assertEquals("unknown genre 'Westerns'; known: Children's, Comedy, Crime, Horror",
                assertThrows(IllegalArgumentException.class, () -> ItemGenres.match("Westerns", KNOWN)).getMessage());
    }

    @Test
    void genresComeFromTheModelsCatalog() {
        var model = Fixtures.trained(new Fixtures.Vectors(2, new float[6]), new String[] {"Horror|Comedy", null, "Drama"},
                null, List.of());
        String[] genres = ItemGenres.of(model, null);
        assertArrayEquals(new String[] {"Horror|Comedy", null, "Drama"}, genres);
        assertEquals(List.of("Comedy", "Drama", "Horror"), List.copyOf(ItemGenres.known(genres)));
        assertEquals(List.of("Horror", "Comedy"), ItemGenres.split("Horror|Comedy"));
        assertNull(ItemGenres.of(Fixtures.trained(new Fixtures.Vectors(2, new float[6]), null, null, List.of()), null));
    }
}
