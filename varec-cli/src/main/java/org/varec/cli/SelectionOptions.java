package org.varec.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.varec.train.PlateauSchedule;
import org.varec.train.Selection;
import org.varec.train.StopRule;
import org.varec.train.TrainingContext;
import picocli.CommandLine.Option;

/**
 * {@code --select METRIC}, {@code --patience E} and {@code --restore-best}: which figure the
 * shared training loop watches, when it stops, and whether it returns the best epoch's model;
 * {@code --lr-patience E --lr-factor F}: its step-size drop on a plateau of that figure.
 * A validation metric ({@code rmse}, {@code mae}, {@code nlpd}, {@code auc}, {@code acc},
 * {@code map}, {@code ndcg@N}, {@code recall@N}, {@code precision@N}, with or without the
 * {@code val_} prefix) is measured on the protocol's validation part each epoch; any other name
 * ({@code elbo}, {@code loss}, {@code train_rmse}) is a figure the trainer reports itself.
 * {@code --validation-share P} provides validation ratings where the protocol has none (and for
 * {@code train}, which trains on all ratings).
 */
final class SelectionOptions {
    private static final List<String> VALIDATION = List.of("rmse", "mae", "nlpd", "auc", "acc", "map");

    @Option(names = "--select", paramLabel = "METRIC",
            description = "Figure that decides the best epoch: a validation metric (rmse, mae, nlpd, auc, acc, map, "
                    + "ndcg@N, recall@N, precision@N; measured each epoch on the protocol's validation part) or a "
                    + "trainer figure (elbo, loss). Default with --patience: rmse.")
    String select;

    @Option(names = "--patience", paramLabel = "E",
            description = "Stop training when the selected figure has not improved for E epochs.")
    Integer patience;

    @Option(names = "--restore-best",
            description = "Return the model of the best epoch under --select instead of the last one.")
    boolean restoreBest;

    @Option(names = "--lr-patience", paramLabel = "E",
            description = "When the selected figure has not improved for E epochs, go back to the best epoch and "
                    + "continue with the step size times --lr-factor (needs --restore-best and a trainer with a step "
                    + "size, e.g. nnmf; docs/architecture.md).")
    Integer lrPatience;

    @Option(names = "--lr-factor", paramLabel = "F",
            description = "Step-size factor of each --lr-patience drop, in (0, 1) (default: 0.5).")
    Double lrFactor;

    @Option(names = "--validation-share", paramLabel = "P",
            description = "Hold out this share of the training ratings (at random, from the seed) as validation "
                    + "ratings when the protocol has none; the model is trained on the rest.")
    Double validationShare;

    boolean given() {
        return select != null || patience != null || restoreBest || validationShare != null || lrPatience != null;
    }

    /** {@code base} with validation metrics, stop rule and selection as asked (unchanged when nothing was asked). */
    TrainingContext context(TrainingContext base) {
        if (!given()) {
            return base;
        }
        String metric = select == null ? "rmse" : select.trim().toLowerCase(Locale.ROOT);
        String bare = metric.startsWith("val_") ? metric.substring(4) : metric;
        boolean onValidation = metric.startsWith("val_") || VALIDATION.contains(bare) || bare.contains("@");
        String figure = onValidation ? "val_" + bare : metric;
        Selection selection = Selection.of(figure, restoreBest);
        List<String> metrics = new ArrayList<>(List.of("rmse"));
        if (onValidation && !metrics.contains(bare)) {
            metrics.add(bare);
        }
        StopRule stop = patience == null ? StopRule.NEVER : StopRule.noImprovement(selection, patience, 0);
        if (lrFactor != null && lrPatience == null) {
            throw new IllegalArgumentException("--lr-factor needs --lr-patience");
        }
        PlateauSchedule plateau = lrPatience == null ? null
                : new PlateauSchedule(lrPatience, lrFactor == null ? 0.5 : lrFactor);
        return base.withValidation(null, metrics).withStopRule(stop).withSelection(selection)
                .withValidationShare(validationShare == null ? 0 : validationShare).withPlateau(plateau);
    }

    /** The options as given, for a tune file's key (another stop rule is another search). */
    String describe() {
        return "select=" + select + " patience=" + patience + " restore_best=" + restoreBest
                + " validation_share=" + validationShare
                + (lrPatience == null ? "" : " lr_patience=" + lrPatience + " lr_factor=" + lrFactor);
    }
}
