package org.varec.spark;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.param.Param;

/**
 * Spark ML finds a stage's params by reflection on public no-argument methods returning a
 * {@link Param} (Scala's vals). Java stages here declare them as public final fields instead, so
 * their {@code params()} lists those fields (sorted by name, as Spark's own listing is).
 */
final class ParamFields {
    private ParamFields() {
    }

    static Param<?>[] of(Object stage) {
        List<Param<?>> ps = new ArrayList<>();
        for (Field f : stage.getClass().getFields()) {
            if (Param.class.isAssignableFrom(f.getType()) && !Modifier.isStatic(f.getModifiers())) {
                try {
                    ps.add((Param<?>) f.get(stage));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        ps.sort(Comparator.comparing(Param::name));
        return ps.toArray(new Param<?>[0]);
    }
}
