package org.varec.model.baseline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varec.model.AlgorithmConfig;
import org.varec.model.ParamDoc;
import org.varec.model.Params;

/**
 * Regularized user and item biases around the global mean, r_ui ~ mu + b_u + b_i.
 *
 * @param iterations alternating sweeps (users, then items), default 10
 * @param regUser    ridge penalty on user biases, default 5 (in rating units: a user with n
 *                   ratings gets b_u = sum(residuals) / (regUser + n), so regUser acts as that
 *                   many pseudo-ratings at zero residual)
 * @param regItem    ridge penalty on item biases, default 5
 */
public record BiasesConfig(int iterations, double regUser, double regItem) implements AlgorithmConfig {
    public static final List<ParamDoc> PARAMS = List.of(
            new ParamDoc("iterations", "10", "alternating sweeps (all users, then all items)"),
            new ParamDoc("reg_user", "5", "ridge penalty on user biases (pseudo-ratings at zero residual)"),
            new ParamDoc("reg_item", "5", "ridge penalty on item biases"));

    public BiasesConfig {
        Params.checkRange("iterations", iterations, 1, 100_000);
        Params.checkRange("reg_user", regUser, 0, 1e12);
        Params.checkRange("reg_item", regItem, 0, 1e12);
    }

    public static BiasesConfig defaults() {
        return new BiasesConfig(10, 5, 5);
    }

    public static BiasesConfig from(Params p) {
        return new BiasesConfig(p.getInt("iterations", 10), p.getDouble("reg_user", 5), p.getDouble("reg_item", 5));
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iterations", iterations);
        m.put("reg_user", regUser);
        m.put("reg_item", regItem);
        return m;
    }
}
