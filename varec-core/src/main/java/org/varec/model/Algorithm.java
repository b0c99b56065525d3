package org.varec.model;

import java.io.DataInput;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;

/**
 * A registry entry: everything the CLI, the experiment runner and the model file need to know
 * about one algorithm, so that none of them switches on model types.
 *
 * @param name        registry name ({@code biases}, {@code als}, ...)
 * @param summary     one line for {@code varec algos}
 * @param params      documented hyper-parameters
 * @param configType  the config record type
 * @param parser      builds a validated config from user parameters
 * @param trainer     makes a trainer for a config
 * @param reader      reads the parameters written by {@link RatingModel#writeParameters}
 */
public record Algorithm<C extends AlgorithmConfig, M extends RatingModel>(
        String name, String summary, List<ParamDoc> params, Class<C> configType, Function<Params, C> parser,
        Function<C, Trainer<M>> trainer, ModelReader<C, M> reader) {

    /** Reads a model's parameters given its config. */
    @FunctionalInterface
    public interface ModelReader<C, M> {
        M read(DataInput in, C config) throws IOException;
    }

    public Algorithm {
        Objects.requireNonNull(name);
        params = List.copyOf(params);
    }

    /** Parses and validates parameters; unknown keys are an error. */
    public C parseConfig(Params p) {
        C c = parser.apply(p);
        p.requireAllUsed(name, params);
        return c;
    }

    public C defaultConfig() {
        return parseConfig(Params.empty());
    }

    public M fit(AlgorithmConfig config, TrainingData data, TrainingContext context) {
        return trainer.apply(configType.cast(config)).fit(data, context);
    }

    /** A trainer for {@code config} (e.g. to reach a trainer's extra entry points, such as FM trainers' design fit). */
    public Trainer<M> newTrainer(AlgorithmConfig config) {
        return trainer.apply(configType.cast(config));
    }

    public M read(DataInput in, AlgorithmConfig config) throws IOException {
        return reader.read(in, configType.cast(config));
    }
}
