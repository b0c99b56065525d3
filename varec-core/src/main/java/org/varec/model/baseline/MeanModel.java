package org.varec.model.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.model.RatingModel;
import org.varec.model.Trainer;
import org.varec.model.UserState;
import org.varec.train.EpochReport;
import org.varec.train.TrainingRun;

/** Predicts the global mean rating for every pair: the floor every model must beat. */
public final class MeanModel implements RatingModel {
    private final int numUsers;
    private final int numItems;
    private final double mean;

    public MeanModel(int numUsers, int numItems, double mean) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.mean = mean;
    }

    /** The trainer: one pass to average the training ratings. */
    public static Trainer<MeanModel> trainer(MeanConfig config) {
        return (data, ctx) -> {
            long t0 = System.nanoTime();
            TrainingRun run = new TrainingRun("mean", 1, ctx);
            double mu = data.ratings().mean();
            run.epoch(EpochReport.builder(1).put("mean", mu).build((System.nanoTime() - t0) / 1e9));
            run.finish();
            return new MeanModel(data.numUsers(), data.numItems(), mu);
        };
    }

    public static MeanModel read(DataInput in, MeanConfig config) throws IOException {
        return new MeanModel(in.readInt(), in.readInt(), in.readDouble());
    }

    @Override
    public void writeParameters(DataOutput out) throws IOException {
        out.writeInt(numUsers);
        out.writeInt(numItems);
        out.writeDouble(mean);
    }

    public double mean() {
        return mean;
    }

    @Override
    public String algorithm() {
        return "mean";
    }

    @Override
    public int numUsers() {
        return numUsers;
    }

    @Override
    public int numItems() {
        return numItems;
    }

    @Override
    public double predict(int user, int item) {
        return mean;
    }

    private record State(int user) implements UserState {
    }

    @Override
    public UserState user(int user) {
        return new State(user >= 0 && user < numUsers ? user : -1);
    }

    @Override
    public UserState foldIn(int[] items, float[] ratings) {
        return new State(-1);
    }

    @Override
    public double predict(UserState user, int item) {
        return mean;
    }
}
