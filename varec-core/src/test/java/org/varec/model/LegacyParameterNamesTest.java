package org.varec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Model files written before the parameter names were made canonical keep the old names in their
 * provenance config: they still load, as the same config. Old names that were never aliases are
 * not accepted from the command line.
 */
class LegacyParameterNamesTest {
    @ParameterizedTest
    @CsvSource({
            "bpmf, samples, iterations, 40, false",
            "bpmf, keep, keep_samples, 7, false",
            "vfm, samples, mc_samples, 3, false",
            "vfm, dim, rank, 4, true",
            "vfm, learn_rate, learning_rate, 0.05, true",
            "fm-sgd, dim, rank, 4, true",
            "fm-sgd, learn_rate, learning_rate, 0.05, true",
            "fm-mcmc, dim, rank, 4, true",
            "fm-als, dim, rank, 4, true",
            "vbfm, dim, rank, 4, true",
            "ovbfm, dim, rank, 4, true"})
    void oldNamesLoadAsTheSameConfig(String algorithm, String oldName, String newName, String value, boolean alias) {
        Algorithm<?, ?> a = Algorithms.get(algorithm);
        Map<String, Object> stored = new LinkedHashMap<>();
        a.defaultConfig().toMap().forEach((k, v) -> stored.put(k.equals(newName) ? oldName : k, v));
        stored.put(oldName, value);
        AlgorithmConfig loaded = a.storedConfig(stored);
        assertEquals(Double.parseDouble(value), ((Number) loaded.toMap().get(newName)).doubleValue(), 0.0);
        AlgorithmConfig canonical = a.parseConfig(Params.parse(List.of(newName + "=" + value)));
        assertEquals(canonical, loaded);
        if (alias) {
            assertEquals(canonical, a.parseConfig(Params.parse(List.of(oldName + "=" + value))));
        } else {
            assertThrows(IllegalArgumentException.class, () -> a.parseConfig(Params.parse(List.of(oldName + "=" + value))));
        }
    }

    /**
     * A parameter added after a model was saved is read as the value then in effect, not as the
     * new default: an autorec-u file without {@code center} was trained on the raw input.
     */
    @ParameterizedTest
    @CsvSource({
            "autorec-u, center, none, mean",
            "autorec-u, dropout, 0.0, 0.5",
            "autorec-i, dropout, 0.0, 0.25",
            "convncf, pretrain, 0, 15",
            "convncf, decay, 1.0, 0.97"})
    void parametersAbsentFromOlderFilesTakeTheirOldValue(String algorithm, String name, String old, String now) {
        Algorithm<?, ?> a = Algorithms.get(algorithm);
        Map<String, Object> stored = new LinkedHashMap<>(a.defaultConfig().toMap());
        stored.remove(name);
        assertEquals(old, String.valueOf(a.storedConfig(stored).toMap().get(name)).toLowerCase(java.util.Locale.ROOT));
        assertEquals(now, String.valueOf(a.defaultConfig().toMap().get(name)).toLowerCase(java.util.Locale.ROOT));
        // written today, the parameter is in the file and read as written
        assertEquals(a.defaultConfig(), a.storedConfig(a.defaultConfig().toMap()));
    }
}
