package org.varec.io;

import java.util.List;
import java.util.Map;
import org.varec.train.EpochReport;

/**
 * Where a model came from, stored inside its file: enough to reproduce it (algorithm, config,
 * data fingerprint, seed, threads) and to explain it (training history).
 *
 * @param algorithm    registry name
 * @param config       hyper-parameters as given to the algorithm's parser
 * @param dataset      name of the training data (e.g. {@code ml-100k})
 * @param users        users in the model's index
 * @param items        items in the model's index
 * @param ratings      training ratings
 * @param fingerprint  SHA-256 (hex, first 16 bytes) of the training ratings, see {@link org.varec.data.Fingerprint}
 * @param seed         training seed
 * @param threads      training thread count
 * @param varecVersion the library version that trained it
 * @param createdAt    ISO-8601 instant
 * @param fitSeconds   wall seconds of training
 * @param history      one report per epoch
 */
public record Provenance(String algorithm, Map<String, Object> config, String dataset, int users, int items,
                         long ratings, String fingerprint, long seed, int threads, String varecVersion,
                         String createdAt, double fitSeconds, List<EpochReport> history) {
    public Provenance {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        history = history == null ? List.of() : List.copyOf(history);
    }
}
