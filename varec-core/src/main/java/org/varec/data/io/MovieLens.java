package org.varec.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.varec.data.FeatureTable;
import org.varec.data.IdIndex;

/**
 * The side files of the MovieLens releases: item catalogs (titles, genres) and user tables
 * (gender, age, occupation). Ids are added to the indices when new, so items in the catalog that
 * nobody rated still get a dense index (they are cold-start items for models with side
 * information). Each bad line is a {@link DataFormatException} naming file and line: these files
 * are small and a bad line means a wrong or damaged release.
 */
final class MovieLens {
    private MovieLens() {
    }

    /** The ML-100K genres in u.item column order, used when u.genre is absent. */
    static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
            "Sci-Fi", "Thriller", "War", "Western");

    /** ML-1M occupation codes 0..20 (its README), also used to label ML-100K's occupation names as they are. */
    static final List<String> ML1M_OCCUPATIONS = List.of("other", "academic/educator", "artist", "clerical/admin",
            "college/grad student", "customer service", "doctor/health care", "executive/managerial", "farmer",
            "homemaker", "K-12 student", "lawyer", "programmer", "retired", "sales/marketing", "scientist",
            "self-employed", "technician/engineer", "tradesman/craftsman", "unemployed", "writer");

    /** ML-1M age codes and their ranges (its README); ML-100K ages are put in the same ranges. */
    static final Map<Integer, String> ML1M_AGES = Map.of(1, "under 18", 18, "18-24", 25, "25-34", 35, "35-44",
            45, "45-49", 50, "50-55", 56, "56+");

    static String ageRange(int age) {
        if (age < 18) {
            return "under 18";
        } else if (age < 25) {
            return "18-24";
        } else if (age < 35) {
            return "25-34";
        } else if (age < 45) {
            return "35-44";
        } else if (age < 50) {
            return "45-49";
        } else if (age < 56) {
            return "50-55";
        }
        return "56+";
    }

    /** An item catalog read before the indices are final: ids, titles, genre lists. */
    record Catalog(List<String> ids, List<String> titles, List<List<String>> genres) {
        /** Adds the ids to {@code items}; returns titles and a genre table over the final index. */
        Side apply(IdIndex items) {
            int[] dense = new int[ids.size()];
            for (int k = 0; k < dense.length; k++) {
                dense[k] = items.add(ids.get(k));
            }
            String[] t = new String[items.size()];
            FeatureTable.Builder fb = new FeatureTable.Builder(items.size());
            fb.group("genre");
            for (int k = 0; k < dense.length; k++) {
                t[dense[k]] = titles.get(k);
                for (String g : genres.get(k)) {
                    fb.add(dense[k], "genre", g);
                }
            }
            return new Side(t, fb);
        }
    }

    /** Titles by dense index and the genre table builder (sized when the item index was final). */
    record Side(String[] titles, FeatureTable.Builder genres) {
    }

    /** ML-100K {@code u.item}: {@code id|title|release|video release|IMDb URL|19 genre flags} (Latin-1). */
    static Catalog readUItem(Path file, Path genreFile) throws IOException {
        List<String> genreNames = ML100K_GENRES;
        if (Files.isRegularFile(genreFile)) {
            genreNames = readUGenre(genreFile);
        }
        List<String> names = genreNames;
        Catalog c = new Catalog(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        records(file, "|", 5 + names.size(), (5 + names.size()) + " '|'-separated fields (id, title, dates, URL, "
                + names.size() + " genre flags)", (line, f) -> {
            List<String> genres = new ArrayList<>();
            for (int g = 0; g < names.size(); g++) {
                String flag = f[5 + g].trim();
                if (flag.equals("1")) {
                    genres.add(names.get(g));
                } else if (!flag.equals("0")) {
                    throw new DataFormatException(file, line, "genre flag " + (g + 1) + " is '" + flag + "', expected 0 or 1");
                }
            }
            add(c, file, line, f[0], f[1], genres);
        });
        return c;
    }

    /** ML-100K {@code u.genre}: {@code name|index} lines, index 0..n-1 in column order. */
    static List<String> readUGenre(Path file) throws IOException {
        List<String> lines = TextFiles.lines(file);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k);
            if (line.isBlank()) {
                continue;
            }
            String[] f = TextFiles.split(line, "|");
            if (f.length != 2 || !f[1].trim().equals(Integer.toString(names.size()))) {
                throw new DataFormatException(file, k + 1, "expected 'name|" + names.size() + "', got '" + line + "'");
            }
            names.add(f[0]);
        }
        return names;
    }

    /** ML-1M and ML-10M {@code movies.dat}: {@code id::title::Genre1|Genre2}. */
    static Catalog readMoviesDat(Path file) throws IOException {
        Catalog c = new Catalog(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        records(file, "::", 3, "'id::title::genres'", (line, f) -> add(c, file, line, f[0], f[1], genres(f[2])));
        return c;
    }

    /** ML-20M/25M/latest {@code movies.csv}: header, then {@code movieId,title,genres} (titles may be quoted). */
    static Catalog readMoviesCsv(Path file) throws IOException {
        List<String> lines = TextFiles.lines(file);
        Catalog c = new Catalog(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k);
            if (line.isBlank() || (k == 0 && line.startsWith("movieId"))) {
                continue;
            }
            List<String> f;
            try {
                f = TextFiles.csv(line);
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file, k + 1, e.getMessage());
            }
            if (f.size() != 3) {
                throw new DataFormatException(file, k + 1, "expected 'movieId,title,genres', got " + f.size() + " fields");
            }
            add(c, file, k + 1, f.get(0), f.get(1), genres(f.get(2)));
        }
        return c;
    }

    private static List<String> genres(String field) {
        List<String> out = new ArrayList<>();
        String t = field.trim();
        if (t.isEmpty() || t.equals("(no genres listed)")) {
            return out;
        }
        for (String g : TextFiles.split(t, "|")) {
            if (!g.isBlank()) {
                out.add(g.trim());
            }
        }
        return out;
    }

    private static void add(Catalog c, Path file, int line, String id, String title, List<String> genres) {
        String i = id.trim();
        if (i.isEmpty()) {
            throw new DataFormatException(file, line, "empty item id");
        }
        c.ids().add(i);
        c.titles().add(title.trim());
        c.genres().add(genres);
    }

    /** A user table: ids and (group, label) features per user. */
    record Users(List<String> ids, List<List<String[]>> features) {
        FeatureTable.Builder apply(IdIndex users) {
            int[] dense = new int[ids.size()];
            for (int k = 0; k < dense.length; k++) {
                dense[k] = users.add(ids.get(k));
            }
            FeatureTable.Builder fb = new FeatureTable.Builder(users.size());
            for (String g : List.of("gender", "age", "occupation")) {
                fb.group(g);
            }
            for (int k = 0; k < dense.length; k++) {
                for (String[] gl : features.get(k)) {
                    fb.add(dense[k], gl[0], gl[1]);
                }
            }
            return fb;
        }
    }

    /** ML-100K {@code u.user}: {@code id|age|gender|occupation|zip}. */
    static Users readUUser(Path file) throws IOException {
        Users out = new Users(new ArrayList<>(), new ArrayList<>());
        records(file, "|", 5, "'id|age|gender|occupation|zip'", (line, f) -> {
            int age;
            try {
                age = Integer.parseInt(f[1].trim());
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, line, "age '" + f[1] + "' is not an integer");
            }
            out.ids().add(f[0].trim());
            out.features().add(List.of(new String[] {"gender", f[2].trim()}, new String[] {"age", ageRange(age)},
                    new String[] {"occupation", f[3].trim()}));
        });
        return out;
    }

    /** ML-1M {@code users.dat}: {@code id::gender::age code::occupation code::zip}. */
    static Users readUsersDat(Path file) throws IOException {
        Users out = new Users(new ArrayList<>(), new ArrayList<>());
        records(file, "::", 5, "'id::gender::age::occupation::zip'", (line, f) -> {
            String age;
            String occupation;
            try {
                age = ML1M_AGES.get(Integer.parseInt(f[2].trim()));
                int occ = Integer.parseInt(f[3].trim());
                occupation = occ >= 0 && occ < ML1M_OCCUPATIONS.size() ? ML1M_OCCUPATIONS.get(occ) : null;
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, line, "age and occupation must be integer codes, got '" + f[2]
                        + "' and '" + f[3] + "'");
            }
            if (age == null) {
                throw new DataFormatException(file, line, "unknown age code '" + f[2] + "' (expected one of "
                        + new java.util.TreeSet<>(ML1M_AGES.keySet()) + ")");
            }
            if (occupation == null) {
                throw new DataFormatException(file, line, "occupation code '" + f[3] + "' is outside 0..20");
            }
            out.ids().add(f[0].trim());
            out.features().add(List.of(new String[] {"gender", f[1].trim()}, new String[] {"age", age},
                    new String[] {"occupation", occupation}));
        });
        return out;
    }

    /** Receives one record: its 1-based line number and its fields. */
    @FunctionalInterface
    private interface RecordHandler {
        void accept(int line, String[] fields);
    }

    /**
     * Splits every non-blank line of {@code file} on {@code separator} and hands it to
     * {@code handler}; a line without exactly {@code fields} fields is an error naming the layout.
     */
    private static void records(Path file, String separator, int fields, String layout, RecordHandler handler)
            throws IOException {
        List<String> lines = TextFiles.lines(file);
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k);
            if (line.isBlank()) {
                continue;
            }
            String[] f = TextFiles.split(line, separator);
            if (f.length != fields) {
                throw new DataFormatException(file, k + 1, "expected " + layout + ", got " + f.length + " fields");
            }
            handler.accept(k + 1, f);
        }
    }
}
