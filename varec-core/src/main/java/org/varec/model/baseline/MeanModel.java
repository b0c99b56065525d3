package org.varec.model.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.varec.model.RatingModel;
import org.varec.model.Trainer;
import org.varec.model.UserState;
import org.varec.train.EpochReport;
import org.varec.train.EpochTrainer;
import org.varec.train.TrainingData;
import org.varec.util.Parallel;

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

    /**
     * The trainer. The shared loop drives it through one epoch, which averages the training
     * ratings and reports that {@code mean}; there is nothing to initialise and no randomness.
     */
    public static Trainer<MeanModel> trainer(MeanConfig config) {
        return new Averaging();
    }

    private static final class Averaging implements Trainer<MeanModel> {
        @Override
        public String name() {
            return "mean";
        }

        @Override
        public EpochTrainer<MeanModel> start(TrainingData data, long seed, Parallel pool) {
            return new Run(data);
        }
    }

    /** One run: its single epoch computes the mean; before it there is no model to measure. */
    private static final class Run implements EpochTrainer<MeanModel> {
        private final TrainingData data;
        private MeanModel model;

        Run(TrainingData data) {
            this.data = data;
        }

        @Override
        public int plannedEpochs() {
            return 1;
        }

        @Override
        public void epoch(int epoch, EpochReport.Builder figures) {
            double mu = data.ratings().mean();
            model = new MeanModel(data.numUsers(), data.numItems(), mu);
            figures.put("mean", mu);
        }

        @Override
        public MeanModel snapshot() {
            return model;
        }
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
