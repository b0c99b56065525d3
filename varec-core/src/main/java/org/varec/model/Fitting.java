package org.varec.model;

import java.time.Instant;
import org.varec.data.Dataset;
import org.varec.data.Fingerprint;
import org.varec.data.Interactions;
import org.varec.data.ItemCatalog;
import org.varec.data.RatingMatrix;
import org.varec.data.SeenItems;
import org.varec.io.Provenance;
import org.varec.io.Version;
import org.varec.train.EpochReport;
import org.varec.train.TrainingContext;
import org.varec.train.TrainingData;
import org.varec.train.TrainingListener;

/**
 * Trains a registered algorithm on a dataset (or on part of it) and wraps the result with its id
 * indices, catalog, seen items and provenance, ready to save or serve.
 */
public final class Fitting {
    private Fitting() {
    }

    /** Trains on {@code train} (ratings over {@code dataset}'s indices) and returns a servable model. */
    public static TrainedModel fit(Algorithm<?, ?> algorithm, AlgorithmConfig config, Dataset dataset,
                                   Interactions train, TrainingContext context) {
        RatingMatrix matrix = RatingMatrix.of(train);
        TrainingData data = new TrainingData(matrix, dataset.scale(), dataset.itemFeatures(), dataset.userFeatures());
        HistoryRecorder recorder = new HistoryRecorder(context.listener());
        long t0 = System.nanoTime();
        RatingModel model = algorithm.fit(config, data, context.withListener(recorder));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Provenance prov = new Provenance(algorithm.name(), config.toMap(), dataset.name(), dataset.numUsers(),
                dataset.numItems(), train.size(), Fingerprint.of(train), context.seed(), context.threads(),
                Version.get(), Instant.now().toString(), seconds, recorder.history);
        return new TrainedModel(model, config, dataset.users(), dataset.items(), dataset.scale(),
                ItemCatalog.of(dataset), SeenItems.of(matrix), prov);
    }

    /** Forwards to the caller's listener and keeps the epoch reports for provenance. */
    private static final class HistoryRecorder implements TrainingListener {
        private final TrainingListener next;
        private final java.util.List<EpochReport> history = new java.util.ArrayList<>();

        HistoryRecorder(TrainingListener next) {
            this.next = next;
        }

        @Override
        public void onStart(String algorithm, int plannedEpochs) {
            history.clear();
            next.onStart(algorithm, plannedEpochs);
        }

        @Override
        public void onEpoch(EpochReport report) {
            history.add(report);
            next.onEpoch(report);
        }

        @Override
        public void onEnd(int epochs, boolean stoppedEarly) {
            next.onEnd(epochs, stoppedEarly);
        }
    }
}
