package org.varec.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hyper-parameters as given by a user ({@code --set key=value}), read with typed getters that
 * fall back to documented defaults. Every key must be consumed: {@link #requireAllUsed} turns a
 * typo into an error that lists the known names.
 */
public final class Params {
    private final Map<String, String> values;
    private final Set<String> used = new HashSet<>();

    private Params(Map<String, String> values) {
        this.values = values;
    }

    public static Params empty() {
        return new Params(new LinkedHashMap<>());
    }

    public static Params of(Map<String, ?> map) {
        Map<String, String> m = new LinkedHashMap<>();
        map.forEach((k, v) -> m.put(k, String.valueOf(v)));
        return new Params(m);
    }

    /** Parses {@code key=value} items (as given to {@code --set}); a later key overrides an earlier one. */
    public static Params parse(Collection<String> items) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("parameter must look like key=value, got '" + item + "'");
            }
            m.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return new Params(m);
    }

    /** The names given, in order. */
    public java.util.Set<String> keys() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String getString(String key, String def) {
        used.add(key);
        String v = values.get(key);
        return v == null ? def : v;
    }

    public int getInt(String key, int def) {
        String v = getString(key, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + key + " must be an integer, got '" + v + "'");
        }
    }

    public long getLong(String key, long def) {
        String v = getString(key, null);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + key + " must be an integer, got '" + v + "'");
        }
    }

    public double getDouble(String key, double def) {
        String v = getString(key, null);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + key + " must be a number, got '" + v + "'");
        }
    }

    public boolean getBoolean(String key, boolean def) {
        String v = getString(key, null);
        if (v == null) {
            return def;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("parameter " + key + " must be true or false, got '" + v + "'");
        };
    }

    /** Fails when a key was given that no getter asked for. */
    public void requireAllUsed(String algorithm, List<ParamDoc> known) {
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            Set<String> names = new TreeSet<>();
            known.forEach(p -> names.add(p.name()));
            throw new IllegalArgumentException("unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " for algorithm " + algorithm + "; known: "
                    + (names.isEmpty() ? "(none)" : String.join(", ", names)));
        }
    }

    /** Validation helper: requires {@code lo <= v <= hi}. */
    public static double checkRange(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException("parameter " + name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
        return v;
    }

    /** Validation helper: requires {@code lo <= v <= hi}. */
    public static int checkRange(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException("parameter " + name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
        return v;
    }
}
