package org.varec.analysis;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import org.varec.data.Dataset;
import org.varec.model.TrainedModel;

/**
 * Genres of a model's items, for colouring maps and describing items. A model item's genres are a
 * {@code '|'}-joined string ({@code "Animation|Children's|Comedy"}), as {@link
 * org.varec.data.ItemCatalog} stores them.
 */
public final class ItemGenres {
    private ItemGenres() {
    }

    /**
     * {@code '|'}-joined genres per dense item index of {@code m}: from the model's catalog, else from
     * the {@code genre} feature group of {@code d} (may be null) by external item id; null when
     * neither knows the genre of any item.
     */
    public static String[] of(TrainedModel m, Dataset d) {
        String[] out = new String[m.items().size()];
        boolean datasetHasGenres = d != null && d.itemFeatures() != null && d.itemFeatures().groupNames().contains("genre");
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            out[i] = m.catalog() == null ? null : m.catalog().genres(i);
            if (out[i] == null && datasetHasGenres) {
                int j = d.items().indexOf(m.items().externalId(i));
                if (j >= 0) {
                    List<String> g = d.itemFeatures().labels(j, "genre");
                    out[i] = g.isEmpty() ? null : String.join("|", g);
                }
            }
            any |= out[i] != null;
        }
        return any ? out : null;
    }

    /** The genres of one item's {@code '|'}-joined string. */
    public static List<String> split(String joined) {
        return Arrays.asList(joined.split("\\|"));
    }

    /** Every genre that occurs in {@code itemGenres} (entries may be null), sorted. */
    public static SortedSet<String> known(String[] itemGenres) {
        TreeSet<String> out = new TreeSet<>();
        for (String g : itemGenres) {
            if (g != null) {
                out.addAll(split(g));
            }
        }
        return out;
    }

    /**
     * The genre of {@code known} that {@code want} names: equal ignoring case, else the only one
     * that starts with it ignoring case and punctuation ({@code Children} finds ML-100K's
     * {@code Children's}).
     *
     * @throws IllegalArgumentException naming the known genres when none or several match
     */
    public static String match(String want, Collection<String> known) {
        String w = want.strip();
        for (String g : known) {
            if (g.equalsIgnoreCase(w)) {
                return g;
            }
        }
        String key = letters(w);
        List<String> starts = key.isEmpty() ? List.of() : known.stream().filter(g -> letters(g).startsWith(key)).toList();
        if (starts.size() == 1) {
            return starts.get(0);
        }
        throw new IllegalArgumentException((starts.isEmpty() ? "unknown" : "ambiguous") + " genre '" + w
                + "'; known: " + String.join(", ", new TreeSet<>(known)));
    }

    private static String letters(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
