package org.varec.eval;

/** Tests in other packages: the evaluator's block size. */
public final class EvaluatorAccess {
    private EvaluatorAccess() {
    }

    public static int predictBlock() {
        return Evaluator.PREDICT_BLOCK;
    }
}
