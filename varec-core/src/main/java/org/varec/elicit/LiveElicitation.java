package org.varec.elicit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.varec.data.SeenItems;
import org.varec.model.AlgorithmConfig;
import org.varec.model.Predictive;
import org.varec.model.ProbabilisticModel;
import org.varec.model.TrainedModel;
import org.varec.recommend.ItemFactors;
import org.varec.recommend.TopN;

/**
 * Elicitation of a real person against a saved model, one question at a time: the library API of
 * {@code varec elicit --interactive} (and of an HTTP server). The askable items are the model's
 * {@code pool} most popular items (by how many training users have them); every answer refits the
 * user's posterior. A classification model (seen / not seen, liked / not) takes {@code y} = 1,
 * {@code n} = 0 and a rating as 1; a regression model takes a rating on its scale, and {@code n}
 * (not seen) as a skip.
 */
public final class LiveElicitation {
    /** What an answer line meant. */
    public enum Outcome { ANSWERED, SKIPPED, QUIT, INVALID }

    private final TrainedModel trained;
    private final ProbabilisticModel model;
    private final boolean classification;
    private final ElicitationSession session;
    private final double initialVariance;

    public LiveElicitation(TrainedModel trained, Strategy strategy, int pool, long seed) {
        if (!(trained.model() instanceof ProbabilisticModel pm)) {
            throw new IllegalArgumentException("model " + trained.algorithm() + " has no predictive variance; "
                    + "elicitation needs a Bayesian model (vfm, fm-mcmc, bpmf, vbmf, bnnmf)");
        }
        this.trained = trained;
        this.model = pm;
        this.classification = isClassification(trained.config());
        if (strategy == Strategy.ENTROPY && !classification) {
            throw new IllegalArgumentException("strategy entropy needs a classification model (0/1 answers)");
        }
        double[] popularity = popularity(trained.seen(), pm.numItems());
        int[] candidates = mostPopular(popularity, Math.min(pool, pm.numItems()));
        this.session = new ElicitationSession(new Beliefs(pm, classification), candidates, candidates, strategy,
                popularity, seed);
        this.initialVariance = meanVariance();
    }

    /** Whether a config does classification (its {@code task} parameter). */
    public static boolean isClassification(AlgorithmConfig config) {
        return org.varec.model.Task.of(config) == org.varec.model.Task.CLASSIFICATION;
    }

    /** Training ratings per item ({@link ItemFactors#counts}) as the {@code popular} strategy's scores; zeros without seen items. */
    public static double[] popularity(SeenItems seen, int numItems) {
        double[] p = new double[numItems];
        if (seen != null) {
            int[] c = ItemFactors.counts(seen, numItems);
            for (int i = 0; i < numItems; i++) {
                p[i] = c[i];
            }
        }
        return p;
    }

    static int[] mostPopular(double[] popularity, int n) {
        int[] all = new int[popularity.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        int[] top = ElicitationSession.top(all, popularity, n);
        Arrays.sort(top);
        return top;
    }

    public boolean classification() {
        return classification;
    }

    public ElicitationSession session() {
        return session;
    }

    /** The next item to ask, or -1 when none is left. */
    public int next() {
        int[] n = session.next(1);
        return n.length == 0 ? -1 : n[0];
    }

    /** The question for {@code item}. */
    public String question(int item) {
        String t = trained.title(item);
        String name = t == null ? "item " + trained.items().externalId(item) : t;
        if (classification) {
            return "Have you seen / would you rate: " + name + "? [y/n/skip or a rating, q to quit]";
        }
        return "Have you seen / would you rate: " + name + "? [" + fmt(trained.scale().bounded() ? trained.scale().min() : 1)
                + "-" + fmt(trained.scale().bounded() ? trained.scale().max() : 5) + ", n (not seen), skip, q to quit]";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Applies one answer line for {@code item}; the posterior is refitted when it is an answer. */
    public Outcome answer(int item, String line) {
        String a = line == null ? "q" : line.strip().toLowerCase(Locale.ROOT);
        switch (a) {
            case "q", "quit", "exit" -> {
                return Outcome.QUIT;
            }
            case "s", "skip", "" -> {
                session.skip(item);
                return Outcome.SKIPPED;
            }
            case "y", "yes" -> {
                if (!classification) {
                    return Outcome.INVALID;
                }
                session.answer(item, 1f);
                return Outcome.ANSWERED;
            }
            case "n", "no" -> {
                if (classification) {
                    session.answer(item, 0f);
                    return Outcome.ANSWERED;
                }
                session.skip(item);
                return Outcome.SKIPPED;
            }
            default -> {
                double r;
                try {
                    r = Double.parseDouble(a);
                } catch (NumberFormatException e) {
                    return Outcome.INVALID;
                }
                if (classification) {
                    session.answer(item, 1f);
                } else {
                    if (!trained.scale().contains(r)) {
                        return Outcome.INVALID;
                    }
                    session.answer(item, (float) r);
                }
                return Outcome.ANSWERED;
            }
        }
    }

    /** Mean predictive variance over all items under the current posterior. */
    public double meanVariance() {
        double s = 0;
        for (int i = 0; i < model.numItems(); i++) {
            s += model.predictive(session.state(), i).variance();
        }
        return s / model.numItems();
    }

    /** Mean predictive variance over all items before any answer. */
    public double initialVariance() {
        return initialVariance;
    }

    /** A recommended item with its predictive mean (probability or rating) and variance. */
    public record Suggestion(int item, String id, String title, Predictive predictive) {
    }

    /** The top {@code n} items by predicted probability (or rating), answered items left out. */
    public List<Suggestion> recommend(int n) {
        int[] asked = session.askedItems();
        double[] scores = new double[model.numItems()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = model.predictive(session.state(), i).mean();
        }
        List<Suggestion> out = new ArrayList<>();
        for (int i : TopN.select(scores, n, asked)) {
            out.add(new Suggestion(i, trained.items().externalId(i), trained.title(i),
                    model.predictive(session.state(), i)));
        }
        return out;
    }
}
