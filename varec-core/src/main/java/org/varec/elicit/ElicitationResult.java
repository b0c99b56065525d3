package org.varec.elicit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ElicitationExperiment} measured: per strategy and round, each figure's mean and 95%
 * confidence interval over repeats; the prior's figures (no answers); times.
 *
 * @param trainSeconds mean seconds to train one repeat's model
 * @param seconds      per strategy, seconds of elicitation per repeat (all rounds, all test users)
 */
public record ElicitationResult(ElicitationConfig config, int users, int items, int testUsers, int poolItems,
                                int validationItems, boolean classification, Map<String, Interval> prior,
                                Map<Strategy, List<Round>> strategies, Map<Strategy, double[]> seconds,
                                double trainSeconds) {
    /** One round: items asked so far and the figures after it. */
    public record Round(int items, Map<String, Interval> figures) {
    }

    /**
     * Per round, the paired difference {@code strategy - random} of each figure over repeats (same
     * splits and model in a repeat), mean and 95% interval; empty without {@code random}.
     */
    public Map<Strategy, List<Round>> versusRandom() {
        Map<Strategy, List<Round>> out = new LinkedHashMap<>();
        List<Round> base = strategies.get(Strategy.RANDOM);
        if (base == null) {
            return out;
        }
        for (var e : strategies.entrySet()) {
            if (e.getKey() == Strategy.RANDOM) {
                continue;
            }
            List<Round> rounds = new ArrayList<>();
            for (int r = 0; r < e.getValue().size(); r++) {
                Map<String, Interval> figs = new LinkedHashMap<>();
                for (String m : ElicitationExperiment.METRICS) {
                    double[] a = e.getValue().get(r).figures().get(m).values();
                    double[] b = base.get(r).figures().get(m).values();
                    double[] d = new double[a.length];
                    for (int k = 0; k < d.length; k++) {
                        d[k] = a[k] - b[k];
                    }
                    figs.put(m, Interval.of(d));
                }
                rounds.add(new Round(e.getValue().get(r).items(), figs));
            }
            out.put(e.getKey(), rounds);
        }
        return out;
    }

    /** Mean seconds of one round for all test users, per strategy. */
    public double secondsPerRound(Strategy s) {
        double t = 0;
        for (double x : seconds.get(s)) {
            t += x;
        }
        return t / seconds.get(s).length / config.rounds();
    }

    private static Map<String, Object> figure(Interval i, boolean withValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", i.mean());
        m.put("ci95", List.of(i.lo(), i.hi()));
        if (withValues) {
            m.put("values", i.values());
        }
        return m;
    }

    private static Map<String, Object> rounds(Map<Strategy, List<Round>> per, boolean withValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : per.entrySet()) {
            List<Map<String, Object>> rs = new ArrayList<>();
            for (Round r : e.getValue()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("items", r.items());
                for (var f : r.figures().entrySet()) {
                    m.put(f.getKey(), figure(f.getValue(), withValues));
                }
                rs.add(m);
            }
            out.put(e.getKey().label(), rs);
        }
        return out;
    }

    /**
     * The JSON document: {@code {"strategies": {"mean": [{"items": 4, "auc": {"mean": m, "ci95": [lo, hi],
     * "values": [...]}, "acc": ..., "map": ..., "variance": ...}, ...]}, "vs_random": ..., "prior": ..., ...}}.
     */
    public Map<String, Object> toJson(Map<String, Object> header) {
        Map<String, Object> out = new LinkedHashMap<>(header);
        Map<String, Object> proto = new LinkedHashMap<>();
        proto.put("repeats", config.repeats());
        proto.put("rounds", config.rounds());
        proto.put("round_size", config.roundSize());
        proto.put("train_share", config.trainShare());
        proto.put("pool_share", config.poolShare());
        proto.put("seed", config.seed());
        proto.put("threads", config.threads());
        out.put("protocol", proto);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("users", users);
        data.put("items", items);
        data.put("test_users", testUsers);
        data.put("pool_items", poolItems);
        data.put("validation_items", validationItems);
        out.put("data", data);
        out.put("classification", classification);
        Map<String, Object> pr = new LinkedHashMap<>();
        pr.put("items", 0);
        for (var f : prior.entrySet()) {
            pr.put(f.getKey(), figure(f.getValue(), true));
        }
        out.put("prior", pr);
        out.put("strategies", rounds(strategies, true));
        out.put("vs_random", rounds(versusRandom(), false));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("train_per_repeat", trainSeconds);
        Map<String, Object> per = new LinkedHashMap<>();
        for (Strategy s : strategies.keySet()) {
            per.put(s.label(), secondsPerRound(s));
        }
        t.put("round_all_test_users", per);
        out.put("seconds", t);
        return out;
    }
}
