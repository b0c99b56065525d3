package org.varec.model.nnmf;

/**
 * The network inputs of neural network matrix factorization (Dziugaite and Roy 2015; NNMF paper
 * eq. (2) and (3)), shared by {@code nnmf} and {@code bnnmf}: for user n and item m
 * <pre>
 *   x = [U_n, V_m, U'_n1 o V'_m1, ..., U'_nD o V'_mD, s_m]        (width 2K + D K' + S)
 * </pre>
 * with {@code U_n, V_m} in R^K, {@code U'_nd, V'_md} in R^K' ({@code o}: element-wise product)
 * and {@code s_m} the item's side information (genre indicators, S = 0 without side information).
 *
 * <p>Layout: a user's {@code U'} is one row of {@code D K'} floats ({@code U'_nd} at
 * {@code [d K', (d+1) K')}), likewise an item's {@code V'}. Batches of inputs are row-major,
 * {@code width()} floats per row. Rows are read from (and gradients written to) caller arrays at
 * caller offsets, so the same code serves point embeddings ({@code nnmf}), per-batch samples of
 * Gaussian embeddings ({@code bnnmf}) and a folded-in user. Float arithmetic throughout; one
 * input row costs {@code 2K + 2 D K'} reads and {@code D K'} multiplications.
 */
public final class NnmfInputs {
    private final int k;
    private final int products;
    private final int sideWidth;

    /**
     * @param k         K, the length of {@code U_n} and {@code V_m}
     * @param products  D K', the length of {@code U'_n} and {@code V'_m}
     * @param sideWidth S, the length of the item side-information vector (0 for none)
     */
    public NnmfInputs(int k, int products, int sideWidth) {
        if (k < 0 || products < 0 || sideWidth < 0 || k + products == 0) {
            throw new IllegalArgumentException("NNMF inputs need K + D K' > 0, got K=" + k + ", D K'=" + products);
        }
        this.k = k;
        this.products = products;
        this.sideWidth = sideWidth;
    }

    public int k() {
        return k;
    }

    public int products() {
        return products;
    }

    public int sideWidth() {
        return sideWidth;
    }

    /** 2K + D K' + S. */
    public int width() {
        return 2 * k + products + sideWidth;
    }

    /**
     * Writes one input row at {@code x[xOff ..)}: {@code U_n = u[uOff ..)}, {@code V_m = v[vOff ..)},
     * {@code U'_n = up[upOff ..)}, {@code V'_m = vp[vpOff ..)}, {@code s_m = side[sideOff ..)} (side
     * may be null when S = 0).
     */
    public void row(float[] u, int uOff, float[] v, int vOff, float[] up, int upOff, float[] vp, int vpOff,
                    float[] side, int sideOff, float[] x, int xOff) {
        System.arraycopy(u, uOff, x, xOff, k);
        System.arraycopy(v, vOff, x, xOff + k, k);
        int o = xOff + 2 * k;
        for (int j = 0; j < products; j++) {
            x[o + j] = up[upOff + j] * vp[vpOff + j];
        }
        if (sideWidth > 0) {
            System.arraycopy(side, sideOff, x, o + products, sideWidth);
        }
    }

    /**
     * Backward of {@link #row} for one input row with gradient {@code dx[dxOff ..)}: adds
     * {@code dL/dU_n}, {@code dL/dV_m} and, through the products, {@code dL/dU'_n = dx_p o V'_m} and
     * {@code dL/dV'_m = dx_p o U'_n} into the gradient arrays at the same offsets as the rows (any
     * gradient array may be null: that part is not needed). The side information has no gradient.
     */
    public void addGradients(float[] dx, int dxOff, float[] up, int upOff, float[] vp, int vpOff,
                             float[] du, int duOff, float[] dv, int dvOff, float[] dup, int dupOff, float[] dvp,
                             int dvpOff) {
        if (du != null) {
            for (int j = 0; j < k; j++) {
                du[duOff + j] += dx[dxOff + j];
            }
        }
        if (dv != null) {
            for (int j = 0; j < k; j++) {
                dv[dvOff + j] += dx[dxOff + k + j];
            }
        }
        int o = dxOff + 2 * k;
        for (int j = 0; j < products; j++) {
            float g = dx[o + j];
            if (dup != null) {
                dup[dupOff + j] += g * vp[vpOff + j];
            }
            if (dvp != null) {
                dvp[dvpOff + j] += g * up[upOff + j];
            }
        }
    }
}
