package org.varec.model.vae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.model.als.RidgeSolver;
import org.varec.nn.Activation;
import org.varec.nn.Attention;
import org.varec.nn.Dropout;
import org.varec.nn.Kernels;
import org.varec.nn.Mlp;
import org.varec.nn.ParamArray;
import org.varec.nn.SparseInput;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * One side's encoder of VAE-BMF (paper sec. 3.2-3.4, Fig. 1): for a batch of rows (users, or items
 * on the mirrored side) it computes the posterior means {@code mu} and variances {@code s} of
 * their embeddings from
 * <ul>
 * <li>the <b>observed input</b>, the row of ratings {@code x_i} (J wide, sparse), through a sparse
 *     input layer and the L' hidden layers of eq. (8), ReLU everywhere: {@code H_(L'+1)}, K' wide;</li>
 * <li>the <b>latent input</b> {@code z_i}: the other side's current samples placed at the positions
 *     of the rated entries, {@code J K} wide. It is never formed: the sparse input layer over it
 *     sums, for each rated j and each k, {@code z_jk} times row {@code j K + k} of Phi_0, i.e.
 *     {@code sum_j Phi_0[j] (K x M block) applied to z_j}; then L' layers as the observed input:
 *     {@code G_(L'+1)};</li>
 * <li>the concatenation {@code S = [H, G]}, L hidden ReLU layers and a linear output: the mean head
 *     {@code m} and the variance head's pre-activation {@code rho} (one network per head, or one
 *     network whose last layer is both heads when {@code shared_encoder=true});</li>
 * <li>attention (sec. 3.4, {@link Attention}) over the latent samples of the rated entries:
 *     {@code mu = Att_Theta(m)} and {@code rho' = Att_Lambda(rho)}; then {@code s = softplus(rho')}
 *     (the paper puts a sigmoid on the variance head; the softplus does not cap the variance at 1
 *     and is the positive map the issue asks for; the attention acts before it so that the linear
 *     map of eq. (10)'s concatenation cannot make a variance negative). With {@code attention_ratings}
 *     the mean's attention vector weights each sample by the centred rating, {@code sum_j a_j (x_ij - c) v_j}
 *     (docs/vaebmf.md, third pass: the only product of a rating and a sample in the encoder).</li>
 * </ul>
 * Without the observed input (data_input=false) S is G alone; without cross-feedback S is H alone
 * and there is no attention.
 *
 * <p>Batch inputs are CSR rows ({@code offsets}, {@code indices} into the other side, rating
 * {@code values}) and the other side's sample table ({@code n x K}). The encoder keeps its batch
 * buffers (for the largest batch seen), so it is used by one thread at a time; the kernels run on
 * the pool and give the same bits for every thread count.
 */
final class VaeEncoder {
    /**
     * Added to every variance: {@code s = softplus(rho') + MIN_VARIANCE}. A softplus of a very
     * negative pre-activation rounds to 0 in float, and the KL's {@code -log s}, its gradient
     * {@code 1/s} and the reparameterisation's {@code 1/sqrt(s)} would turn infinite.
     */
    static final float MIN_VARIANCE = 1e-5f;
    private final int k;
    private final int cols;
    private final boolean data;
    private final boolean attention;
    private final Tower[] towers;
    private final Attention attMean;
    private final Attention attVar;
    private final List<ParamArray> params;
    private int capacity;
    /** Per batch row: {@code 1 / sqrt(entries)} with {@code input_norm}, else 1 (the latent input's scale). */
    private float[] rowScale;
    /** The observed input's values, centred with {@code input_center} and scaled with {@code input_norm}. */
    private float[] valD = new float[0];
    private final boolean norm;
    /** Subtracted from every observed input rating ({@code input_center}: the decoder offset c; else 0). */
    private float inputOffset;
    /** The decoder offset c (the centre of the mean attention's rating weights with {@code attention_ratings}). */
    private float center;
    private final boolean attRatings;
    /** Whether the latest forward dropped entries (then its CSR is {@code dropOff / dropIdx / dropVal}). */
    private boolean dropped;
    private int[] dropOff = new int[0];
    private int[] dropIdx = new int[0];
    private float[] dropVal = new float[0];
    /** The dropout mask of the latest forward's entries (0: dropped). */
    private float[] keep = new float[0];
    /** With {@code attention_ratings}: {@code x_ij - c} per batch entry, the mean attention's value weights. */
    private float[] attWeights = new float[0];
    private float[] head;
    private float[] headVar;
    private float[] dHead;
    private float[] dHeadVar;
    private float[] rho;
    private float[] dRho;
    /** With {@code ridge_input}: the K x K map R of the rows' ridge solutions into the mean (null: off). */
    private final ParamArray ridgeMap;
    /** The ridge solutions r_i of the latest forward's rows ({@code batch x K}). */
    private float[] ridgeIn = new float[0];
    /** Rows per parallel block of the ridge solves. */
    private static final int RIDGE_BLOCK = 16;
    /** The ridge's penalty: the prior precision tau of u_i (with unit noise precision). */
    private final double ridgePrecision;

    /**
     * @param cols number of entries a row can rate (J for the user side, I for the item side)
     */
    VaeEncoder(String name, int cols, VaeBmfConfig c) {
        this.k = c.rank();
        this.cols = cols;
        this.data = c.dataInput();
        this.attention = c.usesAttention();
        this.norm = c.inputNorm();
        // the ablation "no data input" reads no rating values anywhere, the attention's weights included
        this.attRatings = c.attentionRatings() && c.usesAttention() && c.dataInput();
        int heads = c.sharedEncoder() ? 1 : 2;
        this.towers = new Tower[heads];
        List<ParamArray> p = new ArrayList<>();
        for (int t = 0; t < heads; t++) {
            String tn = name + (heads == 1 ? "" : t == 0 ? ".mean" : ".var");
            towers[t] = new Tower(tn, cols, k, heads == 1 ? 2 * k : k, c);
            p.addAll(towers[t].params());
        }
        this.attMean = attention ? new Attention(name + ".att_mean", k) : null;
        this.attVar = attention ? new Attention(name + ".att_var", k) : null;
        if (attention) {
            p.addAll(attMean.params());
            p.addAll(attVar.params());
        }
        // the ridge solution reads ratings and the other side's samples
        this.ridgeMap = c.ridgeInput() && c.dataInput() && c.crossFeedback()
                ? ParamArray.dense(name + ".ridge_map", k, k) : null;
        this.ridgePrecision = c.tau();
        if (ridgeMap != null) {
            p.add(ridgeMap);
        }
        this.params = List.copyOf(p);
    }

    /**
     * He-uniform weights from {@code rng} and zero biases, except the variance head's output bias,
     * which starts at {@code softplus^-1(initVariance)} so that the first posteriors have about that
     * variance (a zero bias would give softplus(0) = 0.69 per dimension, whose samples drown the
     * means: with K = 10 a product u . v of such samples has a standard deviation near 2). The
     * attention layers start as the identity.
     */
    VaeEncoder initialize(Rng rng, double initVariance) {
        for (Tower t : towers) {
            t.initialize(rng);
        }
        double v = Math.max(initVariance, 1e-4);
        float rhoBias = (float) (v > 20 ? v : Math.log(Math.expm1(v)));
        float[] bias = towers[towers.length - 1].trunk.layer(towers[towers.length - 1].trunk.numLayers() - 1)
                .bias().value();
        Arrays.fill(bias, towers.length == 1 ? k : 0, towers.length == 1 ? 2 * k : k, rhoBias);
        return this;
    }

    List<ParamArray> params() {
        return params;
    }

    /**
     * The decoder offset {@code c}: the observed input is centred on it with {@code input_center}, and
     * the mean attention's value weights are {@code x_ij - c} with {@code attention_ratings} (the trainer
     * and a loaded model set it from the same {@code c}).
     */
    VaeEncoder inputOffset(double c, VaeBmfConfig config) {
        this.inputOffset = config.inputCenter() ? (float) c : 0f;
        this.center = (float) c;
        return this;
    }

    /** Whether the observed input is transformed (scaled or centred) into {@code valD}. */
    private boolean transformed() {
        return norm || inputOffset != 0f || dropped;
    }

    /** The kept entries of the batch's CSR, compacted into {@code dropOff / dropIdx / dropVal}. */
    private void dropEntries(int[] off, int[] idx, float[] val, int batch, float rate, Rng rng) {
        int n = off[batch];
        if (dropIdx.length < n) {
            int cap = Math.max(n, 1024) * 5 / 4;
            dropIdx = new int[cap];
            dropVal = new float[cap];
            keep = new float[cap];
        }
        if (dropOff.length < batch + 1) {
            dropOff = new int[batch + 1];
        }
        Arrays.fill(keep, 0, n, 1f);
        Dropout.apply(rate, keep, keep, 0, n, rng);
        int q = 0;
        for (int r = 0; r < batch; r++) {
            dropOff[r] = q;
            for (int p = off[r]; p < off[r + 1]; p++) {
                if (keep[p] != 0f) {
                    dropIdx[q] = idx[p];
                    dropVal[q] = val[p];
                    q++;
                }
            }
        }
        dropOff[batch] = q;
    }

    int rank() {
        return k;
    }

    private void ensure(int batch) {
        if (batch > capacity) {
            rowScale = new float[batch];
            head = new float[batch * (towers.length == 1 ? 2 * k : k)];
            headVar = towers.length == 1 ? null : new float[batch * k];
            dHead = new float[head.length];
            dHeadVar = towers.length == 1 ? null : new float[batch * k];
            rho = new float[batch * k];
            dRho = new float[batch * k];
            capacity = batch;
        }
    }

    /**
     * Means {@code mu} and variances {@code s} ({@code batch x K} each) of the rows given in CSR form;
     * {@code table} is the other side's samples ({@code cols x K}; unused without cross-feedback).
     */
    void forward(int[] off, int[] idx, float[] val, float[] table, int batch, float[] mu, float[] s, Parallel pool) {
        forward(off, idx, val, table, batch, mu, s, pool, 0f, null);
    }

    /**
     * {@link #forward} with <b>entry dropout</b> at {@code rate} (training only; {@code rate = 0} or a
     * null {@code rng} is the plain forward and draws nothing): each rated entry of the batch is kept
     * with probability {@code 1 - rate} (masks drawn from {@code rng} in entry order, as
     * {@link Dropout#apply}), and a dropped entry is removed from the row for every part of the
     * encoder: its rating from the observed input, its sample from the latent input, and it from both
     * attentions' sets (so it looks unrated). The kept entries of both sparse inputs are scaled by
     * {@code 1 / (1 - rate)} on top of the row scale of the <i>full</i> row (inverted dropout: the
     * first layers' expected pre-activations are those without dropout); the attentions average over
     * the kept entries and need no scaling. {@link #backward} then differentiates this computation.
     */
    void forward(int[] off, int[] idx, float[] val, float[] table, int batch, float[] mu, float[] s, Parallel pool,
                 float rate, Rng rng) {
        ensure(batch);
        // the latent input: entry p of row r stands for the K inputs idx[p] K + f with values
        // z_(idx[p], f) scale_r, read from the table by the layer (SparseInput.forwardBlocks)
        for (int r = 0; r < batch; r++) {
            rowScale[r] = scale(off, r);
        }
        dropped = rate > 0 && rng != null;
        if (dropped) {
            float inv = 1f / (1f - rate);
            for (int r = 0; r < batch; r++) {
                rowScale[r] *= inv;
            }
            dropEntries(off, idx, val, batch, rate, rng);
            off = dropOff;
            idx = dropIdx;
            val = dropVal;
        }
        float[] v = val;
        if (transformed()) {
            int n = off[batch];
            if (valD.length < n) {
                valD = new float[Math.max(n, 1024) * 5 / 4];
            }
            for (int r = 0; r < batch; r++) {
                float sc = rowScale[r];
                for (int p = off[r]; p < off[r + 1]; p++) {
                    valD[p] = (val[p] - inputOffset) * sc;
                }
            }
            v = valD;
        }
        towers[0].forward(off, idx, v, table, rowScale, batch, head, pool);
        float[] m;
        if (towers.length == 1) {
            // split [m, rho] rows of the shared network
            for (int r = 0; r < batch; r++) {
                System.arraycopy(head, r * 2 * k + k, rho, r * k, k);
            }
            m = compact(head, batch);
        } else {
            towers[1].forward(off, idx, v, table, rowScale, batch, headVar, pool);
            System.arraycopy(headVar, 0, rho, 0, batch * k);
            m = head;
        }
        if (attention) {
            float[] aw = null;
            if (attRatings) {
                int n = off[batch];
                if (attWeights.length < n) {
                    attWeights = new float[Math.max(n, 1024) * 5 / 4];
                }
                for (int p = 0; p < n; p++) {
                    attWeights[p] = val[p] - center;
                }
                aw = attWeights;
            }
            attMean.forward(m, off, idx, aw, table, mu, batch, pool);
            float[] rhoIn = Arrays.copyOf(rho, batch * k);
            attVar.forward(rhoIn, off, idx, table, rho, batch, pool);
            attInputVar = rhoIn; // the attention's input, for backward
        } else {
            System.arraycopy(m, 0, mu, 0, batch * k);
        }
        if (ridgeMap != null) {
            addRidge(off, idx, val, table, batch, mu, pool);
        }
        Kernels.activate(Activation.SOFTPLUS, rho, s, batch * k, pool);
        for (int e = 0; e < batch * k; e++) {
            s[e] += MIN_VARIANCE;
        }
        lastMean = m;
    }

    /**
     * {@code mu_r += r_r R} with {@code r_r} the ridge solution of row r's (kept) ratings on the
     * table's rows: {@code (sum_p v_p v_p^T + tau I) r = sum_p v_p (x_p - c0)} (the conditional mean
     * of u_i given the samples under the N(0, I/tau) prior and unit noise precision),
     * solved in double by {@link RidgeSolver} (data: no gradient flows into it).
     */
    private void addRidge(int[] off, int[] idx, float[] val, float[] table, int batch, float[] mu, Parallel pool) {
        if (ridgeIn.length < batch * k) {
            ridgeIn = new float[batch * k];
        }
        float[] rm = ridgeMap.value();
        pool.forBlocks(batch, RIDGE_BLOCK, (blk, from, to) -> {
            RidgeSolver solver = new RidgeSolver(k, false);
            for (int r = from; r < to; r++) {
                solver.solve(table, null, idx, val, off[r], off[r + 1], center, 1.0, ridgePrecision, 0, null, 0,
                        ridgeIn, r * k);
                for (int g = 0; g < k; g++) {
                    float x = ridgeIn[r * k + g];
                    for (int f = 0; f < k; f++) {
                        mu[r * k + f] = Math.fma(x, rm[g * k + f], mu[r * k + f]);
                    }
                }
            }
        });
    }

    /** The mean head's output of the latest forward (the attention's query). */
    private float[] lastMean;
    /** The variance head's pre-activation before attention, of the latest forward. */
    private float[] attInputVar;

    /** {@code 1 / sqrt(entries of row r)} with {@code input_norm} (1 for an empty row), else 1. */
    private float scale(int[] off, int r) {
        int len = off[r + 1] - off[r];
        return norm && len > 0 ? (float) (1 / Math.sqrt(len)) : 1f;
    }

    /** The first K columns of each {@code 2K} row, packed. */
    private float[] compact(float[] a, int batch) {
        float[] m = new float[batch * k];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(a, r * 2 * k, m, r * k, k);
        }
        return m;
    }

    /**
     * Adds the gradients of the parameters given d loss / d mu and d loss / d s of the latest
     * {@link #forward} (same arguments).
     */
    void backward(int[] off, int[] idx, float[] rawVal, float[] table, int batch, float[] s, float[] dMu, float[] dS,
                  Parallel pool) {
        if (dropped) {
            off = dropOff;
            idx = dropIdx;
        }
        float[] val = transformed() ? valD : rawVal;
        if (ridgeMap != null) {
            // mu += r R: dR += r^T dMu (the ridge solutions are data)
            Kernels.addWeightGradient(ridgeIn, dMu, ridgeMap.grad(), batch, k, k, pool);
        }
        // d rho' = dS * sigmoid(rho')  (softplus' = sigmoid)
        for (int e = 0; e < batch * k; e++) {
            dRho[e] = dS[e] * Activation.sigmoid(rho[e]);
        }
        float[] dm;
        float[] dr;
        if (attention) {
            dm = new float[batch * k];
            attMean.backward(lastMean, off, idx, attRatings ? attWeights : null, table, dMu, dm, batch, pool);
            dr = new float[batch * k];
            attVar.backward(attInputVar, off, idx, table, dRho, dr, batch, pool);
        } else {
            dm = dMu;
            dr = dRho;
        }
        if (towers.length == 1) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(dm, r * k, dHead, r * 2 * k, k);
                System.arraycopy(dr, r * k, dHead, r * 2 * k + k, k);
            }
            towers[0].backward(off, idx, val, table, rowScale, batch, head, dHead, pool);
        } else {
            System.arraycopy(dm, 0, dHead, 0, batch * k);
            System.arraycopy(dr, 0, dHeadVar, 0, batch * k);
            towers[0].backward(off, idx, val, table, rowScale, batch, head, dHead, pool);
            towers[1].backward(off, idx, val, table, rowScale, batch, headVar, dHeadVar, pool);
        }
    }

    /** Observed branch + latent branch -> S -> trunk: one network from the inputs to its output. */
    private static final class Tower {
        private final Branch dataBranch;
        private final Branch latentBranch;
        private final Mlp trunk;
        private final int kp;
        private final int sWidth;
        private final List<ParamArray> params;
        private float[] s;
        private float[] ds;

        Tower(String name, int cols, int k, int out, VaeBmfConfig c) {
            this.kp = c.intermediateRank();
            this.dataBranch = c.dataInput() ? new Branch(name + ".data", cols, kp, c.branchSizes(), 1) : null;
            this.latentBranch = c.crossFeedback()
                    ? new Branch(name + ".latent", Math.multiplyExact(cols, k), kp, c.branchSizes(), k) : null;
            this.sWidth = (dataBranch == null ? 0 : kp) + (latentBranch == null ? 0 : kp);
            int[] hid = c.hiddenSizes();
            int[] sizes = new int[hid.length + 2];
            sizes[0] = sWidth;
            System.arraycopy(hid, 0, sizes, 1, hid.length);
            sizes[sizes.length - 1] = out;
            this.trunk = Mlp.of(name + ".trunk", sizes, Activation.RELU, Activation.IDENTITY);
            List<ParamArray> p = new ArrayList<>();
            if (dataBranch != null) {
                p.addAll(dataBranch.params());
            }
            if (latentBranch != null) {
                p.addAll(latentBranch.params());
            }
            p.addAll(trunk.params());
            this.params = List.copyOf(p);
        }

        List<ParamArray> params() {
            return params;
        }

        void initialize(Rng rng) {
            if (dataBranch != null) {
                dataBranch.initialize(rng);
            }
            if (latentBranch != null) {
                latentBranch.initialize(rng);
            }
            trunk.initialize(rng);
        }

        void forward(int[] off, int[] idx, float[] val, float[] table, float[] rowScale, int batch, float[] out,
                     Parallel pool) {
            if (s == null || s.length < batch * sWidth) {
                s = new float[batch * sWidth];
                ds = new float[batch * sWidth];
            }
            int col = 0;
            if (dataBranch != null) {
                dataBranch.forward(off, idx, val, null, null, batch, pool);
                place(dataBranch.out, batch, col);
                col += kp;
            }
            if (latentBranch != null) {
                latentBranch.forward(off, idx, null, table, rowScale, batch, pool);
                place(latentBranch.out, batch, col);
            }
            trunk.forward(s, out, batch, pool);
        }

        private void place(float[] a, int batch, int col) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(a, r * kp, s, r * sWidth + col, kp);
            }
        }

        void backward(int[] off, int[] idx, float[] val, float[] table, float[] rowScale, int batch, float[] out,
                      float[] dOut, Parallel pool) {
            trunk.backward(s, out, dOut, ds, batch, pool);
            int col = 0;
            if (dataBranch != null) {
                dataBranch.backward(off, idx, val, null, null, batch, ds, sWidth, col, pool);
                col += kp;
            }
            if (latentBranch != null) {
                latentBranch.backward(off, idx, null, table, rowScale, batch, ds, sWidth, col, pool);
            }
        }
    }

    /** Eq. (8): a sparse input layer with ReLU, then L' dense ReLU layers; K' wide output. */
    private static final class Branch {
        private final SparseInput input;
        private final Mlp mlp;
        private final int first;
        private final int kp;
        /** Inputs per entry: 1 for the observed input, K for the latent input. */
        private final int blk;
        private float[] h0;
        private float[] a0;
        private float[] da0;
        private float[] dOut;
        float[] out;

        Branch(String name, int inputs, int kp, int[] hidden, int blk) {
            this.kp = kp;
            this.blk = blk;
            this.first = hidden.length == 0 ? kp : hidden[0];
            this.input = new SparseInput(name + ".in", inputs, first);
            if (hidden.length == 0) {
                this.mlp = null;
            } else {
                int[] sizes = new int[hidden.length + 1];
                System.arraycopy(hidden, 0, sizes, 0, hidden.length);
                sizes[hidden.length] = kp;
                this.mlp = Mlp.of(name + ".mlp", sizes, Activation.RELU, Activation.RELU);
            }
        }

        List<ParamArray> params() {
            List<ParamArray> p = new ArrayList<>(input.params());
            if (mlp != null) {
                p.addAll(mlp.params());
            }
            return p;
        }

        void initialize(Rng rng) {
            // He uniform over the fan-in of the sparse layer (its number of rows)
            float[] w = input.weights().value();
            double a = Math.sqrt(6.0 / input.inputSize());
            for (int e = 0; e < w.length; e++) {
                w[e] = (float) ((2 * rng.nextDouble() - 1) * a);
            }
            if (mlp != null) {
                mlp.initialize(rng);
            }
        }

        /** The observed input ({@code val}; {@code table} null) or the latent input ({@code table}, K-blocks, {@code rowScale}). */
        void forward(int[] off, int[] idx, float[] val, float[] table, float[] rowScale, int batch, Parallel pool) {
            if (h0 == null || h0.length < batch * first) {
                h0 = new float[batch * first];
                a0 = new float[batch * first];
                da0 = new float[batch * first];
                out = mlp == null ? a0 : new float[batch * kp];
                dOut = new float[batch * kp];
            }
            if (table == null) {
                input.forward(off, idx, val, batch, h0, pool);
            } else {
                input.forwardBlocks(off, idx, blk, table, rowScale, batch, h0, pool);
            }
            Kernels.activate(Activation.RELU, h0, a0, batch * first, pool);
            if (mlp != null) {
                mlp.forward(a0, out, batch, pool);
            }
        }

        /** Backward from columns {@code [col, col + K')} of {@code ds} (rows {@code width} wide). */
        void backward(int[] off, int[] idx, float[] val, float[] table, float[] rowScale, int batch, float[] ds,
                      int width, int col, Parallel pool) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(ds, r * width + col, dOut, r * kp, kp);
            }
            if (mlp != null) {
                mlp.backward(a0, out, dOut, da0, batch, pool);
            } else {
                System.arraycopy(dOut, 0, da0, 0, batch * kp);
            }
            Kernels.activationBackward(Activation.RELU, h0, a0, da0, da0, batch * first, pool);
            if (table == null) {
                input.backward(off, idx, val, da0, batch, pool);
            } else {
                input.backwardBlocks(off, idx, blk, table, rowScale, da0, batch, pool);
            }
        }
    }
}
