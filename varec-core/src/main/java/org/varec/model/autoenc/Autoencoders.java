package org.varec.model.autoenc;

import org.varec.stats.Rng;

/**
 * What the autoencoder trainers share: a batch of sparse rows gathered from a CSR matrix (users by
 * item, or items by user) into one CSR block, and reading arrays of a known shape.
 */
final class Autoencoders {
    private Autoencoders() {
    }


    /** Uniform weights {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))} (Glorot), for rows with data; zero rows for the others. */
    static void glorot(float[] w, int rows, int cols, int fanIn, int fanOut, boolean[] used, Rng rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = (float) ((2 * rng.nextDouble() - 1) * limit);
                w[r * cols + c] = used == null || used[r] ? v : 0f;
            }
        }
    }

    /**
     * A batch of sparse rows in CSR form, gathered from a matrix's {@code offsets/index/values} by
     * row number: {@code offsets[b]..offsets[b+1]} are the entries of batch row b.
     */
    static final class Batch {
        final int[] rows;
        final int[] offsets;
        int[] indices;
        float[] values;
        int size;

        Batch(int capacity) {
            this.rows = new int[capacity];
            this.offsets = new int[capacity + 1];
            this.indices = new int[16];
            this.values = new float[16];
        }

        /** Gathers rows {@code order[from .. from+n)} of the matrix. */
        void gather(int[] order, int from, int n, int[] off, int[] index, float[] val) {
            int total = 0;
            for (int b = 0; b < n; b++) {
                int r = order[from + b];
                total += off[r + 1] - off[r];
            }
            if (indices.length < total) {
                indices = new int[Math.max(total, indices.length * 2)];
                values = new float[indices.length];
            }
            int q = 0;
            for (int b = 0; b < n; b++) {
                int r = order[from + b];
                rows[b] = r;
                offsets[b] = q;
                int len = off[r + 1] - off[r];
                System.arraycopy(index, off[r], indices, q, len);
                System.arraycopy(val, off[r], values, q, len);
                q += len;
            }
            offsets[n] = q;
            size = n;
        }

        int entries() {
            return offsets[size];
        }
    }
}
