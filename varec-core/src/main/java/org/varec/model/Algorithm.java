package org.varec.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.varec.model.fm.FmDesignTrainer;
import org.varec.train.Training;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingResult;

/**
 * A registry entry: everything the CLI, the experiment runner and the model file need to know
 * about one algorithm, so that none of them switches on model types. Its parameters follow from
 * the config record's {@link Param} declarations.
 *
 * @param name       registry name ({@code biases}, {@code als}, ...)
 * @param summary    one line for {@code varec algos}
 * @param configType the config record type
 * @param trainer    makes a trainer for a config
 * @param reader     reads the parameters written by {@link RatingModel#writeParameters}
 * @param design     for algorithms that also train on design matrices (libFM files): makes that
 *                   trainer; null for the others
 * @param input      what the algorithm learns from: any ratings (which includes a network's 0/1
 *                   pairs) or networks only (block models)
 */
public record Algorithm<C extends Record & AlgorithmConfig, M extends RatingModel>(
        String name, String summary, Class<C> configType, Function<C, Trainer<M>> trainer, ModelReader<C, M> reader,
        Function<C, FmDesignTrainer> design, Input input) {

    /** The data an algorithm trains on. */
    public enum Input {
        /** Any rating data, networks (as 0/1 vertex pairs, {@link org.varec.data.Networks}) included. */
        RATINGS,
        /** Networks only: symmetric 0/1 pairs over one vertex index. */
        NETWORK
    }

    /** Reads a model's parameters given its config. */
    @FunctionalInterface
    public interface ModelReader<C, M> {
        M read(DataInput in, C config) throws IOException;
    }

    public Algorithm {
        Objects.requireNonNull(name);
        Objects.requireNonNull(configType);
        Objects.requireNonNull(input);
        // The config's ParamSpec (which fails on an undeclared parameter or an invalid default) is
        // built on first use, not here: building all of the registry's took 0.2-0.4 s of every start
        // of the CLI, which uses one algorithm. AlgorithmContractTest builds every registered one.
    }

    public Algorithm(String name, String summary, Class<C> configType, Function<C, Trainer<M>> trainer,
                     ModelReader<C, M> reader) {
        this(name, summary, configType, trainer, reader, null, Input.RATINGS);
    }

    public Algorithm(String name, String summary, Class<C> configType, Function<C, Trainer<M>> trainer,
                     ModelReader<C, M> reader, Function<C, FmDesignTrainer> design) {
        this(name, summary, configType, trainer, reader, design, Input.RATINGS);
    }

    /** An algorithm for networks only. */
    public static <C extends Record & AlgorithmConfig, M extends RatingModel> Algorithm<C, M> forNetworks(
            String name, String summary, Class<C> configType, Function<C, Trainer<M>> trainer, ModelReader<C, M> reader) {
        return new Algorithm<>(name, summary, configType, trainer, reader, null, Input.NETWORK);
    }

    /** Refuses a network-only algorithm on rating data, before any work. */
    public void requireInput(org.varec.data.Dataset dataset) {
        if (networksOnly() && !dataset.isNetwork()) {
            throw new IllegalArgumentException("algorithm " + name + " models networks; read the data with "
                    + "--format adjacency (a 0/1 matrix) or --format edges (an edge list)");
        }
    }

    /** Whether the algorithm models networks only. */
    public boolean networksOnly() {
        return input == Input.NETWORK;
    }

    public ParamSpec<C> spec() {
        return ParamSpec.of(configType);
    }

    /** Documented hyper-parameters. */
    public List<ParamDoc> params() {
        return spec().docs();
    }

    /** Parses and validates parameters; unknown keys are an error. */
    public C parseConfig(Params p) {
        try {
            return spec().parse(p, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("unknown parameter")
                    ? e.getMessage().replaceFirst("; known", " for algorithm " + name + "; known") : e.getMessage(), e);
        }
    }

    /**
     * Parses parameters for a task: for an algorithm with a {@code task} parameter the task is set
     * from {@code task} (a contradicting {@code task=} among {@code p} is an error); an algorithm
     * without one can only do regression.
     */
    public C parseConfig(Params p, Task task) {
        if (task == null) {
            return parseConfig(p);
        }
        ParamSpec.Declared declared = spec().params().stream().filter(d -> d.name().equals("task")).findFirst()
                .orElse(null);
        if (declared != null && !declared.choices().contains(task.label())) {
            throw new IllegalArgumentException("algorithm " + name + " does " + String.join(" and ", declared.choices())
                    + " only");
        }
        if (declared == null) {
            if (task == Task.CLASSIFICATION) {
                throw new IllegalArgumentException("algorithm " + name + " has no task parameter: it cannot do "
                        + "classification (use an algorithm with one, e.g. fm-sgd, fm-mcmc or vfm)");
            }
            return parseConfig(p);
        }
        if (p.has("task") && Task.parse(p.getString("task", "")) != task) {
            throw new IllegalArgumentException("task=" + p.getString("task", "") + " contradicts task " + task.label());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : p.keys()) {
            m.put(k, p.getString(k, null));
        }
        m.put("task", task.label());
        return parseConfig(Params.of(m));
    }

    /** The config stored in a model file (old parameter names accepted). */
    public C storedConfig(Map<String, ?> map) {
        return spec().parse(Params.of(map), true);
    }

    public C defaultConfig() {
        return spec().defaults();
    }

    /** The trainer for {@code config} (validated). */
    public Trainer<M> trainer(AlgorithmConfig config) {
        return trainer.apply(spec().validate(configType.cast(config)));
    }

    /** Trains through the shared loop; the result holds the model and its history. */
    public TrainingResult<M> fit(AlgorithmConfig config, TrainingData data, TrainingContext context) {
        return Training.fit(trainer(config), data, context, m -> copy(m, config));
    }

    /** Whether the algorithm also trains on design matrices (libFM files). */
    public boolean trainsOnDesigns() {
        return design != null;
    }

    /** The design-matrix trainer for {@code config}, or an error naming the algorithms that have one. */
    public FmDesignTrainer designTrainer(AlgorithmConfig config) {
        if (design == null) {
            throw new IllegalArgumentException("algorithm " + name + " cannot run on libFM design matrices; use "
                    + String.join(", ", Algorithms.all().stream().filter(Algorithm::trainsOnDesigns).map(Algorithm::name)
                    .toList()));
        }
        return design.apply(spec().validate(configType.cast(config)));
    }

    public M read(DataInput in, AlgorithmConfig config) throws IOException {
        return reader.read(in, configType.cast(config));
    }

    /** An independent copy of a model, through its own parameter format. */
    public M copy(M model, AlgorithmConfig config) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                model.writeParameters(out);
            }
            return read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
