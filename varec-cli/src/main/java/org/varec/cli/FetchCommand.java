package org.varec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.varec.data.fetch.DataDirs;
import org.varec.data.fetch.DatasetFetcher;
import org.varec.data.fetch.KnownDataset;
import org.varec.data.fetch.KnownDatasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Download a MovieLens dataset from GroupLens into the data directory and verify its checksum.",
                "Datasets: ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-latest-small, ml-latest (docs/datasets.md).",
                "The data may not be redistributed (GroupLens licence); cite Harper & Konstan 2015."})
final class FetchCommand implements Callable<Integer> {
    @ParentCommand
    DataCommand parent;

    @Parameters(paramLabel = "DATASET", description = "Dataset name.")
    String name;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where datasets live (default: $VAREC_DATA, else ~/.varec/data).")
    String dataDir;

    @Option(names = "--allow-unverified",
            description = "Accept a download whose checksum is unknown (or changed, for the rolling ml-latest files).")
    boolean allowUnverified;

    @Override
    public Integer call() throws Exception {
        KnownDataset ds = KnownDatasets.get(name);
        Path dir = DataDirs.resolve(dataDir);
        DatasetFetcher fetcher = new DatasetFetcher(DatasetFetcher.GROUPLENS,
                DatasetFetcher.Options.defaults().withAllowUnverified(allowUnverified));
        boolean quiet = parent.root.quiet;
        DatasetFetcher.Result r;
        try (ConsoleProgress progress = new ConsoleProgress(System.err, "download " + ds.name(), " MB", 1 << 20, quiet)) {
            r = fetcher.fetch(ds, dir, progress);
        }
        if (!r.downloaded()) {
            System.out.println(ds.name() + " is already in " + r.directory());
        } else {
            System.out.println("downloaded " + ds.name() + " into " + r.directory()
                    + (r.verified() ? " (sha256 verified)" : " (UNVERIFIED: sha256 " + r.sha256() + ")"));
        }
        return 0;
    }
}
