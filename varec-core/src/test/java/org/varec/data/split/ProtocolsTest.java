package org.varec.data.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolsTest {

    @Test
    void parsesEveryFormToItsCanonicalSpec() {
        String[][] cases = {
            {"holdout:0.8", "holdout:0.8"},
            {" HOLDOUT:0.80 ", "holdout:0.8"},
            {"holdout:0.9x5", "holdout:0.9x5"},
            {"holdout:.9x1", "holdout:0.9"},
            {"holdout:0.7,0.15,0.15", "holdout:0.7,0.15,0.15"},
            {"holdout:0.7,0.15,0.15x3", "holdout:0.7,0.15,0.15x3"},
            {"holdout:0.8,0,0.2", "holdout:0.8"},
            {"kfold:5", "kfold:5"},
            {"folds:u1..u5", "folds:u1..u5"},
            {"folds:u3", "folds:u3"},
            {"folds:ua", "folds:ua"},
            {"folds:ub", "folds:ub"},
            {"folds:u2..u3", "folds:u2..u3"},
            {"folds:u1,u3", "folds:u1,u3"},
            {"folds:u1,u2", "folds:u1..u2"},
            {"folds:ua,ub", "folds:ua,ub"},
            {"subsample:0.05", "subsample:0.05"},
            {"subsample:0.01x3", "subsample:0.01x3"},
        };
        for (String[] c : cases) {
            Protocol p = Protocols.parse(c[0]);
            assertEquals(c[1], p.spec(), c[0]);
            assertEquals(c[1], Protocols.parse(p.spec()).spec(), "round trip of " + c[0]);
        }
    }

    @Test
    void parsedValuesAreRight() {
        Holdout h = assertInstanceOf(Holdout.class, Protocols.parse("holdout:0.9x5"));
        assertEquals(0.9, h.train());
        assertEquals(0, h.validation());
        assertEquals(5, h.repeats());
        Holdout three = assertInstanceOf(Holdout.class, Protocols.parse("holdout:0.7,0.15,0.15"));
        assertEquals(0.15, three.validation());
        assertEquals(0.15, three.test());
        assertEquals(1, three.repeats());
        assertEquals(10, assertInstanceOf(KFold.class, Protocols.parse("kfold:10")).k());
        assertEquals(List.of("u1", "u2", "u3", "u4", "u5"),
                assertInstanceOf(PredefinedFolds.class, Protocols.parse("folds:u1..u5")).names());
        Subsample s = assertInstanceOf(Subsample.class, Protocols.parse("subsample:0.05x2"));
        assertEquals(0.05, s.train());
        assertEquals(2, s.repeats());
    }

    @Test
    void badSpecsGiveClearErrorsListingTheForms() {
        String[][] cases = {
            {"", "empty"},
            {"holdout", "KIND:ARGUMENTS"},
            {"bogus:1", "unknown protocol 'bogus'"},
            {"holdout:1", "train fraction must be in (0, 1)"},
            {"holdout:0", "train fraction must be in (0, 1)"},
            {"holdout:abc", "holdout takes"},
            {"holdout:0.8x0", "repeats N must be in"},
            {"holdout:0.8x", "holdout takes"},
            {"holdout:-0.8", "holdout takes"},
            {"holdout:0.7,0.2,0.2", "sum to 1"},
            {"holdout:0.7,0.3", "holdout takes"},
            {"holdout:0x1p-1", "holdout takes"},
            {"kfold:1", "folds K must be in 2..100"},
            {"kfold:five", "whole number"},
            {"kfold:", "whole number"},
            {"folds:u6", "unknown predefined fold 'u6'"},
            {"folds:u5..u1", "backwards"},
            {"folds:u1,u1", "named twice"},
            {"folds:", "unknown predefined fold ''"},
            {"subsample:5", "write 5% as subsample:0.05"},
            {"subsample:0", "subsample fraction P must be in (0, 1)"},
            {"subsample:0.7,0.15,0.15", "subsample takes"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocols.parse(c[0]),
                    c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains("valid forms: holdout:R"), e.getMessage());
            assertTrue(e.getMessage().startsWith("bad protocol '" + c[0] + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Protocols.parse(null));
    }

    @Test
    void recordsValidateDirectConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Holdout(0.5, 0.2, 0.2, 1));
        assertThrows(IllegalArgumentException.class, () -> Holdout.of(0.8, 1001));
        assertThrows(IllegalArgumentException.class, () -> new KFold(101));
        assertThrows(IllegalArgumentException.class, () -> new Subsample(1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PredefinedFolds(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new PredefinedFolds(List.of("u0")));
    }
}
