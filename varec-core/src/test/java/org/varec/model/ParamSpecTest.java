package org.varec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamSpecTest {
    enum Shape { ROUND, SQUARE }

    record Example(
            @Param(value = "8", min = "1", max = "100", doc = "latent dimensions", aliases = "dim") int rank,
            @Param(value = "0.01", min = "0", minExclusive = true, doc = "step size", aliases = "learn_rate",
                    legacy = "lr") double learningRate,
            @Param(value = "true", doc = "a switch") boolean learnNoise,
            @Param(value = "round", doc = "a shape") Shape shape,
            @Param(value = "als", choices = {"als", "random"}, doc = "start") String init) implements AlgorithmConfig {
        Example {
            if (shape == Shape.SQUARE && rank > 50) {
                throw new IllegalArgumentException("square shapes need rank <= 50");
            }
        }
    }

    private static final ParamSpec<Example> SPEC = ParamSpec.of(Example.class);

    private static Params set(String... kv) {
        return Params.parse(List.of(kv));
    }

    @Test
    void namesTypesAndDefaultsComeFromTheDeclaration() {
        assertEquals(List.of("rank", "learning_rate", "learn_noise", "shape", "init"),
                SPEC.params().stream().map(ParamSpec.Declared::name).toList());
        assertEquals(new Example(8, 0.01, true, Shape.ROUND, "als"), SPEC.defaults());
        assertEquals("[1, 100]", SPEC.docs().get(0).constraint());
        assertEquals("(0, inf)", SPEC.docs().get(1).constraint());
        assertEquals("round|square", SPEC.docs().get(3).constraint());
        assertEquals(List.of("dim"), SPEC.docs().get(0).aliases());
    }

    @Test
    void parsesNamesAndAliasesButLegacyNamesOnlyFromStoredConfigs() {
        assertEquals(12, SPEC.parse(set("rank=12"), false).rank());
        assertEquals(12, SPEC.parse(set("dim=12"), false).rank());
        assertEquals(0.5, SPEC.parse(set("learn_rate=0.5"), false).learningRate());
        assertEquals(0.5, SPEC.parse(set("lr=0.5"), true).learningRate());
        var e = assertThrows(IllegalArgumentException.class, () -> SPEC.parse(set("lr=0.5"), false));
        assertTrue(e.getMessage().contains("unknown parameter lr (now learning_rate)"), e.getMessage());
        assertTrue(e.getMessage().contains("learn_rate") && e.getMessage().contains("rank"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SPEC.parse(set("rank=3", "dim=4"), false));
        assertTrue(e.getMessage().contains("given twice"), e.getMessage());
        assertEquals(Shape.SQUARE, SPEC.parse(set("shape=SQUARE"), false).shape());
        assertEquals(false, SPEC.parse(set("learn_noise=off"), false).learnNoise());
    }

    @Test
    void badValuesNameTheParameterAndTheRange() {
        for (String[] bad : new String[][] {{"rank=0", "rank", "[1, 100]"}, {"rank=x", "rank", "integer"},
                {"learning_rate=0", "learning_rate", "(0, inf)"}, {"learning_rate=NaN", "learning_rate", "(0, inf)"},
                {"learn_noise=maybe", "learn_noise", "true or false"}, {"shape=oval", "shape", "round or square"},
                {"init=svd", "init", "als or random"}, {"shape=square", "square shapes", "rank <= 50"}}) {
            Params p = bad[0].startsWith("shape=square") ? set(bad[0], "rank=60") : set(bad[0]);
            var e = assertThrows(IllegalArgumentException.class, () -> SPEC.parse(p, false), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains(bad[2]), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> SPEC.validate(new Example(0, 0.01, true, Shape.ROUND, "als")));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
    }

    @Test
    void theMapRoundTrips() {
        Example x = SPEC.parse(set("rank=30", "shape=square", "init=random", "learning_rate=0.25"), false);
        Map<String, Object> m = x.toMap();
        assertEquals(Map.of("rank", 30, "learning_rate", 0.25, "learn_noise", true, "shape", "square", "init", "random"), m);
        assertEquals(x, SPEC.parse(Params.of(m), false));
        assertEquals(40, SPEC.with(x, "rank", "40").rank());
    }

    record Undeclared(@Param(value = "1", doc = "fine") int a, int b) {
    }

    record BadDefault(@Param(value = "0", min = "1", doc = "bad") int a) {
    }

    @Test
    void everyComponentMustBeDeclaredWithAValidDefault() {
        assertThrows(IllegalStateException.class, () -> ParamSpec.of(Undeclared.class));
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.of(BadDefault.class));
    }
}
