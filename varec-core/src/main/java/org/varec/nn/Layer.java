package org.varec.nn;

import java.util.List;
import org.varec.util.Parallel;

/**
 * A differentiable map of a batch: {@code batch} input rows of {@link #inputSize()} floats to as
 * many output rows of {@link #outputSize()} floats, both row-major ({@code in[b * inputSize + i]}).
 * {@link #backward} gets the same input and output the forward pass saw and the gradient of the
 * loss with respect to the output; it adds the parameters' gradients into their
 * {@link ParamArray#grad()} and writes the gradient with respect to the input.
 *
 * <p>A layer owns no batch buffers: callers (an {@code Mlp}, a model) allocate them once per batch
 * size and reuse them, so a training step allocates nothing. Work is spread over {@code pool} in
 * fixed blocks (batch rows for outputs and input gradients, parameter rows for parameter
 * gradients, each summed over the batch in order), so results depend on the pool's thread count
 * at most, never on timing.
 */
public interface Layer {
    int inputSize();

    int outputSize();

    /** {@code out = f(in)} for {@code batch} rows. */
    void forward(float[] in, float[] out, int batch, Parallel pool);

    /**
     * Adds d loss / d parameters into the parameters' gradients and writes d loss / d in into
     * {@code dIn} (skipped when {@code dIn} is null, e.g. for a first layer).
     */
    void backward(float[] in, float[] out, float[] dOut, float[] dIn, int batch, Parallel pool);

    /** The trainable arrays (empty for an activation). */
    List<ParamArray> params();
}
