package org.varec.model.als;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.model.BiasedFactorModel;
import org.varec.model.UserState;

/**
 * A trained ALS model: {@code r_ui = mu + b_u + b_i + u_u . v_i}, with for {@code als-features}
 * also the learned genre vectors {@code f_g} that give a new item its factor (cold start).
 *
 * <p>Unknown users (index out of range or -1) predict {@code mu + b_i}; unknown items
 * {@code mu + b_u}. Items that had genres but no training ratings already carry their genre prior
 * mean as factor (that is what the item solve returns with no ratings) and a zero bias.
 */
public final class AlsModel extends BiasedFactorModel {
    private final double lambda;
    private final double tau;
    private final double gamma;
    /** Feature id (of the item FeatureTable) to genre row, -1 for non-genre features; null for plain ALS. */
    private final int[] featureToGenre;
    /** Genre vectors {@code f_g}, row-major G x rank; null for plain ALS. */
    private final float[] genreFactors;

    AlsModel(int rank, double mu, float[] userFactors, float[] itemFactors, float[] userBias, float[] itemBias,
             double lambda, double tau, double gamma, int[] featureToGenre, float[] genreFactors) {
        super(rank, mu, userFactors, itemFactors, java.util.Objects.requireNonNull(userBias),
                java.util.Objects.requireNonNull(itemBias));
        this.lambda = lambda;
        this.tau = tau;
        this.gamma = gamma;
        this.featureToGenre = featureToGenre;
        this.genreFactors = genreFactors;
    }

    /**
     * A plain {@code als} model from parameters fitted elsewhere (varec-spark's distributed ALS),
     * taking the arrays without copying; the hyper-parameters (for fold-in) come from the config.
     */
    public static AlsModel of(AlsConfig config, double mu, float[] userFactors, float[] itemFactors,
                              float[] userBias, float[] itemBias) {
        return new AlsModel(config.rank(), mu, userFactors, itemFactors, userBias, itemBias, config.lambda(),
                config.tau(), config.gamma(), null, null);
    }

    /** Reads what {@link #writeParameters} wrote; the hyper-parameters come from the config. */
    public static AlsModel read(DataInput in, AlsConfig config) throws IOException {
        Factors p = Factors.read(in, config.rank());
        int rank = p.rank();
        if (p.userBias() == null) {
            throw new IOException("ALS parameters without biases");
        }
        int[] f2g = null;
        float[] gf = null;
        if (in.readBoolean()) {
            f2g = ModelIo.readInts(in);
            gf = ModelIo.readFloats(in);
            int g = gf.length / rank;
            if (gf.length != g * rank) {
                throw new IOException("genre factor array is not a multiple of rank " + rank);
            }
            for (int x : f2g) {
                if (x < -1 || x >= g) {
                    throw new IOException("genre index " + x + " out of range [-1, " + g + ")");
                }
            }
        }
        return new AlsModel(rank, p.mu(), p.userFactors(), p.itemFactors(), p.userBias(), p.itemBias(), config.lambda(),
                config.tau(), config.gamma(), f2g, gf);
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        writeFactors(out);
        out.writeBoolean(genreFactors != null);
        if (genreFactors != null) {
            ModelIo.writeInts(out, featureToGenre);
            ModelIo.writeFloats(out, genreFactors);
        }
    }

    @Override
    public String algorithm() {
        return genreFactors == null ? "als" : "als-features";
    }

    /** Whether the model has genre vectors (trained as {@code als-features}). */
    public boolean hasGenreFactors() {
        return genreFactors != null;
    }

    /** Number of genre vectors (0 for plain ALS). */
    public int numGenres() {
        return genreFactors == null ? 0 : genreFactors.length / rank;
    }

    /**
     * A new user's vector and bias by one closed-form ridge solve with the items fixed: exactly
     * the user half-sweep of training (eqs (7)-(8) solved jointly, {@link RidgeSolver}), so a
     * trained user folded in from its own training ratings gets back its trained vector. Items
     * outside the trained range are ignored; with no usable rating the user is the prior (zeros).
     */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        int[] idx = new int[items.length];
        float[] val = new float[items.length];
        int n = knownRatings(items, ratings, idx, val);
        float[] v = new float[rank];
        double b = new RidgeSolver(rank, true).solve(itemFactors, itemBias, idx, val, 0, n, mu, lambda, tau, gamma,
                null, 0, v, 0);
        return new State(-1, v, b);
    }

    /**
     * The factor of a new item from its genres alone (cold start): the prior mean of eq (11)-(12),
     * {@code (1/sqrt(F)) * sum_g f_g} over its F genre features. {@code featureIds} are feature ids
     * of the training item {@link org.varec.data.FeatureTable}; ids that are not genres (or out of
     * range) are ignored, and with no genre the result is the zero vector.
     *
     * @throws IllegalStateException for a plain {@code als} model (it has no genre vectors)
     */
    public float[] coldStartItemVector(int[] featureIds) {
        if (genreFactors == null) {
            throw new IllegalStateException("model '" + algorithm() + "' has no genre vectors; train als-features");
        }
        double[] s = new double[rank];
        int count = 0;
        for (int id : featureIds) {
            if (id < 0 || id >= featureToGenre.length || featureToGenre[id] < 0) {
                continue;
            }
            int base = featureToGenre[id] * rank;
            for (int f = 0; f < rank; f++) {
                s[f] += genreFactors[base + f];
            }
            count++;
        }
        float[] v = new float[rank];
        if (count > 0) {
            double c = 1 / Math.sqrt(count);
            for (int f = 0; f < rank; f++) {
                v[f] = (float) (s[f] * c);
            }
        }
        return v;
    }

    /** Score of a user for a new item known only by its genres: {@code mu + b_u + u . coldStartItemVector}. */
    public double predictColdStart(UserState user, int[] featureIds) {
        State s = (State) user;
        float[] v = coldStartItemVector(featureIds);
        double r = mu + s.bias();
        for (int f = 0; f < rank; f++) {
            r += (double) s.vector()[f] * v[f];
        }
        return r;
    }
}
