package org.varec.cli;

import java.util.ArrayList;
import java.util.List;
import org.varec.eval.EvalOptions;
import picocli.CommandLine.Option;

/**
 * The ranking metrics asked for, shared by {@code eval} and {@code tune}: the cut-offs, the
 * relevance threshold, and the candidate set of each user's ranked list ({@code unrated}: every item
 * not rated in training, the default; {@code test}: only the user's own test items, the VAE-BMF
 * paper's protocol, users with at least {@code --rank-min-test} test ratings).
 */
final class RankOptions {
    @Option(names = "--topn", split = ",", paramLabel = "N",
            description = "Also Precision@N, Recall@N, NDCG@N for these N (e.g. 10,20).")
    List<Integer> topN = new ArrayList<>();

    @Option(names = "--relevance", paramLabel = "R",
            description = "A test rating > R is relevant for ranking metrics (default: 3; 0 with --implicit, where "
                    + "every kept rating is 1).")
    Double relevance;

    /** The relevance threshold: as given, else 3 (stars), or 0 for implicit feedback (every rating is 1). */
    double relevance(boolean implicit) {
        return relevance != null ? relevance : implicit ? 0 : 3;
    }

    @Option(names = "--rank-candidates", paramLabel = "SET", defaultValue = "unrated",
            description = "Items ranked for a user: unrated (every item not rated in training; default) or test "
                    + "(only the user's own test items, as the VAE-BMF paper). See docs/metrics.md.")
    String candidates;

    @Option(names = "--rank-min-test", paramLabel = "K",
            description = "With --rank-candidates test: rank only users with at least K test ratings (default 2, as the paper).")
    Integer minTest;

    /** {@code base} with the candidate set asked for; checks the options before any data is read. */
    EvalOptions apply(EvalOptions base) {
        EvalOptions.Candidates c = EvalOptions.Candidates.parse(candidates);
        if (c != EvalOptions.Candidates.TEST && minTest != null) {
            throw new IllegalArgumentException("--rank-min-test needs --rank-candidates test");
        }
        if (c == EvalOptions.Candidates.TEST && topN.isEmpty()) {
            throw new IllegalArgumentException("--rank-candidates test needs --topn N,... (the cut-offs to measure)");
        }
        return base.withRanking(c, minTest == null ? 2 : minTest);
    }
}
