package org.varec.model.baseline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/** The global-mean baseline has no hyper-parameters. */
public record MeanConfig() implements AlgorithmConfig {
    public static final java.util.List<ParamDoc> PARAMS = java.util.List.of();

    public static MeanConfig from(Params p) {
        return new MeanConfig();
    }

    @Override
    public Map<String, Object> toMap() {
        return new LinkedHashMap<>();
    }
}
