package org.varec.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varec.data.Dataset;
import org.varec.data.Graph;
import org.varec.model.BlockModel;
import org.varec.model.TrainedModel;

/**
 * A block model's groups over a network, for block pictures and group tables: the vertices of
 * the network ordered by MAP group (groups numbered by decreasing size, {@link BlockModel}), within
 * a group by decreasing degree, with each group's members, the model's block link probabilities
 * and the links the network has between every pair of groups.
 *
 * @param ids           external id of every vertex of the network (dense index)
 * @param group         MAP group of every vertex
 * @param order         the vertices in picture order: by group, then by decreasing degree, then by index
 * @param offsets       group g's vertices are {@code order[offsets[g] .. offsets[g+1])}; length groups + 1
 * @param probabilities the model's {@code groups x groups} block link probabilities
 * @param links         links of the network between groups g and h (within g when g == h), each link once
 * @param pairs         vertex pairs between groups g and h ({@code n_g n_h}, within g {@code n_g (n_g - 1) / 2})
 * @param degree        degree of every vertex in the network
 * @param adjOffsets    the network's adjacency (CSR, both directions) over the same vertex indices
 * @param adjNeighbours see {@code adjOffsets}
 */
public record BlockStructure(List<String> ids, int[] group, int[] order, int[] offsets, double[][] probabilities,
                             long[][] links, long[][] pairs, int[] degree, int[] adjOffsets, int[] adjNeighbours) {
    public BlockStructure {
        ids = List.copyOf(ids);
    }

    public int numVertices() {
        return group.length;
    }

    public int numGroups() {
        return offsets.length - 1;
    }

    /** Number of vertices of group g in the network. */
    public int size(int g) {
        return offsets[g + 1] - offsets[g];
    }

    /** Total links of the network. */
    public long numLinks() {
        return adjNeighbours.length / 2;
    }

    /** External ids of group g's members in picture order. */
    public List<String> members(int g) {
        List<String> out = new ArrayList<>();
        for (int p = offsets[g]; p < offsets[g + 1]; p++) {
            out.add(ids.get(order[p]));
        }
        return out;
    }

    /**
     * The structure of block model {@code m} over network {@code d} (the network it was trained on,
     * or one over the same vertex ids); vertices are matched by external id.
     *
     * @throws IllegalArgumentException when the model is not a block model, the dataset is not a
     *                                  network, or a vertex of the network is unknown to the model
     */
    public static BlockStructure of(TrainedModel m, Dataset d) {
        if (!(m.model() instanceof BlockModel bm)) {
            throw new IllegalArgumentException("model " + m.algorithm() + " is not a block model (its vertices have no "
                    + "groups); train a block model such as irm on a network");
        }
        return of(bm, m.users()::indexOf, d);
    }

    /** As {@link #of(TrainedModel, Dataset)} with the model's vertex index of each external id given by {@code index}. */
    public static BlockStructure of(BlockModel bm, java.util.function.ToIntFunction<String> index, Dataset d) {
        if (!d.isNetwork()) {
            throw new IllegalArgumentException("dataset " + d.name() + " is not a network: block pictures need one "
                    + "(--format adjacency or edges)");
        }
        Graph graph = d.graph();
        int n = graph.numVertices();
        int[] modelGroups = bm.groups();
        int k = bm.numGroups();
        List<String> ids = new ArrayList<>(n);
        int[] group = new int[n];
        for (int v = 0; v < n; v++) {
            String id = d.users().externalId(v);
            int mv = index.applyAsInt(id);
            if (mv < 0 || mv >= modelGroups.length) {
                throw new IllegalArgumentException("vertex " + id + " of " + d.name() + " is unknown to the model: "
                        + "give the network the model was trained on");
            }
            ids.add(id);
            group[v] = modelGroups[mv];
        }
        int[] off = graph.offsets();
        int[] nb = graph.neighbours();
        int[] degree = new int[n];
        for (int v = 0; v < n; v++) {
            degree[v] = off[v + 1] - off[v];
        }
        Integer[] boxed = new Integer[n];
        for (int v = 0; v < n; v++) {
            boxed[v] = v;
        }
        Arrays.sort(boxed, (a, b) -> group[a] != group[b] ? Integer.compare(group[a], group[b])
                : degree[a] != degree[b] ? Integer.compare(degree[b], degree[a]) : Integer.compare(a, b));
        int[] order = new int[n];
        int[] offsets = new int[k + 1];
        for (int p = 0; p < n; p++) {
            order[p] = boxed[p];
            offsets[group[boxed[p]] + 1]++;
        }
        for (int g = 0; g < k; g++) {
            offsets[g + 1] += offsets[g];
        }
        long[][] links = new long[k][k];
        for (int v = 0; v < n; v++) {
            for (int p = off[v]; p < off[v + 1]; p++) {
                int u = nb[p];
                if (u > v) {
                    int a = Math.min(group[v], group[u]);
                    int b = Math.max(group[v], group[u]);
                    links[a][b]++;
                    if (a != b) {
                        links[b][a]++;
                    }
                }
            }
        }
        long[][] pairs = new long[k][k];
        for (int a = 0; a < k; a++) {
            long na = offsets[a + 1] - offsets[a];
            for (int b = 0; b < k; b++) {
                long nbs = offsets[b + 1] - offsets[b];
                pairs[a][b] = a == b ? na * (na - 1) / 2 : na * nbs;
            }
        }
        double[][] prob = bm.blockProbabilities();
        if (prob.length != k || k > 0 && prob[0].length != k) {
            throw new IllegalArgumentException("the model's block probabilities are " + prob.length + " x "
                    + (prob.length == 0 ? 0 : prob[0].length) + ", not " + k + " x " + k
                    + " (a bipartite model: block pictures are for networks)");
        }
        return new BlockStructure(ids, group, order, offsets, prob, links, pairs, degree, off, nb);
    }
}
