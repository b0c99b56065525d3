package org.varec.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varec.model.baseline.BiasesModel;

/** Selection itself is tested exhaustively in RankingMetricsTest; here the model-facing entry point. */
class TopNTest {
    @Test
    void recommendRanksByModelScoreAndSkipsExcluded() {
        BiasesModel m = new BiasesModel(3, new float[] {0.5f}, new float[] {0.1f, 0.9f, 0.9f, -1f, 0.4f}, 1);
        List<Recommendation> r = TopN.recommend(m, m.user(0), 3, new int[] {2});
        assertEquals(List.of(1, 4, 0), r.stream().map(Recommendation::item).toList());
        assertEquals(3 + 0.5 + 0.9, r.get(0).score(), 1e-6);
        assertEquals(List.of(1, 2), TopN.recommend(m, m.user(0), 2, null).stream().map(Recommendation::item).toList());
    }
}
