package org.varec.model;

import java.util.Map;

/**
 * The hyper-parameters of one algorithm: an immutable record validated on construction (a bad
 * value is an {@link IllegalArgumentException} naming the parameter and its range).
 */
public interface AlgorithmConfig {
    /** Parameter name to value, in a stable order; parsing this back with {@link Params} gives an equal config. */
    Map<String, Object> toMap();
}
