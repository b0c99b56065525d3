package org.varec.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short content hash of a rating set (SHA-256 over the sizes and the COO arrays, first 16 bytes
 * as hex). Two models trained on the same ratings in the same dense indexing carry the same
 * fingerprint.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(Interactions r) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocate(12 * 4096);
        buf.putInt(r.numUsers()).putInt(r.numItems()).putInt(r.size());
        int[] u = r.users();
        int[] it = r.items();
        float[] v = r.values();
        for (int k = 0; k < r.size(); k++) {
            if (buf.remaining() < 12) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putInt(u[k]).putInt(it[k]).putFloat(v[k]);
        }
        md.update(buf.array(), 0, buf.position());
        byte[] h = md.digest();
        return HexFormat.of().formatHex(h, 0, 16);
    }
}
