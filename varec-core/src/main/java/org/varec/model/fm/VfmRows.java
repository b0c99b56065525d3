package org.varec.model.fm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.data.FmLayout;
import org.varec.io.ModelIo;

/**
 * The feature rows a trained variational FM needs to predict later, independent of the training
 * data: per user the features {@link FmLayout#row} writes for (u, -1) (user id and user side
 * features) and per item those for (-1, i), kept as two CSR tables and concatenated on demand.
 * The feature groups travel with them. Saved in the model file, so a loaded model rebuilds exactly
 * the rows it was trained on.
 */
final class VfmRows {
    final int numUsers;
    final int numItems;
    final int numFeatures;
    final int[] groups;
    final int numGroups;
    final int[] userOff;
    final int[] userIdx;
    final float[] userVal;
    final int[] itemOff;
    final int[] itemIdx;
    final float[] itemVal;
    final int maxRow;

    VfmRows(int numUsers, int numItems, int numFeatures, int[] groups, int numGroups, int[] userOff, int[] userIdx,
            float[] userVal, int[] itemOff, int[] itemIdx, float[] itemVal) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.numFeatures = numFeatures;
        this.groups = groups;
        this.numGroups = numGroups;
        this.userOff = userOff;
        this.userIdx = userIdx;
        this.userVal = userVal;
        this.itemOff = itemOff;
        this.itemIdx = itemIdx;
        this.itemVal = itemVal;
        int mu = 0;
        for (int u = 0; u < numUsers; u++) {
            mu = Math.max(mu, userOff[u + 1] - userOff[u]);
        }
        int mi = 0;
        for (int i = 0; i < numItems; i++) {
            mi = Math.max(mi, itemOff[i + 1] - itemOff[i]);
        }
        this.maxRow = mu + mi + 1;
    }

    static VfmRows of(FmLayout layout) {
        int nu = layout.numUsers();
        int ni = layout.numItems();
        int[] idx = new int[layout.maxRowLength()];
        float[] val = new float[layout.maxRowLength()];
        int[] uo = new int[nu + 1];
        for (int u = 0; u < nu; u++) {
            uo[u + 1] = uo[u] + layout.row(u, -1, idx, val);
        }
        int[] ui = new int[uo[nu]];
        float[] uv = new float[uo[nu]];
        for (int u = 0; u < nu; u++) {
            int n = layout.row(u, -1, idx, val);
            System.arraycopy(idx, 0, ui, uo[u], n);
            System.arraycopy(val, 0, uv, uo[u], n);
        }
        int[] io = new int[ni + 1];
        for (int i = 0; i < ni; i++) {
            io[i + 1] = io[i] + layout.row(-1, i, idx, val);
        }
        int[] ii = new int[io[ni]];
        float[] iv = new float[io[ni]];
        for (int i = 0; i < ni; i++) {
            int n = layout.row(-1, i, idx, val);
            System.arraycopy(idx, 0, ii, io[i], n);
            System.arraycopy(val, 0, iv, io[i], n);
        }
        return new VfmRows(nu, ni, layout.numFeatures(), layout.featureGroups().clone(), layout.numGroups(), uo, ui, uv,
                io, ii, iv);
    }

    /** Row of (u, i) into idx/val from 0; an index out of range contributes nothing. Returns the length. */
    int row(int u, int i, int[] idx, float[] val) {
        int n = 0;
        if (u >= 0 && u < numUsers) {
            for (int p = userOff[u]; p < userOff[u + 1]; p++) {
                idx[n] = userIdx[p];
                val[n++] = userVal[p];
            }
        }
        if (i >= 0 && i < numItems) {
            for (int p = itemOff[i]; p < itemOff[i + 1]; p++) {
                idx[n] = itemIdx[p];
                val[n++] = itemVal[p];
            }
        }
        return n;
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(numUsers);
        out.writeInt(numItems);
        out.writeInt(numFeatures);
        out.writeInt(numGroups);
        ModelIo.writeInts(out, groups);
        ModelIo.writeInts(out, userOff);
        ModelIo.writeInts(out, userIdx);
        ModelIo.writeFloats(out, userVal);
        ModelIo.writeInts(out, itemOff);
        ModelIo.writeInts(out, itemIdx);
        ModelIo.writeFloats(out, itemVal);
    }

    static VfmRows read(DataInput in) throws IOException {
        int nu = in.readInt();
        int ni = in.readInt();
        int nf = in.readInt();
        int ng = in.readInt();
        int[] groups = ModelIo.readInts(in);
        int[] uo = ModelIo.readInts(in);
        int[] ui = ModelIo.readInts(in);
        float[] uv = ModelIo.readFloats(in);
        int[] io = ModelIo.readInts(in);
        int[] ii = ModelIo.readInts(in);
        float[] iv = ModelIo.readFloats(in);
        if (uo.length != nu + 1 || io.length != ni + 1 || groups.length != nf) {
            throw new IOException("corrupt FM rows: sizes do not match");
        }
        return new VfmRows(nu, ni, nf, groups, ng, uo, ui, uv, io, ii, iv);
    }
}
