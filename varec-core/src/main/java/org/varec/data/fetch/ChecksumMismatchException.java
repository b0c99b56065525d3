package org.varec.data.fetch;

/** The downloaded file's digest is not the expected one. */
public class ChecksumMismatchException extends FetchException {
    private final Checksum expected;
    private final String actualHex;

    public ChecksumMismatchException(String message, Checksum expected, String actualHex) {
        super(message);
        this.expected = expected;
        this.actualHex = actualHex;
    }

    public Checksum expected() {
        return expected;
    }

    /** The digest of what was downloaded, in {@link #expected()}'s algorithm, as lower-case hex. */
    public String actualHex() {
        return actualHex;
    }
}
