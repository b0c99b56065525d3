package org.varec.io;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

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
        if (out instanceof Checked) {
            checkFinite(a);
            if (checksOnly(out)) {
                return; // the bytes would go nowhere: a fit's final check runs this once, often interpreted
            }
        }
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

    /**
     * Reads a float array that must hold a {@code rows x cols} matrix; a corrupt length is an
     * {@link IOException} naming {@code what} (e.g. "item factors has 12 floats, expected 4 x 2").
     */
    public static float[] readFloats(DataInput in, String what, int rows, int cols) throws IOException {
        float[] a = readFloats(in);
        if (a.length != (long) rows * cols) {
            throw new IOException(what + " has " + a.length + " floats, expected " + rows + " x " + cols);
        }
        return a;
    }

    public static float[] readFloats(DataInput in) throws IOException {
        int n = readLength(in);
        if (in instanceof Checked c) {
            c.need(4L * n);
        }
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
        if (in instanceof CheckedInput c && c.parameters) {
            checkFinite(a);
        }
        return a;
    }

    /**
     * Whether {@code out} only checks the parameters written to it ({@link #firstNonFinite}): no byte
     * is kept, so a writer may hand over its float arrays in whatever layout it holds them, as long
     * as every parameter is in one of them (fm-mcmc's sample-interleaved table in one scan instead of
     * one strided gather per sample, the file's order).
     */
    public static boolean checksOnly(DataOutput out) {
        return out instanceof CheckedOutput c && c.checkOnly;
    }

    public static void writeDoubles(DataOutput out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    public static double[] readDoubles(DataInput in) throws IOException {
        int n = readLength(in);
        if (in instanceof Checked c) {
            c.need(8L * n);
        }
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
        if (in instanceof Checked c) {
            c.need(4L * n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /**
     * A double that may be NaN meaning "not applicable" (bnnmf's noise variance under a Bernoulli
     * likelihood). The only non-finite value a checked stream lets through; same bytes as
     * {@link DataOutput#writeDouble}, so files written before the checks read alike.
     */
    public static void writeOptionalDouble(DataOutput out, double v) throws IOException {
        if (out instanceof CheckedOutput c) {
            if (Double.isInfinite(v)) {
                checkFinite(v);
            }
            c.out.writeDouble(v);
        } else {
            out.writeDouble(v);
        }
    }

    /** Reads what {@link #writeOptionalDouble} wrote: finite or NaN. */
    public static double readOptionalDouble(DataInput in) throws IOException {
        if (in instanceof CheckedInput c) {
            c.take(8);
            double v = c.in.readDouble();
            if (Double.isInfinite(v)) {
                checkFinite(v);
            }
            return v;
        }
        return in.readDouble();
    }

    /** Reads an array length and refuses negative or absurd values. */
    public static int readLength(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ELEMENTS) {
            throw new IOException("corrupt array length " + n);
        }
        return n;
    }

    /**
     * Whether every float and double of a model's parameters is finite. Parameters are written
     * through {@link ParameterWriter}; scalars and arrays are both seen, and the first NaN or
     * infinity stops the pass.
     *
     * @return null when all are finite, else a description such as {@code "parameter 17 of 1,200 is NaN"}
     */
    public static String firstNonFinite(ParameterWriter model) {
        try (CheckedOutput out = new CheckedOutput(OutputStream.nullOutputStream(), true)) {
            model.writeParameters(out);
            return null;
        } catch (NonFiniteException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What writes parameters (a {@code RatingModel}), without this package depending on models. */
    @FunctionalInterface
    public interface ParameterWriter {
        void writeParameters(DataOutput out) throws IOException;
    }

    /** A non-finite parameter met while writing or reading through a checked stream. */
    public static final class NonFiniteException extends IOException {
        NonFiniteException(String message) {
            super(message);
        }
    }

    /** Marks the checked streams: their arrays are checked for finite values and for lengths the bytes can hold. */
    interface Checked {
        /** Refuses an array of {@code bytes} more than what is left (a crafted length allocating gigabytes). */
        default void need(long bytes) throws IOException {
        }
    }

    /** Output that refuses non-finite floats and doubles (scalars here, arrays in {@link #writeFloats}). */
    public static final class CheckedOutput extends OutputStream implements DataOutput, Checked {
        private final DataOutputStream out;
        /** Only checks: float arrays are checked but not encoded ({@link #firstNonFinite}). */
        private final boolean checkOnly;

        public CheckedOutput(OutputStream sink) {
            this(sink, false);
        }

        private CheckedOutput(OutputStream sink, boolean checkOnly) {
            this.out = new DataOutputStream(sink);
            this.checkOnly = checkOnly;
        }

        @Override public void write(int b) throws IOException { out.write(b); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void flush() throws IOException { out.flush(); }
        @Override public void writeBoolean(boolean v) throws IOException { out.writeBoolean(v); }
        @Override public void writeByte(int v) throws IOException { out.writeByte(v); }
        @Override public void writeShort(int v) throws IOException { out.writeShort(v); }
        @Override public void writeChar(int v) throws IOException { out.writeChar(v); }
        @Override public void writeInt(int v) throws IOException { out.writeInt(v); }
        @Override public void writeLong(long v) throws IOException { out.writeLong(v); }
        @Override public void writeBytes(String s) throws IOException { out.writeBytes(s); }
        @Override public void writeChars(String s) throws IOException { out.writeChars(s); }
        @Override public void writeUTF(String s) throws IOException { out.writeUTF(s); }

        @Override
        public void writeFloat(float v) throws IOException {
            checkFinite(v);
            out.writeFloat(v);
        }

        @Override
        public void writeDouble(double v) throws IOException {
            checkFinite(v);
            out.writeDouble(v);
        }
    }

    /**
     * Input that refuses non-finite floats and doubles and array lengths longer than the bytes left
     * (so a crafted file with a valid checksum cannot make the reader allocate until out of memory).
     */
    public static final class CheckedInput extends InputStream implements DataInput, Checked {
        private final DataInputStream in;
        private long left;
        private boolean parameters;

        /** From here on floats and doubles are parameters and must be finite (a header may hold infinite bounds). */
        public void startParameters() {
            parameters = true;
        }

        /** @param length the number of bytes {@code source} holds for the parameters (at most) */
        public CheckedInput(InputStream source, long length) {
            this.in = new DataInputStream(source);
            this.left = length;
        }

        @Override
        public void need(long bytes) throws IOException {
            if (bytes > left) {
                throw new IOException(String.format(Locale.ROOT,
                        "corrupt array length: %,d bytes needed, %,d left in the file", bytes, left));
            }
        }

        private void take(long n) throws IOException {
            if (n > left) {
                throw new java.io.EOFException();
            }
            left -= n;
        }

        @Override public int read() throws IOException { int b = in.read(); if (b >= 0) { left--; } return b; }
        @Override public void readFully(byte[] b) throws IOException { take(b.length); in.readFully(b); }
        @Override public void readFully(byte[] b, int off, int len) throws IOException { take(len); in.readFully(b, off, len); }
        @Override public int skipBytes(int n) throws IOException { int k = in.skipBytes(n); left -= k; return k; }
        @Override public boolean readBoolean() throws IOException { take(1); return in.readBoolean(); }
        @Override public byte readByte() throws IOException { take(1); return in.readByte(); }
        @Override public int readUnsignedByte() throws IOException { take(1); return in.readUnsignedByte(); }
        @Override public short readShort() throws IOException { take(2); return in.readShort(); }
        @Override public int readUnsignedShort() throws IOException { take(2); return in.readUnsignedShort(); }
        @Override public char readChar() throws IOException { take(2); return in.readChar(); }
        @Override public int readInt() throws IOException { take(4); return in.readInt(); }
        @Override public long readLong() throws IOException { take(8); return in.readLong(); }

        @Override
        public float readFloat() throws IOException {
            take(4);
            float v = in.readFloat();
            if (parameters) {
                checkFinite(v);
            }
            return v;
        }

        @Override
        public double readDouble() throws IOException {
            take(8);
            double v = in.readDouble();
            if (parameters) {
                checkFinite(v);
            }
            return v;
        }

        @Override
        @Deprecated
        public String readLine() throws IOException {
            throw new UnsupportedOperationException("readLine");
        }

        @Override
        public String readUTF() throws IOException {
            return DataInputStream.readUTF(this);
        }
    }

    private static void checkFinite(double v) throws NonFiniteException {
        if (!Double.isFinite(v)) {
            throw new NonFiniteException("a parameter is " + v);
        }
    }

    private static void checkFinite(float[] a) throws NonFiniteException {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new NonFiniteException(String.format(Locale.ROOT, "parameter %,d of an array of %,d is %s", i,
                        a.length, a[i]));
            }
        }
    }
}
