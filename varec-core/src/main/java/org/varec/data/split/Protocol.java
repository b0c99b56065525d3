package org.varec.data.split;

import java.io.IOException;
import java.util.List;
import org.varec.data.Dataset;

/**
 * An evaluation protocol: how a dataset is cut into one or more splits. The same (dataset, seed)
 * gives the same splits on every machine and thread count. Specs are parsed by {@link Protocols#parse}.
 */
public interface Protocol {
    /** The spec this protocol was parsed from, e.g. {@code holdout:0.9x5}. */
    String spec();

    /** The splits, in a fixed order. */
    List<Split> splits(Dataset dataset, long seed) throws IOException;
}
