package org.varec.model.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.io.ModelIo;
import org.varec.model.RatingModel;
import org.varec.model.UserState;

/** {@code r_ui = mu + b_u + b_i}; unknown users and items contribute a zero bias. */
public final class BiasesModel implements RatingModel {
    private final double mu;
    private final float[] userBias;
    private final float[] itemBias;
    private final double regUser;

    /** Takes the arrays without copying. */
    public BiasesModel(double mu, float[] userBias, float[] itemBias, double regUser) {
        this.mu = mu;
        this.userBias = userBias;
        this.itemBias = itemBias;
        this.regUser = regUser;
    }

    public static BiasesModel read(DataInput in, BiasesConfig config) throws IOException {
        double mu = in.readDouble();
        float[] bu = ModelIo.readFloats(in);
        float[] bi = ModelIo.readFloats(in);
        return new BiasesModel(mu, bu, bi, config.regUser());
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeDouble(mu);
        ModelIo.writeFloats(out, userBias);
        ModelIo.writeFloats(out, itemBias);
    }

    public double globalMean() {
        return mu;
    }

    public double userBias(int u) {
        return u >= 0 && u < userBias.length ? userBias[u] : 0;
    }

    public double itemBias(int i) {
        return i >= 0 && i < itemBias.length ? itemBias[i] : 0;
    }

    @Override
    public String algorithm() {
        return "biases";
    }

    @Override
    public int numUsers() {
        return userBias.length;
    }

    @Override
    public int numItems() {
        return itemBias.length;
    }

    @Override
    public double predict(int user, int item) {
        return mu + userBias(user) + itemBias(item);
    }

    /** A user as its bias. */
    public record State(int user, double bias) implements UserState {
    }

    @Override
    public UserState user(int user) {
        boolean known = user >= 0 && user < userBias.length;
        return new State(known ? user : -1, userBias(user));
    }

    /** The same closed form as training: b_u = sum (r - mu - b_i) / (reg_user + n). */
    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("items and ratings differ in length");
        }
        double s = 0;
        int n = 0;
        for (int k = 0; k < items.length; k++) {
            if (items[k] >= 0 && items[k] < itemBias.length) {
                s += ratings[k] - mu - itemBias[items[k]];
                n++;
            }
        }
        return new State(-1, n == 0 ? 0 : s / (regUser + n));
    }

    @Override
    public double predict(UserState user, int item) {
        return mu + ((State) user).bias() + itemBias(item);
    }

    @Override
    public void scoreAll(UserState user, double[] out) {
        double base = mu + ((State) user).bias();
        for (int i = 0; i < out.length; i++) {
            out[i] = base + itemBias[i];
        }
    }
}
