package org.varec.stats;

/**
 * The library's seeded random numbers: xoshiro256** (Blackman and Vigna, 2018) with its 256-bit
 * state filled by SplitMix64 (Steele, Lea and Flood, 2014). Every method here is defined by this
 * file alone, with integer arithmetic and {@link StrictMath}, so the same seed gives the same
 * numbers on every machine, JVM vendor and version. (Nothing is delegated to
 * {@code java.util.Random}, {@code Math.random} or the {@code RandomGenerator} default methods,
 * whose algorithms may differ between releases, nor to {@code Math.log}, which may differ by an
 * ulp between platforms.)
 *
 * <p>Independent streams: {@link #stream(long, long)} gives one generator per (seed, stream id),
 * e.g. per parallel block, per thread or per repeat of a protocol. Its state is derived by hashing
 * seed and stream id through the SplitMix64 finalizer, in a different domain from
 * {@link #Rng(long)}, so {@code new Rng(s)} and {@code stream(s, 0)} are unrelated sequences.
 *
 * <p>{@link #splitMix64(long)} gives the same distributions on the plain SplitMix64 sequence
 * instead, for streams that were defined on it before this class existed (the synthetic rating
 * generator's): their seeds keep giving the same numbers, and the library has one Gaussian.
 *
 * <p>An {@code Rng} is a small mutable object and is not thread-safe: give each thread or block its
 * own stream.
 */
public final class Rng {
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    /** Separates the stream-derivation domain from plain seeding. */
    private static final long STREAM_DOMAIN = 0x5851f42d4c957f2dL;

    /** xoshiro256** state, or in SplitMix64 mode the counter in {@code s0} alone. */
    private long s0;
    private long s1;
    private long s2;
    private long s3;
    /** Whether the bits come from SplitMix64 ({@link #splitMix64(long)}) rather than xoshiro256**. */
    private final boolean splitMix64;
    private boolean hasSpareGaussian;
    private double spareGaussian;

    /** A generator whose state is the first four SplitMix64 outputs from {@code seed}. */
    public Rng(long seed) {
        this.splitMix64 = false;
        long x = seed;
        x += GOLDEN;
        s0 = mix64(x);
        x += GOLDEN;
        s1 = mix64(x);
        x += GOLDEN;
        s2 = mix64(x);
        x += GOLDEN;
        s3 = mix64(x);
        // SplitMix64 output is a bijection of its counter, so four consecutive outputs are never
        // all zero; no check needed for the forbidden all-zero xoshiro state.
    }

    private Rng(long counter, boolean splitMix64) {
        this.splitMix64 = splitMix64;
        this.s0 = counter;
    }

    /**
     * A generator whose bits are the SplitMix64 sequence from {@code seed} (Steele, Lea and Flood,
     * 2014: output k is {@code mix64(seed + k * 0x9e3779b97f4a7c15)}, k = 1, 2, ...), the numbers
     * {@code new java.util.SplittableRandom(seed).nextLong()} gives, defined here so they cannot
     * change with the JDK. Every other method (doubles, Gaussians, bounded ints, shuffles) is the
     * same as for xoshiro256** generators. SplitMix64 passes BigCrush but has only 64 bits of
     * state: new code should use {@link #Rng(long)} or {@link #stream(long, long)}; this exists
     * for streams that were defined on SplitMix64 and must keep their numbers.
     */
    public static Rng splitMix64(long seed) {
        return new Rng(seed, true);
    }

    /** A generator with the given raw xoshiro256** state (not all zero); for tests against reference vectors. */
    static Rng ofState(long s0, long s1, long s2, long s3) {
        if ((s0 | s1 | s2 | s3) == 0) {
            throw new IllegalArgumentException("xoshiro256** state must not be all zero");
        }
        Rng r = new Rng(0);
        r.s0 = s0;
        r.s1 = s1;
        r.s2 = s2;
        r.s3 = s3;
        return r;
    }

    /**
     * Stream {@code streamId} of {@code seed}: an independent generator for one block, thread or
     * repeat. Distinct (seed, stream id) pairs give unrelated sequences; the same pair always
     * gives the same sequence.
     */
    public static Rng stream(long seed, long streamId) {
        return new Rng(deriveSeed(seed, streamId));
    }

    /**
     * A 64-bit seed derived from {@code (seed, id)}, for handing to code that takes a plain seed;
     * {@code stream(seed, id)} is {@code new Rng(deriveSeed(seed, id))}. Both inputs pass through
     * the SplitMix64 finalizer, so nearby seeds and ids give unrelated results.
     */
    public static long deriveSeed(long seed, long id) {
        // for a fixed seed this is a bijection of id (mix64 is one, and GOLDEN is odd), so two
        // streams of one seed never start from the same state
        return mix64(mix64(seed ^ STREAM_DOMAIN) + GOLDEN * (id + 1));
    }

    /** The SplitMix64 finalizer (variant 13 of Stafford's mixers): a bijection on 64-bit values. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The next 64 uniformly random bits (one xoshiro256** step, or one SplitMix64 step). */
    public long nextLong() {
        if (splitMix64) {
            // a final field, so the branch is always predicted; the xoshiro path is unchanged
            s0 += GOLDEN;
            return mix64(s0);
        }
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** The next 32 uniformly random bits (the high half of {@link #nextLong()}). */
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /**
     * A uniform int in {@code [0, bound)}, exactly unbiased (Lemire's multiply-and-reject method on
     * the high 32 bits of each draw).
     *
     * @throws IllegalArgumentException when {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            // reject the first (2^32 mod bound) low values so every result has equal probability
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniform int in {@code [from, to)}. */
    public int nextInt(int from, int to) {
        if (from >= to) {
            throw new IllegalArgumentException("empty range [" + from + ", " + to + ")");
        }
        long span = (long) to - from;
        if (span <= Integer.MAX_VALUE) {
            return from + nextInt((int) span);
        }
        int r;
        do {
            r = nextInt();
        } while (r < from || r >= to);
        return r;
    }

    /** A uniform double in {@code [0, 1)} on the grid of multiples of 2^-53. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A uniform float in {@code [0, 1)} on the grid of multiples of 2^-24. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** A fair coin. */
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /**
     * A standard normal variate by Marsaglia's polar method (pairs are generated together; the
     * second is returned by the next call). Uses {@link StrictMath#log} so the values are
     * bit-identical everywhere.
     */
    public double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * f;
        hasSpareGaussian = true;
        return u * f;
    }

    /** A normal variate with the given mean and standard deviation. */
    public double nextGaussian(double mean, double sd) {
        return mean + sd * nextGaussian();
    }

    /** Shuffles {@code a} in place: every permutation equally likely (Fisher-Yates, from the end). */
    public void shuffle(int[] a) {
        shuffle(a, 0, a.length);
    }

    /** Shuffles {@code a[from, to)} in place (Fisher-Yates, from the end). */
    public void shuffle(int[] a, int from, int to) {
        if (from < 0 || to > a.length || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of an array of length " + a.length);
        }
        for (int i = to - 1; i > from; i--) {
            int j = from + nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A uniformly random permutation of {@code 0..n-1}. */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }
}
