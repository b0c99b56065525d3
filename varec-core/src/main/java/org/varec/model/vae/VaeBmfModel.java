package org.varec.model.vae;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.varec.model.KnownRatings;
import org.varec.io.ModelIo;
import org.varec.model.FactorModel;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;
import org.varec.nn.ParamArray;
import org.varec.util.Parallel;

/**
 * A trained {@code vaebmf} model (VAE-BMF paper): independent Gaussian posteriors
 * {@code q(u_i) = N(mu_i, diag s_i)}, {@code q(v_j) = N(m_j, diag t_j)} given by the encoders at the
 * end of training, and the decoder {@code r = c + u . v + noise} ({@code c} the training mean with
 * {@code center=true}, else 0; noise variance {@code 1/lambda}). The predictive distribution of a
 * rating has
 * <pre>
 *   mean = c + mu . m
 *   var  = sum_k (mu_k^2 t_k + m_k^2 s_k + s_k t_k) + 1/lambda
 * </pre>
 * (the exact variance of a product of independent Gaussians plus the noise).
 *
 * <p>Fold-in encodes a new user's ratings with the trained user-side encoder (kept in the model)
 * and the item samples it was trained against (its latent inputs, {@code numItems x K}): no
 * retraining, one forward pass. An unknown user or item has the prior {@code N(0, I/tau)}.
 *
 * <p>Layout: row-major {@code float[]} ({@code mu[i * K + k]}). Immutable for reading; fold-in
 * shares the encoder's buffers and is synchronised.
 */
public final class VaeBmfModel implements FactorModel, ProbabilisticModel {

    private final VaeBmfConfig config;
    private final int numUsers;
    private final int numItems;
    private final int k;
    private final double center;
    private final double lambda;
    private final float[] userMean;
    private final float[] userVar;
    private final float[] itemMean;
    private final float[] itemVar;
    private final float[] itemSamples;
    private final VaeEncoder encoder;

    VaeBmfModel(VaeBmfConfig config, int numUsers, int numItems, double center, double lambda, float[] userMean,
                float[] userVar, float[] itemMean, float[] itemVar, float[] itemSamples, VaeEncoder encoder) {
        this.config = config;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.k = config.rank();
        this.center = center;
        this.lambda = lambda;
        this.userMean = userMean;
        this.userVar = userVar;
        this.itemMean = itemMean;
        this.itemVar = itemVar;
        this.itemSamples = itemSamples;
        this.encoder = encoder;
    }

    /** Reads what {@link #writeParameters} wrote. */
    public static VaeBmfModel read(DataInput in, VaeBmfConfig config) throws IOException {
        int nu = in.readInt();
        int ni = in.readInt();
        int k = in.readInt();
        if (nu < 0 || ni < 0 || k != config.rank()) {
            throw new IOException("vaebmf model (" + nu + " users, " + ni + " items, K " + k
                    + ") does not fit its config (K " + config.rank() + ")");
        }
        double c = in.readDouble();
        double lambda = in.readDouble();
        float[] um = ModelIo.readFloats(in, "user means", nu, k);
        float[] uv = ModelIo.readFloats(in, "user variances", nu, k);
        float[] im = ModelIo.readFloats(in, "item means", ni, k);
        float[] iv = ModelIo.readFloats(in, "item variances", ni, k);
        float[] is = ModelIo.readFloats(in, "item samples", ni, k);
        VaeEncoder enc = new VaeEncoder("vaebmf.user", ni, config).inputOffset(c, config);
        for (ParamArray p : enc.params()) {
            float[] a = ModelIo.readFloats(in);
            if (a.length != p.size()) {
                throw new IOException(p.name() + " has " + a.length + " floats, expected " + p.rows() + " x " + p.cols());
            }
            System.arraycopy(a, 0, p.value(), 0, a.length);
        }
        if (!(lambda > 0)) {
            throw new IOException("vaebmf noise precision must be > 0, got " + lambda);
        }
        return new VaeBmfModel(config, nu, ni, c, lambda, um, uv, im, iv, is, enc);
    }


    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(numUsers);
        out.writeInt(numItems);
        out.writeInt(k);
        out.writeDouble(center);
        out.writeDouble(lambda);
        ModelIo.writeFloats(out, userMean);
        ModelIo.writeFloats(out, userVar);
        ModelIo.writeFloats(out, itemMean);
        ModelIo.writeFloats(out, itemVar);
        ModelIo.writeFloats(out, itemSamples);
        for (ParamArray p : encoder.params()) {
            ModelIo.writeFloats(out, p.value());
        }
    }

    @Override
    public String algorithm() {
        return "vaebmf";
    }

    @Override
    public int numUsers() {
        return numUsers;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    @Override
    public int rank() {
        return k;
    }

    /** The noise precision lambda. */
    public double lambda() {
        return lambda;
    }

    @Override
    public float[] itemFactors() {
        return itemMean;
    }

    @Override
    public float[] userFactors() {
        return userMean;
    }

    /** Posterior variances of the items' embeddings ({@code numItems x K}). */
    public float[] itemVariances() {
        return itemVar;
    }

    /** Posterior variances of the users' embeddings ({@code numUsers x K}). */
    public float[] userVariances() {
        return userVar;
    }

    @Override
    public float[] itemBiases() {
        return null;
    }

    @Override
    public double globalMean() {
        return center;
    }

    /** A user's posterior: means and variances, K each. */
    public record State(int user, float[] mean, float[] variance) implements UserState {
    }

    private UserState prior(int user) {
        float[] v = new float[k];
        Arrays.fill(v, (float) (1 / config.tau()));
        return new State(user, new float[k], v);
    }

    @Override
    public UserState user(int user) {
        if (user < 0 || user >= numUsers) {
            return prior(-1);
        }
        return new State(user, Arrays.copyOfRange(userMean, user * k, (user + 1) * k),
                Arrays.copyOfRange(userVar, user * k, (user + 1) * k));
    }

    @Override
    public float[] userVector(UserState user) {
        return ((State) user).mean().clone();
    }

    @Override
    public double predict(int user, int item) {
        return predictive(user(user), item).mean();
    }

    @Override
    public double predict(UserState user, int item) {
        State s = (State) user;
        if (item < 0 || item >= numItems) {
            return center;
        }
        double dot = 0;
        for (int f = 0; f < k; f++) {
            dot += (double) s.mean()[f] * itemMean[item * k + f];
        }
        return center + dot;
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = predict(user, i);
        }
    }

    @Override
    public Predictive predictive(int user, int item) {
        return predictive(user(user), item);
    }

    @Override
    public Predictive predictive(UserState user, int item) {
        State s = (State) user;
        float[] mu = s.mean();
        float[] su = s.variance();
        double prior = 1 / config.tau();
        boolean known = item >= 0 && item < numItems;
        double mean = center;
        double var = 1 / lambda;
        for (int f = 0; f < k; f++) {
            double m = known ? itemMean[item * k + f] : 0;
            double t = known ? itemVar[item * k + f] : prior;
            mean += mu[f] * m;
            var += (double) mu[f] * mu[f] * t + m * m * su[f] + su[f] * t;
        }
        return new Predictive(mean, var);
    }

    /** Encodes the new user's ratings with the trained user encoder against the trained item samples. */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        KnownRatings known = KnownRatings.of(items, ratings, numItems);
        float[] mu = new float[k];
        float[] s = new float[k];
        synchronized (encoder) {
            encoder.forward(new int[] {0, known.n()}, known.items(), known.ratings(), itemSamples, 1, mu, s, Parallel.SERIAL);
        }
        return new State(-1, mu, s);
    }

    /** The encoder's arrays (for tests). */
    List<ParamArray> encoderParams() {
        return encoder.params();
    }
}
