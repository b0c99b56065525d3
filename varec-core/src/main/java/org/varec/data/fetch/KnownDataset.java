package org.varec.data.fetch;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A dataset varec knows how to download: a ZIP on the GroupLens server that unpacks to one
 * directory.
 *
 * @param name        the name users type, e.g. {@code ml-25m}
 * @param zipName     file name of the ZIP on the server, e.g. {@code ml-25m.zip}
 * @param directory   the directory the ZIP unpacks to, e.g. {@code ml-10M100K} for ml-10m
 * @param checksum    the published checksum of the ZIP, or null when none is known
 * @param approxBytes approximate size of the ZIP in bytes (for messages; progress uses the
 *                    server's Content-Length)
 * @param keyFiles    files (relative to {@code directory}) whose presence means the dataset is
 *                    there
 * @param rolling     true when GroupLens replaces the ZIP from time to time (ml-latest*), so the
 *                    recorded checksum may become outdated
 * @param description one line for listings
 */
public record KnownDataset(String name, String zipName, String directory, Checksum checksum, long approxBytes,
                           List<String> keyFiles, boolean rolling, String description) {
    public KnownDataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zipName, "zipName");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(description, "description");
        keyFiles = List.copyOf(keyFiles);
        if (keyFiles.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one key file");
        }
        if (directory.isEmpty() || directory.contains("/") || directory.contains("\\") || directory.startsWith(".")) {
            throw new IllegalArgumentException("directory must be a plain name, got '" + directory + "'");
        }
    }

    /** Where the ZIP is under {@code baseUrl} (a directory URL). */
    public URI url(URI baseUrl) {
        String b = baseUrl.toString();
        return URI.create(b.endsWith("/") ? b + zipName : b + "/" + zipName);
    }
}
