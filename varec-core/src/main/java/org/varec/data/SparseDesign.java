package org.varec.data;

import java.util.Objects;

/**
 * A sparse design matrix with one target per row, as factorization machines consume it and as
 * libFM's text format stores it: row {@code r} has features {@code features[offsets[r] ..
 * offsets[r+1])} with values {@code values[...]} and target {@code targets[r]}. Optionally each
 * feature belongs to a group ({@code featureGroups[f]}, as libFM's {@code -meta} file says).
 *
 * @param numFeatures   1 + the largest feature id (ids are dense from 0)
 * @param featureGroups group of each feature, or null for one group
 */
public record SparseDesign(float[] targets, int[] offsets, int[] features, float[] values, int numFeatures,
                           int[] featureGroups) {
    public SparseDesign {
        Objects.requireNonNull(targets, "targets");
        if (offsets.length != targets.length + 1 || offsets[0] != 0 || offsets[targets.length] != features.length
                || features.length != values.length) {
            throw new IllegalArgumentException("inconsistent CSR arrays");
        }
        if (featureGroups != null && featureGroups.length != numFeatures) {
            throw new IllegalArgumentException("featureGroups has " + featureGroups.length + " entries for "
                    + numFeatures + " features");
        }
    }

    public int numRows() {
        return targets.length;
    }

    public int numNonZeros() {
        return features.length;
    }

    /** The same matrix with features assigned to groups. */
    public SparseDesign withGroups(int[] groups) {
        return new SparseDesign(targets, offsets, features, values, numFeatures, groups);
    }
}
