package org.varec.model.baseline;

import org.varec.model.AlgorithmConfig;

/** The global-mean baseline has no hyper-parameters. */
public record MeanConfig() implements AlgorithmConfig {
}
