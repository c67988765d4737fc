package dev.ganymede.engine.train;

import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.DataLoader;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.optim.Optimizer;
import dev.ganymede.engine.output.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs the two-player loop. A trainer keeps its state between calls to {@link #train}: networks,
 * optimiser moments, data position and step count, so a stopped run continues where it was (the
 * REPL's /train after Ctrl-C). {@link #requestStop()} may be called from any thread; the loop
 * stops after the current step.
 */
public final class Trainer implements AutoCloseable {

    private final Gan gan;
    private final Dataset dataset;
    private final TrainingSettings settings;
    // not final: changeTraining swaps them between runs (gan-repl, when train { } changes)
    private Optimizer generatorOptimizer;
    private Optimizer discriminatorOptimizer;
    private TrainingStrategy strategy;
    private List<Stabiliser> stabilisers;
    private final java.util.Random random;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private final NDManager root;
    private DataLoader loader;
    private volatile boolean stopRequested;
    private volatile boolean looping;
    private long step;
    private long batchesConsumed;
    private int completedEpochs;
    private long batchesToSkip;
    private final List<StepRecord> history = new ArrayList<>();

    private Trainer(Builder b) {
        this.gan = b.gan;
        this.dataset = b.dataset;
        this.settings = new TrainingSettings(b.batchSize, b.discriminatorSteps, b.reuseFakes, b.seed);
        this.generatorOptimizer = b.generatorOptimizer;
        this.discriminatorOptimizer = b.discriminatorOptimizer;
        this.strategy = b.strategy;
        this.stabilisers = List.copyOf(b.stabilisers);
        this.random = new java.util.Random(b.seed);
        this.listeners.addAll(b.listeners);
        if (!dataset.sampleShape().equals(gan.discriminator().inputShape())) {
            throw new GanymedeException("the data set '" + dataset.name() + "' has samples of shape "
                    + dev.ganymede.engine.nn.Shapes.format(dataset.sampleShape()) + " but the discriminator takes "
                    + dev.ganymede.engine.nn.Shapes.format(gan.discriminator().inputShape()));
        }
        if (gan.isConditional() && dataset.numClasses() == 0) {
            throw new GanymedeException("the GAN is conditional on " + gan.numClasses()
                    + " classes but the data set '" + dataset.name() + "' has no labels");
        }
        if (gan.isConditional() && dataset.numClasses() != gan.numClasses()) {
            throw new GanymedeException("the GAN is conditional on " + gan.numClasses() + " classes but the data set '"
                    + dataset.name() + "' has " + dataset.numClasses());
        }
        this.root = Backend.engine().newBaseManager(gan.generator().device());
        strategy.check(this);
        for (Stabiliser s : stabilisers) {
            s.attach(this);
        }
    }

    public static Builder builder(Gan gan, Dataset dataset) {
        return new Builder(gan, dataset);
    }

    public Gan gan() {
        return gan;
    }

    public Dataset dataset() {
        return dataset;
    }

    public TrainingSettings settings() {
        return settings;
    }

    public Optimizer generatorOptimizer() {
        return generatorOptimizer;
    }

    /** The training strategy: alternating updates unless a variant needs its own step. */
    public TrainingStrategy strategy() {
        return strategy;
    }

    /** Stabilisers in declaration order. */
    public List<Stabiliser> stabilisers() {
        return stabilisers;
    }

    java.util.Random random() {
        return random;
    }

    public Optimizer discriminatorOptimizer() {
        return discriminatorOptimizer;
    }

    DataLoader loader() {
        if (loader == null) {
            loader = DataLoader.builder(dataset).batchSize(settings.batchSize()).shuffle(true).dropLast(true)
                    .seed(settings.seed()).skip(batchesToSkip).build();
        }
        return loader;
    }

    void countBatch() {
        batchesConsumed++;
    }

    /** Batches in one pass over the data (drop-last). */
    public int batchesPerEpoch() {
        return loader().batchesPerEpoch();
    }

    /** Generator steps in one epoch: each step consumes one batch per discriminator update. */
    public long stepsPerEpoch() {
        return Math.max(1, batchesPerEpoch() / settings.discriminatorSteps());
    }

    /** Steps done so far (generator updates). */
    public long step() {
        return step;
    }

    /** Epochs completed so far. */
    public int completedEpochs() {
        return completedEpochs;
    }

    /** Batches of data used so far (a step uses one per discriminator update). */
    public long batchesConsumed() {
        return batchesConsumed;
    }

    /**
     * Puts a checkpoint's counters back into a trainer that has not trained (see
     * {@link TrainingCheckpoint}): the data continues after the batches already used. The random
     * streams need nothing: every step draws from streams seeded by the run's seed and its step
     * ({@link #stepSeed}), so the resumed steps draw what the run that never stopped drew.
     */
    void resumeAt(long doneSteps, long doneBatches, int doneEpochs, List<StepRecord> earlier) {
        if (step != 0 || batchesConsumed != 0) {
            throw new IllegalStateException("a checkpoint can only be restored into a trainer that has not trained yet"
                    + " (this one is at step " + step + ")");
        }
        if (loader != null) {
            // built only to count batches per epoch (an epochs duration, noise annealed over epochs):
            // the next one starts where the checkpoint left the data
            loader.close();
            loader = null;
        }
        step = doneSteps;
        batchesConsumed = doneBatches;
        completedEpochs = doneEpochs;
        batchesToSkip = doneBatches;
        history.addAll(earlier);
    }

    /**
     * The seed of the step after {@code step} steps: the run's seed mixed with the step count
     * (SplitMix64's finaliser), so a step's noise depends on the seed and the step alone, never on
     * what seeded or drew numbers before it (an earlier process, gan-repl's /eval). PyTorch's
     * CPU generator keeps the low 32 bits of a seed, so in a run of 400,000 steps some 18 pairs of
     * steps draw the same noise, as rare as drawing one noise batch twice.
     */
    static long stepSeed(long seed, long step) {
        long z = seed + 0x9E3779B97F4A7C15L * (step + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    /**
     * Runs the listeners' start and end without training a step: a run resumed from a checkpoint
     * saved at its last step gets what its end writes (the report, the final figures and metrics).
     */
    public void finish() {
        for (TrainingListener l : listeners) {
            l.onStart(this);
        }
        for (TrainingListener l : listeners) {
            l.onEnd(this, false);
        }
    }

    /**
     * Changes how the trainer trains from its next step: the update strategy, the stabilisers and
     * the optimisers. The networks' weights, the step count, the data position, the history and the
     * listeners stay. A stabiliser passed again (the same object) keeps its state; a new one is
     * attached now (an average of the generator's weights starts from the weights of this step);
     * one left out is closed. A new optimiser of the same kind as the one it replaces ({@link
     * Optimizer#name}) takes over its moments and update count, as editing a PyTorch optimiser's
     * param_groups would; of another kind, it starts from zero state. Schedules and annealing keep
     * counting the run's steps from its start. The trainer owns what it is given: when the change
     * fails (refused by the strategy, or a stabiliser that cannot attach), the new stabilisers and
     * optimisers are closed and the trainer is left as it was. Refused while training.
     */
    public void changeTraining(TrainingStrategy newStrategy, List<? extends Stabiliser> newStabilisers,
            Optimizer newGeneratorOptimizer, Optimizer newDiscriminatorOptimizer) {
        if (looping) {
            throw new IllegalStateException("the trainer is training: its training can change between runs only");
        }
        if (newGeneratorOptimizer == newDiscriminatorOptimizer) {
            throw new IllegalArgumentException("the generator and the discriminator need optimisers of their own");
        }
        TrainingStrategy oldStrategy = strategy;
        List<Stabiliser> oldStabilisers = stabilisers;
        Optimizer oldG = generatorOptimizer;
        Optimizer oldD = discriminatorOptimizer;
        SamplingWeights sampledWith = gan.samplingWeights();
        List<Stabiliser> added = new ArrayList<>();
        for (Stabiliser s : newStabilisers) {
            if (!containsSame(oldStabilisers, s)) {
                added.add(s);
            }
        }
        strategy = newStrategy;
        stabilisers = List.copyOf(newStabilisers);
        generatorOptimizer = newGeneratorOptimizer;
        discriminatorOptimizer = newDiscriminatorOptimizer;
        try {
            strategy.check(this);
            for (Stabiliser s : added) {
                s.attach(this);
            }
            carryState(oldG, generatorOptimizer);
            carryState(oldD, discriminatorOptimizer);
        } catch (RuntimeException e) {
            added.forEach(Stabiliser::close);
            gan.useSamplingWeights(sampledWith); // a new average attached before the failure had taken it over
            if (newGeneratorOptimizer != oldG) {
                newGeneratorOptimizer.close();
            }
            if (newDiscriminatorOptimizer != oldD) {
                newDiscriminatorOptimizer.close();
            }
            strategy = oldStrategy;
            stabilisers = oldStabilisers;
            generatorOptimizer = oldG;
            discriminatorOptimizer = oldD;
            throw e;
        }
        if (oldG != generatorOptimizer) {
            oldG.close();
        }
        if (oldD != discriminatorOptimizer) {
            oldD.close();
        }
        for (Stabiliser s : oldStabilisers) {
            if (!containsSame(stabilisers, s)) {
                s.close();
            }
        }
    }

    private static boolean containsSame(List<? extends Stabiliser> list, Stabiliser s) {
        return list.stream().anyMatch(x -> x == s);
    }

    /** A replacement of the old optimiser's kind continues from its moments and update count. */
    private static void carryState(Optimizer old, Optimizer replacement) {
        if (old != replacement && old.name().equals(replacement.name())) {
            replacement.load(old.state(), old.steps(), replacement.baseLearningRate());
        }
    }

    /** Every step's figures since the trainer was made. */
    public List<StepRecord> history() {
        return java.util.Collections.unmodifiableList(history);
    }

    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TrainingListener listener) {
        listeners.remove(listener);
    }

    /** Asks the loop to stop after the current step (or before the first, if it has not begun); safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Trains for whole epochs of the data; returns true if it ran to the end. */
    public boolean trainEpochs(int epochs) {
        return trainSteps(epochs * stepsPerEpoch());
    }

    /** Trains for {@code steps} more generator steps; returns true if it ran to the end, false if stopped. */
    public boolean trainSteps(long steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("the number of steps must be positive, got " + steps);
        }
        // a stop requested before the loop starts (Ctrl-C typed ahead) is honoured; the flag is
        // cleared when the run ends, so it never carries over into the next run
        looping = true;
        for (TrainingListener l : listeners) {
            l.onStart(this);
        }
        long end = step + steps;
        boolean stopped = false;
        try {
            while (step < end) {
                if (stopRequested || Thread.currentThread().isInterrupted()) {
                    stopped = true;
                    break;
                }
                runOneStep();
            }
        } finally {
            stopRequested = false;
            looping = false;
            for (TrainingListener l : listeners) {
                l.onEnd(this, stopped);
            }
        }
        return !stopped;
    }

    private void runOneStep() {
        long started = System.nanoTime();
        int epoch = completedEpochs + 1;
        generatorOptimizer.scheduleFor(step, completedEpochs);
        discriminatorOptimizer.scheduleFor(step, completedEpochs);
        // PyTorch's generator state cannot be saved through DJL, so instead of one stream per run
        // each step seeds its own: a run resumed from a checkpoint then draws what it would have
        long seedOfStep = stepSeed(settings.seed(), step);
        Backend.seed(seedOfStep);
        random.setSeed(seedOfStep);
        TrainingStrategy.StepFigures f;
        try (NDManager scope = root.newSubManager()) {
            f = strategy.step(new StepContext(this, scope));
        }
        step++;
        double seconds = (System.nanoTime() - started) / 1e9;
        StepRecord record = new StepRecord(step, epoch, f.lossD(), f.lossG(), f.dReal(), f.dFake(),
                f.realImages() / seconds, seconds);
        if (!Double.isFinite(record.lossD()) || !Double.isFinite(record.lossG())) {
            throw new GanymedeException("training diverged at step " + step + ": loss D = " + record.lossD()
                    + ", loss G = " + record.lossG() + " (try a lower learning rate or a stabler loss)");
        }
        history.add(record);
        for (TrainingListener l : listeners) {
            l.onStep(this, record);
        }
        int nowCompleted = (int) (batchesConsumed / batchesPerEpoch());
        while (completedEpochs < nowCompleted) {
            completedEpochs++;
            for (TrainingListener l : listeners) {
                l.onEpochEnd(this, completedEpochs);
            }
        }
    }

    @Override
    public void close() {
        if (loader != null) {
            loader.close();
        }
        generatorOptimizer.close();
        discriminatorOptimizer.close();
        for (Stabiliser s : stabilisers) {
            s.close();
        }
        root.close();
    }

    /** Settings of a trainer; optimisers default to the DCGAN paper's Adam(2e-4, β = (0.5, 0.999)). */
    public static final class Builder {
        private final Gan gan;
        private final Dataset dataset;
        private int batchSize = 64;
        private int discriminatorSteps = 1;
        private boolean reuseFakes = true;
        private long seed = 1;
        private Optimizer generatorOptimizer;
        private Optimizer discriminatorOptimizer;
        private TrainingStrategy strategy = new AlternatingUpdates();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final List<Stabiliser> stabilisers = new ArrayList<>();

        private Builder(Gan gan, Dataset dataset) {
            this.gan = gan;
            this.dataset = dataset;
        }

        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /** Discriminator (critic) updates per generator update: 5 for WGAN. */
        public Builder discriminatorSteps(int steps) {
            this.discriminatorSteps = steps;
            return this;
        }

        /** Reuse the last discriminator step's fakes for the generator step (true) or draw fresh noise (false). */
        public Builder reuseFakes(boolean reuse) {
            this.reuseFakes = reuse;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder generatorOptimizer(Optimizer optimizer) {
            this.generatorOptimizer = optimizer;
            return this;
        }

        public Builder discriminatorOptimizer(Optimizer optimizer) {
            this.discriminatorOptimizer = optimizer;
            return this;
        }

        public Builder strategy(TrainingStrategy value) {
            this.strategy = value;
            return this;
        }

        /** Adds a stabiliser; several compose in the order they are added. */
        public Builder stabiliser(Stabiliser value) {
            stabilisers.add(value);
            return this;
        }

        public Builder stabilisers(List<? extends Stabiliser> values) {
            stabilisers.addAll(values);
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        public Trainer build() {
            if (generatorOptimizer == null) {
                generatorOptimizer = dev.ganymede.engine.optim.Adam.of(2e-4).betas(0.5, 0.999);
            }
            if (discriminatorOptimizer == null) {
                discriminatorOptimizer = dev.ganymede.engine.optim.Adam.of(2e-4).betas(0.5, 0.999);
            }
            if (generatorOptimizer == discriminatorOptimizer) {
                throw new IllegalArgumentException("the generator and the discriminator need optimisers of their own");
            }
            return new Trainer(this);
        }
    }
}
