package org.varec.model.ncf;

import java.util.List;
import org.varec.nn.ParamArray;
import org.varec.stats.Rng;
import org.varec.util.Parallel;

/**
 * The network of an embedding model ({@code ncf}, {@code convncf}): a batch of user rows and
 * item rows, {@link #width()} floats each ({@code u[b * width + j]}), to one predicted rating per
 * row. The embedding tables are not part of it (the trainer gathers their rows and scatters their
 * gradients), so training, prediction and fold-in share it.
 *
 * <p>{@link #backward} uses the intermediates of the latest {@link #forward} on the same batch: an
 * instance is used by one thread at a time (kernels run on the pool). Instances may share their
 * {@link #params() parameter arrays} (a model's networks read the same weights from several
 * threads; only forward is used there).
 */
abstract class PairNetwork {
    /** Floats of a user (and of an item) row. */
    abstract int width();

    /** The trainable arrays, in a fixed order (the order of the model file). */
    abstract List<ParamArray> params();

    /** Random initial weights from {@code rng}; the output bias starts at {@code mean} (the training mean). */
    abstract void initialize(Rng rng, double mean);

    /** {@code y[b] = f(u_b, v_b)} for {@code b < batch}. */
    abstract void forward(float[] u, float[] v, float[] y, int batch, Parallel pool);

    /**
     * With the latest forward's rows: adds d loss / d parameters (with {@code dy[b]} = d loss / d
     * y[b]) into the parameters' gradients and writes d loss / d u_b and d loss / d v_b into
     * {@code du}, {@code dv} (same layout as the rows).
     */
    abstract void backward(float[] u, float[] v, float[] dy, float[] du, float[] dv, int batch, Parallel pool);

    /**
     * {@code y[b] += u_b[core] + v_b[core]}: the user and item biases that end rows of
     * {@code width = core + 1} floats (the "bias offset" of explicit-rating MF, Koren et al. 2009,
     * added to both papers' networks: they were built for implicit feedback, where no bias is needed,
     * and NeuMF's towers can only mimic one through a product).
     */
    static void addBiases(float[] u, float[] v, float[] y, int batch, int width, int core) {
        for (int b = 0; b < batch; b++) {
            y[b] += u[b * width + core] + v[b * width + core];
        }
    }

    /** The gradients of {@link #addBiases}: {@code du_b[core] = dv_b[core] = dy[b]}. */
    static void biasGradients(float[] dy, float[] du, float[] dv, int batch, int width, int core) {
        for (int b = 0; b < batch; b++) {
            du[b * width + core] = dy[b];
            dv[b * width + core] = dy[b];
        }
    }

    /** Floating-point operations of one forward pass per rating (multiply-adds count two). */
    abstract long forwardFlops();
}
