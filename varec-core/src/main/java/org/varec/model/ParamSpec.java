package org.varec.model;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parameters of a config record, read once from its {@link Param} annotations: parses
 * user values into a validated record, lists defaults and docs, and turns a record back into the
 * name-to-value map stored in provenance and results (parsing that map gives an equal record).
 * Every component of the record must be annotated.
 *
 * @param <C> the config record type
 */
public final class ParamSpec<C extends Record> {
    private static final Map<Class<?>, ParamSpec<?>> CACHE = new ConcurrentHashMap<>();

    /** One declared parameter. */
    public record Declared(String name, Class<?> type, String defaultValue, String doc, Double min, Double max,
                           boolean minExclusive, List<String> choices, List<String> aliases, List<String> legacy,
                           String absent, RecordComponent component) {
        /** The range or choices as text for {@code varec algos} (empty when unconstrained). */
        public String constraint() {
            if (!choices.isEmpty()) {
                return String.join("|", choices);
            }
            if (type == boolean.class) {
                return "true|false";
            }
            if (min == null && max == null) {
                return "";
            }
            return (min == null ? "(-inf" : (minExclusive ? "(" : "[") + fmt(min)) + ", "
                    + (max == null ? "inf)" : fmt(max) + "]");
        }

        public ParamDoc toDoc() {
            return new ParamDoc(name, defaultValue, doc, constraint(), aliases);
        }
    }

    private final Class<C> type;
    private final List<Declared> params;
    private final Constructor<C> constructor;

    private ParamSpec(Class<C> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        RecordComponent[] comps = type.getRecordComponents();
        List<Declared> ps = new ArrayList<>();
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent rc = comps[i];
            types[i] = rc.getType();
            Param p = rc.getAnnotation(Param.class);
            if (p == null) {
                throw new IllegalStateException(type.getSimpleName() + "." + rc.getName() + " has no @Param");
            }
            String name = p.name().isEmpty() ? snake(rc.getName()) : p.name();
            List<String> choices = List.of(p.choices());
            if (rc.getType().isEnum() && choices.isEmpty()) {
                List<String> c = new ArrayList<>();
                for (Object o : rc.getType().getEnumConstants()) {
                    c.add(((Enum<?>) o).name().toLowerCase(Locale.ROOT));
                }
                choices = List.copyOf(c);
            }
            ps.add(new Declared(name, rc.getType(), p.value(), p.doc(), p.min().isEmpty() ? null : Double.valueOf(p.min()),
                    p.max().isEmpty() ? null : Double.valueOf(p.max()), p.minExclusive(), choices,
                    List.of(p.aliases()), List.of(p.legacy()), p.absent(), rc));
        }
        this.params = List.copyOf(ps);
        try {
            this.constructor = type.getDeclaredConstructor(types);
            this.constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        parse(Params.empty(), false); // the declared defaults must themselves be valid
        parse(Params.empty(), true); // and so must the values of parameters absent from older files
    }

    /** The spec of {@code type} (read once and cached). */
    @SuppressWarnings("unchecked")
    public static <C extends Record> ParamSpec<C> of(Class<C> type) {
        return (ParamSpec<C>) CACHE.computeIfAbsent(type, t -> new ParamSpec<>(type));
    }

    public Class<C> type() {
        return type;
    }

    public List<Declared> params() {
        return params;
    }

    public List<ParamDoc> docs() {
        return params.stream().map(Declared::toDoc).toList();
    }

    /** The config with every parameter at its default. */
    public C defaults() {
        return parse(Params.empty(), false);
    }

    /**
     * A validated config from user values: each parameter by its name or a documented alias
     * (and, with {@code legacy}, by an old name, as model files written before a rename use),
     * else its default (with {@code legacy}: its {@link Param#absent()} value when declared, for
     * files written before the parameter existed). Unknown names are an error listing the known ones.
     */
    public C parse(Params values, boolean legacy) {
        Object[] args = new Object[params.size()];
        Set<String> used = new TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            Declared d = params.get(i);
            String given = null;
            String givenAs = null;
            List<String> names = new ArrayList<>();
            names.add(d.name());
            names.addAll(d.aliases());
            if (legacy) {
                names.addAll(d.legacy());
            }
            for (String n : names) {
                if (values.has(n)) {
                    if (given != null) {
                        throw new IllegalArgumentException("parameter " + d.name() + " given twice (as " + givenAs
                                + " and " + n + ")");
                    }
                    given = values.getString(n, null);
                    givenAs = n;
                    used.add(n);
                }
            }
            // a stored config without the parameter predates it: the value then in effect, when declared
            String fallback = legacy && !d.absent().isEmpty() ? d.absent() : d.defaultValue();
            args[i] = convert(d, given == null ? fallback : given);
        }
        List<String> unknown = new ArrayList<>();
        for (String k : values.keys()) {
            if (!used.contains(k)) {
                unknown.add(k + renamedTo(k));
            }
        }
        if (!unknown.isEmpty()) {
            Set<String> known = new TreeSet<>();
            for (Declared d : params) {
                known.add(d.name());
                known.addAll(d.aliases());
            }
            throw new IllegalArgumentException("unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; known: " + (known.isEmpty() ? "(none)" : String.join(", ", known)));
        }
        return construct(args);
    }

    /** {@code " (now NAME)"} when {@code old} is the old name of a renamed parameter, else empty. */
    private String renamedTo(String old) {
        for (Declared d : params) {
            if (d.legacy().contains(old)) {
                return " (now " + d.name() + ")";
            }
        }
        return "";
    }

    /** Checks every value of {@code config} against its declaration (for configs built in code). */
    public C validate(C config) {
        for (Declared d : params) {
            check(d, read(config, d));
        }
        return config;
    }

    /** Name to value in declaration order (enums in lower case); {@link #parse} of it gives an equal config. */
    public Map<String, Object> toMap(C config) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Declared d : params) {
            Object v = read(config, d);
            m.put(d.name(), v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : v);
        }
        return m;
    }

    /** A copy of {@code config} with parameter {@code name} set from text (validated). */
    public C with(C config, String name, String value) {
        Map<String, Object> m = toMap(config);
        if (!m.containsKey(name)) {
            throw new IllegalArgumentException("no parameter " + name + " in " + type.getSimpleName());
        }
        m.put(name, value);
        return parse(Params.of(m), false);
    }

    private static Object read(Record config, Declared d) {
        try {
            return d.component().getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private C construct(Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(Declared d, String text) {
        String s = text.trim();
        Class<?> t = d.type();
        Object v;
        try {
            if (t == int.class) {
                v = Integer.parseInt(s);
            } else if (t == long.class) {
                v = Long.parseLong(s);
            } else if (t == double.class) {
                v = Double.parseDouble(s);
            } else if (t == boolean.class) {
                v = switch (s.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "on" -> true;
                    case "false", "no", "0", "off" -> false;
                    default -> throw new IllegalArgumentException("parameter " + d.name() + " must be true or false, got '"
                            + text + "'");
                };
            } else if (t.isEnum()) {
                v = enumValue(d, s);
            } else if (t == String.class) {
                v = s;
            } else {
                throw new IllegalStateException("unsupported parameter type " + t);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + d.name() + " must be "
                    + (t == double.class ? "a number" : "an integer") + ", got '" + text + "'");
        }
        check(d, v);
        return v;
    }

    private static Object enumValue(Declared d, String s) {
        for (Object o : d.type().getEnumConstants()) {
            if (((Enum<?>) o).name().equalsIgnoreCase(s)) {
                return o;
            }
        }
        throw new IllegalArgumentException("parameter " + d.name() + " must be " + choiceText(d.choices()) + ", got '" + s + "'");
    }

    private static void check(Declared d, Object v) {
        if (v instanceof Number n) {
            double x = n.doubleValue();
            boolean ok = !Double.isNaN(x) && (d.min() == null || (d.minExclusive() ? x > d.min() : x >= d.min()))
                    && (d.max() == null || x <= d.max());
            if (!ok) {
                throw new IllegalArgumentException("parameter " + d.name() + " must be in " + d.constraint() + ", got "
                        + (v instanceof Double dv ? fmt(dv) : v));
            }
        } else if (v instanceof String str && !d.choices().isEmpty() && !d.choices().contains(str)) {
            throw new IllegalArgumentException("parameter " + d.name() + " must be " + choiceText(d.choices())
                    + ", got '" + str + "'");
        } else if (v instanceof Enum<?> e && !d.choices().contains(e.name().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("parameter " + d.name() + " must be " + choiceText(d.choices())
                    + ", got '" + e.name().toLowerCase(Locale.ROOT) + "'");
        }
    }

    private static String choiceText(List<String> c) {
        if (c.size() == 1) {
            return c.get(0);
        }
        return String.join(", ", c.subList(0, c.size() - 1)) + " or " + c.get(c.size() - 1);
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** A bound or value as a person writes it: 10, 0.5, 1e12, 1e-6. */
    static String fmt(double v) {
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e6) {
            return String.valueOf((long) v);
        }
        if (v == Math.rint(v) && a < 1e18) { // 1e6, 1e12, but 2147483647 as it is
            return new java.math.BigDecimal((long) v).stripTrailingZeros().toString().replace("E+", "e");
        }
        if (a >= 1e6 || (a > 0 && a < 1e-3)) {
            return String.valueOf(v).replace(".0E", "e").replace("E", "e");
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return type.getSimpleName() + Arrays.toString(params.stream().map(Declared::name).toArray());
    }
}
