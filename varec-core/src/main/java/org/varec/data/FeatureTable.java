package org.varec.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sparse side information for items or users: each row (a dense item or user index) has a few
 * features, each feature belongs to a named group (e.g. group "genre" holds "genre=Comedy";
 * group "age" holds "age=25"). Values are 1 for multi-hot features unless set otherwise.
 *
 * <p>Layout is CSR: row {@code r}'s features are {@code features[offsets[r] .. offsets[r+1])}
 * with values {@code values[...]}. Feature ids are dense in {@code 0..numFeatures-1}.
 */
public final class FeatureTable {
    private final int numRows;
    private final List<String> groupNames;
    private final List<String> featureNames;
    private final int[] featureGroup;
    private final int[] offsets;
    private final int[] features;
    private final float[] values;

    private FeatureTable(int numRows, List<String> groupNames, List<String> featureNames, int[] featureGroup,
                         int[] offsets, int[] features, float[] values) {
        this.numRows = numRows;
        this.groupNames = List.copyOf(groupNames);
        this.featureNames = List.copyOf(featureNames);
        this.featureGroup = featureGroup;
        this.offsets = offsets;
        this.features = features;
        this.values = values;
    }

    public int numRows() {
        return numRows;
    }

    public int numFeatures() {
        return featureNames.size();
    }

    public int numGroups() {
        return groupNames.size();
    }

    public List<String> groupNames() {
        return groupNames;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** Feature name, e.g. {@code "genre=Comedy"}. */
    public String featureName(int f) {
        return featureNames.get(f);
    }

    /** Group index of feature {@code f}. */
    public int groupOf(int f) {
        return featureGroup[f];
    }

    /** Feature id by full name ({@code "genre=Comedy"}), or -1. */
    public int featureIndex(String name) {
        return featureNames.indexOf(name);
    }

    public int[] offsets() {
        return offsets;
    }

    public int[] features() {
        return features;
    }

    public float[] values() {
        return values;
    }

    /** Features of row {@code r} (a copy). */
    public int[] rowFeatures(int r) {
        return Arrays.copyOfRange(features, offsets[r], offsets[r + 1]);
    }

    /** The values of features in group {@code group} for row {@code r}, as labels without the group prefix. */
    public List<String> labels(int r, String group) {
        int g = groupNames.indexOf(group);
        List<String> out = new ArrayList<>();
        for (int p = offsets[r]; p < offsets[r + 1]; p++) {
            int f = features[p];
            if (featureGroup[f] == g) {
                String name = featureNames.get(f);
                out.add(name.substring(name.indexOf('=') + 1));
            }
        }
        return out;
    }

    /** Builds a table row by row; rows may be added in any order, each (row, feature) once. */
    public static final class Builder {
        private final int numRows;
        private final List<String> groupNames = new ArrayList<>();
        private final Map<String, Integer> groupIndex = new HashMap<>();
        private final List<String> featureNames = new ArrayList<>();
        private final Map<String, Integer> featureIndex = new HashMap<>();
        private int[] featureGroup = new int[16];
        private final List<int[]> rowFeatures;
        private final List<float[]> rowValues;

        public Builder(int numRows) {
            this.numRows = numRows;
            this.rowFeatures = new ArrayList<>(java.util.Collections.nCopies(numRows, (int[]) null));
            this.rowValues = new ArrayList<>(java.util.Collections.nCopies(numRows, (float[]) null));
        }

        /** Declares a group (so that it exists even when no row has one of its features). */
        public int group(String group) {
            return groupIndex.computeIfAbsent(group, g -> {
                groupNames.add(g);
                return groupNames.size() - 1;
            });
        }

        /** Declares feature {@code group=value} and returns its id. */
        public int feature(String group, String value) {
            String name = group + "=" + value;
            Integer f = featureIndex.get(name);
            if (f != null) {
                return f;
            }
            int g = group(group);
            int id = featureNames.size();
            featureNames.add(name);
            featureIndex.put(name, id);
            if (id == featureGroup.length) {
                featureGroup = Arrays.copyOf(featureGroup, id * 2);
            }
            featureGroup[id] = g;
            return id;
        }

        /** Adds feature {@code group=value} with {@code value} 1 to row {@code row}. */
        public Builder add(int row, String group, String label) {
            return add(row, feature(group, label), 1f);
        }

        public Builder add(int row, int feature, float value) {
            if (row < 0 || row >= numRows) {
                throw new IndexOutOfBoundsException("row " + row + " outside 0.." + (numRows - 1));
            }
            int[] fs = rowFeatures.get(row);
            float[] vs = rowValues.get(row);
            if (fs == null) {
                fs = new int[] {feature};
                vs = new float[] {value};
            } else {
                for (int x : fs) {
                    if (x == feature) {
                        return this;
                    }
                }
                fs = Arrays.copyOf(fs, fs.length + 1);
                vs = Arrays.copyOf(vs, vs.length + 1);
                fs[fs.length - 1] = feature;
                vs[vs.length - 1] = value;
            }
            rowFeatures.set(row, fs);
            rowValues.set(row, vs);
            return this;
        }

        public FeatureTable build() {
            int[] offsets = new int[numRows + 1];
            for (int r = 0; r < numRows; r++) {
                int[] fs = rowFeatures.get(r);
                offsets[r + 1] = offsets[r] + (fs == null ? 0 : fs.length);
            }
            int[] features = new int[offsets[numRows]];
            float[] values = new float[offsets[numRows]];
            for (int r = 0; r < numRows; r++) {
                int[] fs = rowFeatures.get(r);
                if (fs != null) {
                    System.arraycopy(fs, 0, features, offsets[r], fs.length);
                    System.arraycopy(rowValues.get(r), 0, values, offsets[r], fs.length);
                }
            }
            return new FeatureTable(numRows, groupNames, featureNames,
                    Arrays.copyOf(featureGroup, featureNames.size()), offsets, features, values);
        }
    }
}
