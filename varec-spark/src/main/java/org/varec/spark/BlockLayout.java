package org.varec.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * MLlib ALS's block layout, for any row-by-row alternating method whose update of a row needs only
 * the rows of the other side that it rated (ALS with biases, VB-MF's CAVI).
 *
 * <p>Users are hashed to {@code U} blocks and items to {@code I} blocks ({@code block = floorMod(id, n)}).
 * For every block of a side the layout holds
 * <ul>
 *   <li>an {@link InBlock}: the block's ids (sorted; a row's local index is its position), and its
 *       ratings as CSR by local row, each rating pointing at a position of the <em>receive buffer</em>:
 *       the concatenation, in ascending other-side block order, of the other-side rows this block
 *       needs from each other-side block (each sorted by id);</li>
 *   <li>an {@link OutBlock}: for every block of the other side, the local indices of this block's
 *       rows that it needs (the rows rated in that (user block, item block) pair), sorted.</li>
 * </ul>
 * So a half-sweep sends each row once to each block that needs it, never once per rating: block
 * {@code s} packs {@code out.toBlock[d]} rows for block {@code d}; block {@code d} concatenates what it
 * receives by ascending {@code s} (offsets {@link InBlock#recvOffsets}) and solves its rows.
 *
 * <p>Worked example (as in MLlib's ALS Scaladoc), 2 user blocks and 2 item blocks, ratings
 * {@code (u0,i0) (u0,i1) (u1,i1) (u2,i0) (u3,i3)}: user block 0 holds u0, u2, block 1 holds u1, u3;
 * item block 0 holds i0, item block 1 holds i1, i3. Item block 0 sends i0 once to user block 0
 * (needed by u0 and u2); item block 1 sends i1 to user blocks 0 and 1 and i3 to user block 1. User
 * block 0's receive buffer is {@code [i0 | i1]}: u0's ratings point at positions 0 and 1, u2's at 0.
 * A naive join of ratings with factors would ship i0 twice and i1 twice.
 *
 * <p>The two sides' views of a (user block, item block) pair are computed independently from the
 * same ratings, as sorted unique ids, so sender and receiver agree on order without a join.
 */
final class BlockLayout {

    /** The ratings of one (user block, item block) pair as parallel arrays. */
    record RatingBlock(int[] users, int[] items, float[] ratings) implements Serializable {
        static RatingBlock concat(RatingBlock a, RatingBlock b) {
            int n = a.users.length;
            int m = b.users.length;
            int[] u = Arrays.copyOf(a.users, n + m);
            int[] i = Arrays.copyOf(a.items, n + m);
            float[] r = Arrays.copyOf(a.ratings, n + m);
            System.arraycopy(b.users, 0, u, n, m);
            System.arraycopy(b.items, 0, i, n, m);
            System.arraycopy(b.ratings, 0, r, n, m);
            return new RatingBlock(u, i, r);
        }
    }

    /**
     * One block of a side: {@code ids} (sorted, local index = position), ratings CSR by local row
     * ({@code ptr}, length rows+1; {@code pos} = position in the receive buffer; {@code ratings}),
     * and the receive buffer's layout: other-side blocks {@code srcBlocks} (ascending) whose rows
     * start at {@code recvOffsets[j]} (length srcBlocks+1, the last is the buffer's row count).
     */
    record InBlock(int[] ids, int[] ptr, int[] pos, float[] ratings, int[] srcBlocks, int[] recvOffsets)
            implements Serializable {
        int numRows() {
            return ids.length;
        }

        int recvRows() {
            return recvOffsets[recvOffsets.length - 1];
        }
    }

    /** For every other-side block {@code d}, the local rows of this block it needs (null: none). */
    record OutBlock(int[][] toBlock) implements Serializable {
    }

    /** A block's rows sent to another block: the sender block and {@code rows * width} floats. */
    record Message(int srcBlock, float[] rows) implements Serializable {
    }

    final int numUserBlocks;
    final int numItemBlocks;
    final HashPartitioner userPart;
    final HashPartitioner itemPart;
    final JavaPairRDD<Integer, InBlock> userIn;
    final JavaPairRDD<Integer, OutBlock> userOut;
    final JavaPairRDD<Integer, InBlock> itemIn;
    final JavaPairRDD<Integer, OutBlock> itemOut;

    private final JavaPairRDD<Integer, Tuple2<InBlock, OutBlock>> users;
    private final JavaPairRDD<Integer, Tuple2<InBlock, OutBlock>> items;

    /** Views of the persisted (in, out) pairs; mapValues keeps the partitioner, so joins stay narrow. */
    private BlockLayout(int nub, int nib, JavaPairRDD<Integer, Tuple2<InBlock, OutBlock>> users,
                        JavaPairRDD<Integer, Tuple2<InBlock, OutBlock>> items) {
        this.numUserBlocks = nub;
        this.numItemBlocks = nib;
        this.userPart = new HashPartitioner(nub);
        this.itemPart = new HashPartitioner(nib);
        this.users = users;
        this.items = items;
        this.userIn = users.mapValues(Tuple2::_1);
        this.userOut = users.mapValues(Tuple2::_2);
        this.itemIn = items.mapValues(Tuple2::_1);
        this.itemOut = items.mapValues(Tuple2::_2);
    }

    static int blockOf(int id, int numBlocks) {
        return Math.floorMod(id, numBlocks);
    }

    /**
     * Builds and persists the layout from validated (user, item, rating) triples.
     *
     * @param triples ratings as {@code int[]{user, item, Float.floatToIntBits(rating)}} per partition chunk
     */
    static BlockLayout build(JavaRDD<int[]> triples, int nub, int nib, StorageLevel level) {
        // 1. pack each partition's ratings by (user block, item block), then merge the packs of a pair
        JavaPairRDD<Integer, RatingBlock> pairs = triples.mapPartitionsToPair(it -> {
            Map<Integer, Builder> builders = new HashMap<>();
            while (it.hasNext()) {
                int[] chunk = it.next();
                for (int p = 0; p + 2 < chunk.length; p += 3) {
                    int key = blockOf(chunk[p], nub) * nib + blockOf(chunk[p + 1], nib);
                    builders.computeIfAbsent(key, x -> new Builder()).add(chunk[p], chunk[p + 1],
                            Float.intBitsToFloat(chunk[p + 2]));
                }
            }
            List<Tuple2<Integer, RatingBlock>> out = new ArrayList<>(builders.size());
            builders.forEach((k, b) -> out.add(new Tuple2<>(k, b.build())));
            return out.iterator();
        }).reduceByKey(RatingBlock::concat);
        // 2. each side groups the pairs of its blocks and builds in- and out-blocks from them
        HashPartitioner up = new HashPartitioner(nub);
        HashPartitioner ip = new HashPartitioner(nib);
        JavaPairRDD<Integer, Tuple2<InBlock, OutBlock>> users = pairs
                .mapToPair(kv -> new Tuple2<>(kv._1 / nib, new Tuple2<>(kv._1 % nib, kv._2)))
                .groupByKey(up).mapValues(parts -> makeBlock(parts, true, nib)).persist(level);
        JavaPairRDD<Integer, Tuple2<InBlock, OutBlock>> items = pairs
                .mapToPair(kv -> new Tuple2<>(kv._1 % nib, new Tuple2<>(kv._1 / nib, kv._2)))
                .groupByKey(ip).mapValues(parts -> makeBlock(parts, false, nub)).persist(level);
        return new BlockLayout(nub, nib, users, items);
    }

    /** Growable COO arrays of one pair. */
    private static final class Builder {
        int[] u = new int[64];
        int[] i = new int[64];
        float[] r = new float[64];
        int n;

        void add(int user, int item, float rating) {
            if (n == u.length) {
                u = Arrays.copyOf(u, 2 * n);
                i = Arrays.copyOf(i, 2 * n);
                r = Arrays.copyOf(r, 2 * n);
            }
            u[n] = user;
            i[n] = item;
            r[n] = rating;
            n++;
        }

        RatingBlock build() {
            return new RatingBlock(Arrays.copyOf(u, n), Arrays.copyOf(i, n), Arrays.copyOf(r, n));
        }
    }

    private static int[] sortedUnique(int[] a) {
        int[] s = a.clone();
        Arrays.sort(s);
        int n = 0;
        for (int p = 0; p < s.length; p++) {
            if (n == 0 || s[p] != s[n - 1]) {
                s[n++] = s[p];
            }
        }
        return Arrays.copyOf(s, n);
    }

    /** The in- and out-block of one block of a side from its (other block, ratings) pairs. */
    static Tuple2<InBlock, OutBlock> makeBlock(Iterable<Tuple2<Integer, RatingBlock>> partsIt, boolean userSide,
                                                int numOther) {
        List<Tuple2<Integer, RatingBlock>> parts = new ArrayList<>();
        partsIt.forEach(parts::add);
        parts.sort((a, b) -> Integer.compare(a._1, b._1));
        int total = 0;
        for (Tuple2<Integer, RatingBlock> p : parts) {
            total += p._2.ratings().length;
        }
        int[] all = new int[total];
        int q = 0;
        for (Tuple2<Integer, RatingBlock> p : parts) {
            int[] dst = userSide ? p._2.users() : p._2.items();
            System.arraycopy(dst, 0, all, q, dst.length);
            q += dst.length;
        }
        int[] ids = sortedUnique(all);
        int np = parts.size();
        int[] srcBlocks = new int[np];
        int[] recvOffsets = new int[np + 1];
        int[][] needed = new int[np][];
        int[][] toBlock = new int[numOther][];
        int[] ptr = new int[ids.length + 1];
        int[] local = new int[total];
        q = 0;
        for (int j = 0; j < np; j++) {
            RatingBlock rb = parts.get(j)._2;
            int[] dst = userSide ? rb.users() : rb.items();
            int[] src = userSide ? rb.items() : rb.users();
            srcBlocks[j] = parts.get(j)._1;
            needed[j] = sortedUnique(src);
            recvOffsets[j + 1] = recvOffsets[j] + needed[j].length;
            int[] mine = sortedUnique(dst);
            int[] out = new int[mine.length];
            for (int t = 0; t < mine.length; t++) {
                out[t] = Arrays.binarySearch(ids, mine[t]);
            }
            toBlock[srcBlocks[j]] = out;
            for (int id : dst) {
                int l = Arrays.binarySearch(ids, id);
                local[q++] = l;
                ptr[l + 1]++;
            }
        }
        for (int r = 0; r < ids.length; r++) {
            ptr[r + 1] += ptr[r];
        }
        int[] fill = Arrays.copyOf(ptr, ids.length);
        int[] pos = new int[total];
        float[] ratings = new float[total];
        q = 0;
        for (int j = 0; j < np; j++) {
            RatingBlock rb = parts.get(j)._2;
            int[] src = userSide ? rb.items() : rb.users();
            for (int p = 0; p < src.length; p++, q++) {
                int at = fill[local[q]]++;
                pos[at] = recvOffsets[j] + Arrays.binarySearch(needed[j], src[p]);
                ratings[at] = rb.ratings()[p];
            }
        }
        return new Tuple2<>(new InBlock(ids, ptr, pos, ratings, srcBlocks, recvOffsets), new OutBlock(toBlock));
    }

    /**
     * The receive buffer of a block: the rows sent to it, {@code width} floats each, placed at
     * {@code recvOffsets} by sender block.
     */
    static float[] assemble(InBlock in, Iterable<Message> msgs, int width) {
        float[] buf = new float[in.recvRows() * width];
        for (Message m : msgs) {
            int j = Arrays.binarySearch(in.srcBlocks(), m.srcBlock());
            if (j < 0 || m.rows().length != (in.recvOffsets()[j + 1] - in.recvOffsets()[j]) * width) {
                throw new IllegalStateException("block layout mismatch: message from block " + m.srcBlock());
            }
            System.arraycopy(m.rows(), 0, buf, in.recvOffsets()[j] * width, m.rows().length);
        }
        return buf;
    }

    /** The messages of a side's blocks: each row (of {@code width} floats) once to every block needing it. */
    static JavaPairRDD<Integer, Message> messages(JavaPairRDD<Integer, OutBlock> out, JavaPairRDD<Integer, float[]> rows,
                                                  int width) {
        return out.join(rows).flatMapToPair(kv -> {
            int s = kv._1;
            int[][] to = kv._2._1.toBlock();
            float[] f = kv._2._2;
            List<Tuple2<Integer, Message>> msgs = new ArrayList<>();
            for (int d = 0; d < to.length; d++) {
                if (to[d] == null) {
                    continue;
                }
                int[] idx = to[d];
                float[] pack = new float[idx.length * width];
                for (int t = 0; t < idx.length; t++) {
                    System.arraycopy(f, idx[t] * width, pack, t * width, width);
                }
                msgs.add(new Tuple2<>(d, new Message(s, pack)));
            }
            return msgs.iterator();
        });
    }

    /** How a block's new rows ({@code width} floats each) are computed from its receive buffer. */
    interface BlockUpdate<R> extends Serializable {
        R update(InBlock in, float[] recv) throws Exception;
    }

    /**
     * One half-sweep: the rows of the {@code src} side go to the blocks of the other side that need
     * them, and each of those blocks computes its result from its in-block and receive buffer.
     */
    static <R> JavaPairRDD<Integer, R> halfSweep(JavaPairRDD<Integer, OutBlock> srcOut, JavaPairRDD<Integer, float[]> srcRows,
                                                 int width, JavaPairRDD<Integer, InBlock> dstIn,
                                                 HashPartitioner dstPart, BlockUpdate<R> update) {
        JavaPairRDD<Integer, Iterable<Message>> received = messages(srcOut, srcRows, width).groupByKey(dstPart);
        return dstIn.join(received).mapValues(v -> update.update(v._1, assemble(v._1, v._2, width)));
    }

    void unpersist() {
        users.unpersist(false);
        items.unpersist(false);
    }
}
