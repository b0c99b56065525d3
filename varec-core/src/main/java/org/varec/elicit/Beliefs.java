package org.varec.elicit;

import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.UserState;

/**
 * What elicitation needs from a Bayesian model: for a user's current posterior, the probability
 * that an item's label is 1 and the predictive variance, and the user's posterior given answers.
 * A classification model (vfm, fm-mcmc with {@code task=classification}) gives P(y=1) and the
 * variance of the logit; a regression model trained on the 0/1 labels (bpmf, vbmf...) gives its
 * predictive mean clamped to [0, 1] as the probability and the predictive variance of the value.
 * The posterior update is the model's own fold-in ({@link ProbabilisticModel#foldIn}): the user's
 * parameters refitted to all answers so far with the item side frozen.
 */
public final class Beliefs {
    private final ProbabilisticModel model;
    private final boolean classification;

    public Beliefs(ProbabilisticModel model, boolean classification) {
        this.model = model;
        this.classification = classification;
    }

    public ProbabilisticModel model() {
        return model;
    }

    public boolean classification() {
        return classification;
    }

    /** The posterior of a user who answered {@code values} (0/1 labels or ratings) on {@code items}. */
    public UserState posterior(int[] items, float[] values) {
        return model.foldIn(items, values);
    }

    /** P(y = 1) and the predictive variance of {@code item} for {@code user}. */
    public Predictive belief(UserState user, int item) {
        Predictive p = model.predictive(user, item);
        if (classification) {
            return p;
        }
        return new Predictive(Math.min(1, Math.max(0, p.mean())), p.variance());
    }

    /** Binary entropy of a probability, in nats (0 at 0 and 1). */
    public static double entropy(double p) {
        if (p <= 0 || p >= 1) {
            return 0;
        }
        return -(p * Math.log(p) + (1 - p) * Math.log1p(-p));
    }

    /** Sum of the binary entropies of {@code items} for {@code user}. */
    public double entropy(UserState user, int[] items) {
        double s = 0;
        for (int i : items) {
            s += entropy(belief(user, i).mean());
        }
        return s;
    }
}
