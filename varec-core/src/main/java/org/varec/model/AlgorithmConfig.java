package org.varec.model;

import java.util.Map;

/**
 * The hyper-parameters of one algorithm: an immutable record whose components each carry their
 * one {@link Param} declaration; {@link ParamSpec} parses, validates, documents and maps it.
 * Cross-parameter rules (e.g. burn-in below the number of samples) live in the record's compact
 * constructor.
 */
public interface AlgorithmConfig {
    /** Parameter name to value, in declaration order; parsing this back gives an equal config. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    default Map<String, Object> toMap() {
        return ((ParamSpec) ParamSpec.of((Class<? extends Record>) getClass())).toMap((Record) this);
    }
}
