package org.varec.eval;

import java.util.List;
import java.util.Map;
import org.varec.train.EpochReport;

/**
 * One split of an experiment.
 *
 * @param split            split name
 * @param trainRatings     ratings trained on
 * @param testRatings      ratings measured on
 * @param metrics          metric name to value
 * @param fitSeconds       wall seconds of training
 * @param predictSeconds   wall seconds of evaluation (all metrics)
 * @param peakHeapBytes    peak heap in use during training and evaluation (all heap pools)
 * @param history          the training loop's per-epoch reports
 * @param modelEpoch       the epoch whose model was measured (the last one, or the best one with
 *                         a selection that restores it)
 * @param stoppedEarly     whether a stop rule ended training before its planned epochs
 */
public record RunResult(String split, int trainRatings, int testRatings, Map<String, Double> metrics,
                        double fitSeconds, double predictSeconds, long peakHeapBytes, List<EpochReport> history,
                        int modelEpoch, boolean stoppedEarly) {
}
