package org.varec.io;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Primitive-array codecs for model parameters. Lengths are written first and checked on reading
 * against {@link #MAX_ELEMENTS}, so a corrupt length is refused instead of allocating gigabytes.
 */
public final class ModelIo {
    /** Upper bound on one array's length (2^31 - 9, the JVM's practical limit). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private ModelIo() {
    }

    public static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a.length);
        byte[] buf = new byte[Math.min(a.length, 8192) * 4];
        int p = 0;
        while (p < a.length) {
            int n = Math.min(a.length - p, buf.length / 4);
            for (int k = 0; k < n; k++) {
                int bits = Float.floatToRawIntBits(a[p + k]);
                buf[4 * k] = (byte) (bits >>> 24);
                buf[4 * k + 1] = (byte) (bits >>> 16);
                buf[4 * k + 2] = (byte) (bits >>> 8);
                buf[4 * k + 3] = (byte) bits;
            }
            out.write(buf, 0, 4 * n);
            p += n;
        }
    }

    public static float[] readFloats(DataInput in) throws IOException {
        int n = readLength(in);
        float[] a = new float[n];
        byte[] buf = new byte[Math.min(n, 8192) * 4];
        int p = 0;
        while (p < n) {
            int m = Math.min(n - p, buf.length / 4);
            in.readFully(buf, 0, 4 * m);
            for (int k = 0; k < m; k++) {
                int bits = ((buf[4 * k] & 0xff) << 24) | ((buf[4 * k + 1] & 0xff) << 16)
                        | ((buf[4 * k + 2] & 0xff) << 8) | (buf[4 * k + 3] & 0xff);
                a[p + k] = Float.intBitsToFloat(bits);
            }
            p += m;
        }
        return a;
    }

    public static void writeDoubles(DataOutput out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    public static double[] readDoubles(DataInput in) throws IOException {
        int n = readLength(in);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    public static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    public static int[] readInts(DataInput in) throws IOException {
        int n = readLength(in);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /** Reads an array length and refuses negative or absurd values. */
    public static int readLength(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ELEMENTS) {
            throw new IOException("corrupt array length " + n);
        }
        return n;
    }
}
