package org.varec.model.fm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Function;
import org.varec.data.FeatureTable;
import org.varec.data.FmLayout;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;

/**
 * A factorization machine over (user, item) pairs: an {@link FmLayout} (which turns a pair into
 * a libFM-style row, side information included) and an {@link FmSamples} predictor. Shared by
 * fm-sgd, fm-als and fm-mcmc. Predictions are ratings (regression) or the probability of class 1
 * (classification).
 *
 * <p>Fold-in fits only the new user's id parameters (w_u, v_u) with everything else fixed (the
 * new user has no side features); see {@link FmSamples#foldIn}.
 *
 * <p>The model file holds the side-information tables the layout needs (group and feature names,
 * rows), so a loaded model predicts identically without the dataset.
 */
public final class FmModel implements ProbabilisticModel {
    private final String algorithm;
    private final FmLayout layout;
    private final FmSamples predictor;

    /** @param layout built by {@link #layout} (the file stores its tables and rebuilds it so) */
    FmModel(String algorithm, FmLayout layout, FmSamples predictor) {
        this.algorithm = algorithm;
        this.layout = layout;
        this.predictor = predictor;
        if (predictor.numFeatures() != layout.numFeatures()) {
            throw new IllegalArgumentException("predictor has " + predictor.numFeatures() + " features, layout "
                    + layout.numFeatures());
        }
    }

    /** The layout for a side setting (features normalised 1/count per group, as libFM users do). */
    public static FmLayout layout(int numUsers, int numItems, FeatureTable userFeatures, FeatureTable itemFeatures) {
        return userFeatures == null && itemFeatures == null ? FmLayout.idsOnly(numUsers, numItems)
                : FmLayout.of(numUsers, numItems, userFeatures, itemFeatures, true);
    }

    /** The rating models of predictors trained on rows of {@code layout}. */
    static Function<FmSamples, FmModel> of(String algorithm, FmLayout layout) {
        return p -> new FmModel(algorithm, layout, p);
    }

    public FmLayout layout() {
        return layout;
    }

    public FmSamples predictor() {
        return predictor;
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public int numUsers() {
        return layout.numUsers();
    }

    @Override
    public int numItems() {
        return layout.numItems();
    }

    @Override
    public double predict(int user, int item) {
        return predictive(user, item).mean();
    }

    /** Both predictions are the predictive means (above and {@link #predict(UserState, int)}). */
    @Override
    public boolean predictsPredictiveMean() {
        return true;
    }

    @Override
    public Predictive predictive(int user, int item) {
        int[] idx = new int[layout.maxRowLength()];
        float[] val = new float[layout.maxRowLength()];
        int n = layout.row(user, item, idx, val);
        return predictor.predictive(idx, val, n, null);
    }

    /** A trained user ({@code extra == null}) or a folded-in one with its per-sample parameters. */
    public record State(int user, double[] extra) implements UserState {
    }

    @Override
    public UserState user(int user) {
        return new State(user >= 0 && user < numUsers() ? user : -1, null);
    }

    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        int m = 0;
        for (int i : items) {
            if (i >= 0 && i < numItems()) {
                m++;
            }
        }
        int[][] idx = new int[m][];
        float[][] val = new float[m][];
        int[] n = new int[m];
        float[] t = new float[m];
        int c = 0;
        long seed = 17;
        for (int r = 0; r < items.length; r++) {
            if (items[r] < 0 || items[r] >= numItems()) {
                continue;
            }
            idx[c] = new int[layout.maxRowLength()];
            val[c] = new float[layout.maxRowLength()];
            n[c] = layout.row(-1, items[r], idx[c], val[c]);
            t[c] = ratings[r];
            seed = seed * 31 + items[r] * 1_000_003L + Float.floatToIntBits(ratings[r]);
            c++;
        }
        return new State(-1, predictor.foldIn(idx, val, n, t, seed));
    }

    @Override
    public double predict(UserState user, int item) {
        return predictive(user, item).mean();
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        State s = (State) user;
        if (s.extra() == null) {
            return predictive(s.user(), item);
        }
        int[] idx = new int[layout.maxRowLength()];
        float[] val = new float[layout.maxRowLength()];
        int n = layout.row(-1, item, idx, val);
        return predictor.predictive(idx, val, n, s.extra());
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(numUsers());
        out.writeInt(numItems());
        writeTable(out, layout.userFeatures());
        writeTable(out, layout.itemFeatures());
        predictor.write(out);
    }

    public static FmModel read(DataInput in, String algorithm) throws IOException {
        int nu = in.readInt();
        int ni = in.readInt();
        if (nu < 0 || ni < 0) {
            throw new IOException("corrupt FM model: negative sizes");
        }
        FeatureTable uf = readTable(in);
        FeatureTable itf = readTable(in);
        FmSamples p = FmSamples.read(in);
        try {
            return new FmModel(algorithm, layout(nu, ni, uf, itf), p);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt FM model: " + e.getMessage());
        }
    }

    private static void writeTable(DataOutput out, FeatureTable t) throws IOException {
        out.writeBoolean(t != null);
        if (t == null) {
            return;
        }
        out.writeInt(t.numRows());
        out.writeInt(t.numGroups());
        for (String g : t.groupNames()) {
            out.writeUTF(g);
        }
        out.writeInt(t.numFeatures());
        for (int f = 0; f < t.numFeatures(); f++) {
            out.writeInt(t.groupOf(f));
            String name = t.featureName(f);
            String g = t.groupNames().get(t.groupOf(f));
            out.writeUTF(name.startsWith(g + "=") ? name.substring(g.length() + 1) : name);
        }
        org.varec.io.ModelIo.writeInts(out, t.offsets());
        org.varec.io.ModelIo.writeInts(out, t.features());
        org.varec.io.ModelIo.writeFloats(out, t.values());
    }

    private static FeatureTable readTable(DataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int rows = in.readInt();
        int ng = in.readInt();
        if (rows < 0 || ng < 0 || ng > 1_000_000) {
            throw new IOException("corrupt FM model: feature table sizes");
        }
        FeatureTable.Builder b = new FeatureTable.Builder(rows);
        String[] groups = new String[ng];
        for (int g = 0; g < ng; g++) {
            groups[g] = in.readUTF();
            b.group(groups[g]);
        }
        int nf = in.readInt();
        int[] ids = new int[Math.max(0, nf)];
        for (int f = 0; f < nf; f++) {
            int g = in.readInt();
            if (g < 0 || g >= ng) {
                throw new IOException("corrupt FM model: feature group " + g);
            }
            ids[f] = b.feature(groups[g], in.readUTF());
        }
        int[] off = org.varec.io.ModelIo.readInts(in);
        int[] fs = org.varec.io.ModelIo.readInts(in);
        float[] vs = org.varec.io.ModelIo.readFloats(in);
        if (off.length != rows + 1 || fs.length != vs.length || off[rows] != fs.length) {
            throw new IOException("corrupt FM model: feature table rows");
        }
        for (int r = 0; r < rows; r++) {
            for (int p = off[r]; p < off[r + 1]; p++) {
                b.add(r, ids[fs[p]], vs[p]);
            }
        }
        FeatureTable t = b.build();
        if (!Arrays.equals(t.offsets(), off)) {
            throw new IOException("corrupt FM model: feature table rows");
        }
        return t;
    }
}
