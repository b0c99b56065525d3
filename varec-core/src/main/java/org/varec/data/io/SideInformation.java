package org.varec.data.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.varec.data.FeatureTable;
import org.varec.data.IdIndex;

/**
 * Side information from any delimited file with a header: the first column is the user (or item)
 * id, every other column a categorical feature group named by its header cell, e.g.
 * <pre>
 *   item,genre,director,decade
 *   1,Animation|Comedy,Lasseter,1990s
 * </pre>
 * gives item 1 the features {@code genre=Animation}, {@code genre=Comedy},
 * {@code director=Lasseter}, {@code decade=1990s}. A cell may hold several values separated by
 * {@code |}; an empty cell adds nothing. The delimiter is detected as for rating files (tab,
 * comma, semicolon, {@code ::}, spaces) unless given. Factorization machines turn each column into
 * a feature group of their design matrix ({@code --set side=user|item|both}).
 *
 * <p>Rows are matched to the dataset's id index: ids the dataset does not know are skipped and
 * counted (a catalog usually lists more items than were rated), rows of the index without a line
 * get no features. A line with the wrong number of fields, an empty id or an id given twice is an
 * error naming file and line.
 */
public final class SideInformation {
    private SideInformation() {
    }

    /** What was read: the table (rows indexed like {@code index}) and how many lines named unknown ids. */
    public record Result(FeatureTable table, int rows, int unknownIds) {
    }

    public static Result read(Path file, IdIndex index, String delimiter) throws IOException {
        List<String> lines = TextFiles.lines(file);
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first == lines.size()) {
            throw new DataFormatException(file, "empty file: expected a header 'id,group1,group2,...' and one line per id");
        }
        String header = lines.get(first);
        String d = delimiter != null ? delimiter : detect(header);
        String[] groups = fields(header, d);
        if (groups.length < 2) {
            throw new DataFormatException(file, first + 1, "the header needs an id column and at least one feature column"
                    + " separated by " + RatingLines.describe(d) + ", got '" + header + "'");
        }
        FeatureTable.Builder b = new FeatureTable.Builder(index.size());
        for (int g = 1; g < groups.length; g++) {
            if (groups[g].isEmpty()) {
                throw new DataFormatException(file, first + 1, "column " + (g + 1) + " of the header has no name");
            }
            b.group(groups[g]);
        }
        Set<String> seen = new HashSet<>();
        int rows = 0;
        int unknown = 0;
        String firstUnknown = null;
        for (int k = first + 1; k < lines.size(); k++) {
            String line = lines.get(k);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = fields(line, d);
            if (f.length != groups.length) {
                throw new DataFormatException(file, k + 1, "expected " + groups.length + " fields as in the header, got "
                        + f.length);
            }
            if (f[0].isEmpty()) {
                throw new DataFormatException(file, k + 1, "empty id");
            }
            if (!seen.add(f[0])) {
                throw new DataFormatException(file, k + 1, "id '" + f[0] + "' appears twice");
            }
            int row = index.indexOf(f[0]);
            if (row < 0) {
                if (unknown++ == 0) {
                    firstUnknown = f[0];
                }
                continue;
            }
            rows++;
            for (int g = 1; g < f.length; g++) {
                for (String v : TextFiles.split(f[g], "|")) {
                    if (!v.isBlank()) {
                        b.add(row, groups[g], v.trim());
                    }
                }
            }
        }
        // nothing to attach would silently replace the dataset's own features by an empty table
        if (rows == 0 && unknown == 0) {
            throw new DataFormatException(file, "has a header but no rows: expected one line per id after '" + header + "'");
        }
        if (rows == 0) {
            throw new DataFormatException(file, "none of its " + unknown + " ids is in the data (the first, '"
                    + firstUnknown + "', is not); is this the file for the other side, users or items?");
        }
        return new Result(b.build(), rows, unknown);
    }

    private static String detect(String header) {
        byte[] bytes = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return RatingLines.detectDelimiter(bytes, 0, bytes.length);
    }

    private static String[] fields(String line, String delimiter) {
        String[] f = delimiter == null ? line.trim().split("[ \t]+") : TextFiles.split(line, delimiter);
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].trim();
        }
        return f;
    }
}
