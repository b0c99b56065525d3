package org.varec.data.fetch;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The GroupLens MovieLens datasets varec can download, with the checksums their ZIPs are verified
 * against. See {@code docs/datasets.md} for the table and the licence: GroupLens does not allow
 * redistribution, so varec downloads the data on the user's request and never ships it.
 *
 * <p>Where the checksums come from (each stated in public code or data; none is published by
 * GroupLens as SHA-256, GroupLens publishes MD5 files beside the ZIPs):
 * <ul>
 * <li>ml-100k, ml-1m, ml-20m, ml-25m, ml-latest-small: SHA-256 and exact size in TensorFlow
 *     Datasets, {@code tensorflow/datasets}, file {@code tensorflow_datasets/url_checksums/movielens.txt};
 *     the same SHA-256 values also in {@code ISG-Siegen/OmniRec}
 *     ({@code src/omnirec/data_loaders/movielens_small.py}, {@code movielens_large.py}) and
 *     {@code ankane/disco-cli} ({@code src/download.rs}).</li>
 * <li>ml-10m: SHA-256 in {@code ISG-Siegen/OmniRec}, {@code src/omnirec/data_loaders/movielens_small.py};
 *     several other public documents give the same SHA-256 with a size of 65,566,137 bytes and
 *     the MD5 {@code ce571fd55effeba0271552578f2648bd}, which matches the MD5 listed for
 *     ml-10m.zip in {@code eli-osherovich/papers_with_code}, {@code datasets/movielens/dl_config.py}.</li>
 * <li>ml-latest: SHA-256 in {@code ISG-Siegen/OmniRec} ({@code src/omnirec/data_loaders/movielens_large.py})
 *     and {@code ankane/disco-cli} ({@code src/download.rs}); this ZIP is a rolling release (the
 *     recorded one is the snapshot whose README is dated 2023), so it may change.</li>
 * </ul>
 */
public final class KnownDatasets {
    private static final List<String> CSV_FILES = List.of("ratings.csv", "movies.csv");

    private static final List<KnownDataset> ALL = List.of(
            new KnownDataset("ml-100k", "ml-100k.zip", "ml-100k",
                    Checksum.sha256("50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229"),
                    4_924_029L, List.of("u.data", "u.item", "u.user"), false,
                    "MovieLens 100K (1998): 100,000 ratings 1-5, 943 users, 1,682 movies, demographics, predefined splits"),
            new KnownDataset("ml-1m", "ml-1m.zip", "ml-1m",
                    Checksum.sha256("a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20"),
                    5_917_549L, List.of("ratings.dat", "movies.dat", "users.dat"), false,
                    "MovieLens 1M (2003): 1,000,209 ratings 1-5, 6,040 users, 3,706 movies, demographics"),
            new KnownDataset("ml-10m", "ml-10m.zip", "ml-10M100K",
                    Checksum.sha256("813c411ccb6122564edfe752e7f80c4dcc5aa25fa94c93622f6877a7ba252862"),
                    65_566_137L, List.of("ratings.dat", "movies.dat"), false,
                    "MovieLens 10M (2009): 10,000,054 half-star ratings, 69,878 users, 10,677 movies"),
            new KnownDataset("ml-20m", "ml-20m.zip", "ml-20m",
                    Checksum.sha256("96f243c338a8665f6bcc89c53edf6ee39162a846940de6b7c8c48aeada765ff3"),
                    198_702_078L, CSV_FILES, false,
                    "MovieLens 20M (2015): 20,000,263 half-star ratings, 138,493 users, 26,744 movies"),
            new KnownDataset("ml-25m", "ml-25m.zip", "ml-25m",
                    Checksum.sha256("8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa"),
                    261_978_986L, CSV_FILES, false,
                    "MovieLens 25M (2019): 25,000,095 half-star ratings, 162,541 users, 59,047 movies"),
            new KnownDataset("ml-latest-small", "ml-latest-small.zip", "ml-latest-small",
                    Checksum.sha256("696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436"),
                    978_202L, CSV_FILES, true,
                    "MovieLens latest small: about 100,000 ratings, 610 users, 9,742 movies (for development; changes over time)"),
            new KnownDataset("ml-latest", "ml-latest.zip", "ml-latest",
                    Checksum.sha256("66a9e518c747d76b241d9a859b001a2619d3ed1672ceef599eb50daf73a7b4a3"),
                    335_000_000L, CSV_FILES, true,
                    "MovieLens latest full: about 33 million ratings (for development; changes over time)"));

    private KnownDatasets() {
    }

    /** Every known dataset, smallest first within each family. */
    public static List<KnownDataset> all() {
        return ALL;
    }

    /** Their names, in {@link #all()} order. */
    public static List<String> names() {
        return ALL.stream().map(KnownDataset::name).toList();
    }

    public static Optional<KnownDataset> find(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(d -> d.name().equals(n)).findFirst();
    }

    /** The dataset called {@code name}; an {@link IllegalArgumentException} listing the names if none. */
    public static KnownDataset get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + name
                + "'; known datasets: " + ALL.stream().map(KnownDataset::name).collect(Collectors.joining(", "))));
    }
}
