package org.varec.data.synth;

import org.varec.stats.Rng;

/**
 * The random source of the generator: an {@link Rng} on the SplitMix64 sequence
 * ({@link Rng#splitMix64(long)}: the numbers {@code java.util.SplittableRandom} gives, on which
 * the generator's seeds were defined), so its doubles and Gaussians are the library's own. Defined
 * here is only what a seed's data depends on and {@code Rng} does differently: bounded draws by one
 * multiply-high without rejection (each takes exactly one 64-bit step), the open-interval double
 * behind exponentials, and the keyed streams. All of it uses integer arithmetic and
 * {@link StrictMath}, so a seed gives the same numbers on every JVM and platform.
 *
 * <p>Streams are keyed by {@code (seed, tag, index)}, e.g. one per user, so what a user gets never
 * depends on how work is split over threads.
 */
final class SynthRandom {
    static final long TAG_USER_PERMUTATION = 0x5553455250455231L;
    static final long TAG_ITEM_PERMUTATION = 0x4954454d50455231L;
    static final long TAG_USER_PARAMS = 0x5553455250415231L;
    static final long TAG_ITEM_PARAMS = 0x4954454d50415231L;
    static final long TAG_USER_ROWS = 0x55534552524f5731L;
    static final long TAG_USER_TIMES = 0x5553455254494d31L;

    private final Rng random;

    SynthRandom(long seed) {
        this.random = Rng.splitMix64(seed);
    }

    /** The stream for entity {@code index} of kind {@code tag} under {@code seed}. */
    static SynthRandom stream(long seed, long tag, long index) {
        return new SynthRandom(mix(mix(seed ^ tag) + 0x9e3779b97f4a7c15L * (index + 1)));
    }

    /** A bijective 64-bit mixer (the MurmurHash3 finalizer). */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    long nextLong() {
        return random.nextLong();
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in (0, 1]. */
    double nextOpenDouble() {
        return ((random.nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /** Uniform in [0, n) for n >= 1 (Lemire's multiply-high; bias below n / 2^64). */
    int nextInt(int n) {
        return (int) Math.unsignedMultiplyHigh(random.nextLong(), n);
    }

    /** Uniform in [0, n) for n >= 1. */
    long nextLong(long n) {
        return Math.unsignedMultiplyHigh(random.nextLong(), n);
    }

    /** Standard exponential. */
    double nextExponential() {
        return -StrictMath.log(nextOpenDouble());
    }

    /** Standard normal ({@link Rng#nextGaussian()}, Marsaglia's polar method). */
    double nextGaussian() {
        return random.nextGaussian();
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates with {@link #nextInt(int)}). */
    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
