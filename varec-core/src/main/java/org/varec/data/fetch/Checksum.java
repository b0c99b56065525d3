package org.varec.data.fetch;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * An expected digest of a file: the algorithm as {@link MessageDigest} names it and the value as
 * lower-case hex.
 */
public record Checksum(String algorithm, String hex) {
    public static final String SHA_256 = "SHA-256";
    public static final String MD5 = "MD5";

    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        hex = hex.toLowerCase(Locale.ROOT);
        int len = switch (algorithm) {
            case SHA_256 -> 64;
            case MD5 -> 32;
            default -> throw new IllegalArgumentException("checksum algorithm must be SHA-256 or MD5, got " + algorithm);
        };
        if (hex.length() != len || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException(algorithm + " checksum must be " + len + " hex digits, got '" + hex + "'");
        }
    }

    public static Checksum sha256(String hex) {
        return new Checksum(SHA_256, hex);
    }

    public static Checksum md5(String hex) {
        return new Checksum(MD5, hex);
    }

    /** A fresh digest for {@link #algorithm()}. */
    public MessageDigest newDigest() {
        return digest(algorithm);
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    /** {@code sha256:abc...} or {@code md5:abc...}. */
    @Override
    public String toString() {
        return (algorithm.equals(SHA_256) ? "sha256" : "md5") + ":" + hex;
    }
}
