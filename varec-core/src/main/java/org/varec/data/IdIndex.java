package org.varec.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps external ids (as written in data files) to dense ints {@code 0..size-1}, in order of first
 * appearance, and back.
 *
 * <p>Readers see tens of millions of id tokens, almost all canonical non-negative integers
 * (MovieLens). Those go through an open-addressing {@code long -> int} table without creating a
 * String per token; any other token ("u17", "007") goes through a String map. A token is
 * "canonical numeric" when it is all digits, has no leading zero (except "0" itself) and fits in
 * 18 digits, so "7" and "007" are different ids, exactly as they are different strings.
 */
public final class IdIndex {
    /**
     * Longest id, in bytes of Java's modified UTF-8 (how model files store ids): longer ids are
     * refused when they are added, that is when the data is read, not when a model is saved.
     */
    public static final int MAX_ID_BYTES = 65_535;

    private static final long EMPTY = -1L;

    private long[] keys;     // open addressing, EMPTY marks a free slot
    private int[] slots;     // dense index per key slot
    private int numericCount;
    private final Map<String, Integer> textual = new HashMap<>();
    private final List<String> external = new ArrayList<>();

    public IdIndex() {
        keys = new long[64];
        Arrays.fill(keys, EMPTY);
        slots = new int[64];
    }

    /** Builds an index holding {@code ids} in order (they must be distinct). */
    public static IdIndex of(List<String> ids) {
        IdIndex index = new IdIndex();
        for (String id : ids) {
            int before = index.size();
            if (index.add(id) != before) {
                throw new IllegalArgumentException("duplicate id in index: " + id);
            }
        }
        return index;
    }

    /** Number of distinct ids. */
    public int size() {
        return external.size();
    }

    /** The external id of dense index {@code i}. */
    public String externalId(int i) {
        return external.get(i);
    }

    /** Dense index of {@code id}, or -1 when unknown. */
    public int indexOf(String id) {
        long numeric = canonicalNumeric(id, 0, id.length());
        if (numeric >= 0) {
            return indexOfNumeric(numeric);
        }
        Integer v = textual.get(id);
        return v == null ? -1 : v;
    }

    /** Dense index of the canonical numeric id {@code id}, or -1 when unknown. */
    public int indexOfNumeric(long id) {
        int mask = keys.length - 1;
        int h = mix(id) & mask;
        while (true) {
            long k = keys[h];
            if (k == EMPTY) {
                return -1;
            }
            if (k == id) {
                return slots[h];
            }
            h = (h + 1) & mask;
        }
    }

    /** Returns the dense index of {@code id}, adding it when new. */
    public int add(String id) {
        long numeric = canonicalNumeric(id, 0, id.length());
        if (numeric >= 0) {
            return addNumeric(numeric);
        }
        Integer v = textual.get(id);
        if (v != null) {
            return v;
        }
        if (id.length() > MAX_ID_BYTES / 3) {
            int bytes = storedBytes(id);
            if (bytes > MAX_ID_BYTES) {
                throw new IllegalArgumentException("id '" + id.substring(0, 20) + "...' is too long: " + bytes
                        + " bytes in a model file, at most " + MAX_ID_BYTES);
            }
        }
        int idx = external.size();
        textual.put(id, idx);
        external.add(id);
        return idx;
    }

    /** Bytes of {@code s} in modified UTF-8 (NUL and UTF-16 surrogates take more than in UTF-8). */
    static int storedBytes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
        }
        return n;
    }

    /** Returns the dense index of the token {@code bytes[from, to)} (ASCII/UTF-8), adding it when new. */
    public int add(byte[] bytes, int from, int to) {
        long numeric = canonicalNumeric(bytes, from, to);
        if (numeric >= 0) {
            return addNumeric(numeric);
        }
        return add(new String(bytes, from, to - from, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Returns the dense index of a canonical numeric id (non-negative), adding it when new. */
    public int addNumeric(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("numeric ids are non-negative: " + id);
        }
        int mask = keys.length - 1;
        int h = mix(id) & mask;
        while (true) {
            long k = keys[h];
            if (k == EMPTY) {
                break;
            }
            if (k == id) {
                return slots[h];
            }
            h = (h + 1) & mask;
        }
        int idx = external.size();
        keys[h] = id;
        slots[h] = idx;
        external.add(Long.toString(id));
        if (++numericCount * 2 > keys.length) {
            grow();
        }
        return idx;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        slots = new int[keys.length];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            long k = oldKeys[i];
            if (k == EMPTY) {
                continue;
            }
            int h = mix(k) & mask;
            while (keys[h] != EMPTY) {
                h = (h + 1) & mask;
            }
            keys[h] = k;
            slots[h] = oldSlots[i];
        }
    }

    /** All external ids in dense order (a copy). */
    public List<String> ids() {
        return List.copyOf(external);
    }

    private static int mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return (int) x;
    }

    /** The value of a canonical numeric token, or -1 when the token is not canonical numeric. */
    static long canonicalNumeric(CharSequence s, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 18 || (n > 1 && s.charAt(from) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static long canonicalNumeric(byte[] s, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > 18 || (n > 1 && s[from] == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = s[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
