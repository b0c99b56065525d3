package org.varec.model;

import java.time.Instant;
import org.varec.data.Dataset;
import org.varec.data.Fingerprint;
import org.varec.data.Interactions;
import org.varec.data.ItemCatalog;
import org.varec.data.Networks;
import org.varec.data.RatingMatrix;
import org.varec.data.SeenItems;
import org.varec.io.Provenance;
import org.varec.io.Version;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingResult;

/**
 * Trains a registered algorithm on a dataset (or on part of it) and wraps the result with its id
 * indices, catalog, seen items and provenance (the loop's history included), ready to save or serve.
 */
public final class Fitting {
    private Fitting() {
    }

    /**
     * Trains on {@code train} (ratings over {@code dataset}'s indices) and returns a servable model.
     * For a network the pairs are trained in both orientations ({@link Networks#mirror}), and a
     * vertex's "seen items" are its links and itself (so that recommendations are new links).
     */
    public static TrainedModel fit(Algorithm<?, ?> algorithm, AlgorithmConfig config, Dataset dataset,
                                   Interactions train, TrainingContext context) {
        algorithm.requireInput(dataset);
        RatingMatrix matrix = RatingMatrix.of(dataset.isNetwork() ? Networks.mirror(train) : train);
        TrainingData data = new TrainingData(matrix, dataset.scale(), dataset.itemFeatures(), dataset.userFeatures());
        TrainingResult<? extends RatingModel> result = algorithm.fit(config, data, context);
        Provenance prov = new Provenance(algorithm.name(), config.toMap(), dataset.name(), dataset.numUsers(),
                dataset.numItems(), train.size(), Fingerprint.of(train), context.seed(), context.threads(),
                Version.get(), Instant.now().toString(), result.seconds(), result.history());
        return new TrainedModel(result.model(), config, dataset.users(), dataset.items(), dataset.scale(),
                ItemCatalog.of(dataset),
                SeenItems.of(dataset.isNetwork() ? RatingMatrix.of(Networks.linksAndSelf(train)) : matrix), prov);
    }
}
