package org.varec.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.varec.model.TrainedModel;
import org.varec.model.UserState;

/**
 * One loaded model as the server serves it: the model file's contents, where it came from, and the
 * users changed by feedback since it was loaded (their folded-in states and their ratings). A
 * reload replaces the whole object at once, so a request sees one model from start to end.
 *
 * @param name     the name clients use ({@code ?model=NAME}): the file name without {@code .varec}
 * @param file     the model file
 * @param model    its contents
 * @param loadSeconds how long loading took
 */
record ServedModel(String name, Path file, TrainedModel model, double loadSeconds,
                   Map<String, Feedback> feedback) {
    /** A user's feedback ratings (item index -> rating) and the state folded in from them. */
    record Feedback(Map<Integer, Float> ratings, UserState state) {
    }

    static ServedModel of(String name, Path file, TrainedModel model, double loadSeconds) {
        return new ServedModel(name, file, model, loadSeconds, new ConcurrentHashMap<>());
    }

    /** Whether the model gives predictive distributions. */
    boolean bayesian() {
        return model.model() instanceof org.varec.model.ProbabilisticModel;
    }

    /**
     * Folds {@code rating} for {@code item} into {@code user}'s state. A trained user keeps what the
     * model learned: their training items enter the fold-in at the values the model predicts for
     * them (which reproduce the trained state for the ridge fold-ins of the factor models), then the
     * feedback ratings override or add. A user unknown to the model is folded in from feedback alone.
     */
    synchronized UserState addFeedback(String user, int item, float rating) {
        Feedback old = feedback.get(user);
        Map<Integer, Float> ratings = new LinkedHashMap<>(old == null ? Map.of() : old.ratings());
        ratings.put(item, rating);
        int u = model.users().indexOf(user);
        Map<Integer, Float> all = new LinkedHashMap<>();
        if (u >= 0 && model.seen() != null) {
            UserState trained = model.model().user(u);
            for (int i : model.seen().of(u)) {
                all.put(i, (float) model.model().predict(trained, i));
            }
        }
        all.putAll(ratings);
        int[] items = new int[all.size()];
        float[] values = new float[all.size()];
        int k = 0;
        for (Map.Entry<Integer, Float> e : all.entrySet()) {
            items[k] = e.getKey();
            values[k++] = e.getValue();
        }
        UserState s = model.model().foldIn(items, values);
        feedback.put(user, new Feedback(ratings, s));
        return s;
    }
}
