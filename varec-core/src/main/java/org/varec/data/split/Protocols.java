package org.varec.data.split;

/**
 * Parses protocol specs. STUB: to be implemented (see issue 2).
 * Specs: holdout:R, holdout:RxN, holdout:TR,VA,TE, kfold:K, folds:u1..u5, folds:ua, folds:ub,
 * subsample:P.
 */
public final class Protocols {
    private Protocols() {
    }

    public static Protocol parse(String spec) {
        throw new UnsupportedOperationException("not implemented yet: " + spec);
    }
}
