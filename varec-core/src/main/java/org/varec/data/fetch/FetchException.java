package org.varec.data.fetch;

import java.io.IOException;

/**
 * A dataset could not be fetched: network failure, HTTP error, bad or unverifiable checksum,
 * unsafe or incomplete ZIP. The message is one sentence a user can act on (what failed and what to
 * do about it), meant to be shown as is.
 */
public class FetchException extends IOException {
    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
