package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.data.DataLoader;
import dev.ganymede.engine.data.HostBatch;
import dev.ganymede.engine.nn.ForwardContext;
import dev.ganymede.engine.optim.Optimizer;

/**
 * Everything a strategy may use during one step: the step's memory scope (freed when the step
 * ends), real batches, noise, the networks' optimisers and the training settings.
 */
public final class StepContext {

    /** A real batch on the device, with its labels (null when unlabelled). */
    public record RealBatch(NDArray images, NDArray labels, int size) {}

    private final Trainer trainer;
    private final NDManager scope;
    private int realImages;
    private boolean lookAhead;

    StepContext(Trainer trainer, NDManager scope) {
        this.trainer = trainer;
        this.scope = scope;
    }

    public Gan gan() {
        return trainer.gan();
    }

    public NDManager scope() {
        return scope;
    }

    public Optimizer generatorOptimizer() {
        return trainer.generatorOptimizer();
    }

    public Optimizer discriminatorOptimizer() {
        return trainer.discriminatorOptimizer();
    }

    public TrainingSettings settings() {
        return trainer.settings();
    }

    /** The number of this step, counting from 1 (generator updates). */
    public long stepNumber() {
        return trainer.step() + 1;
    }

    /** The stabilisers in use, in declaration order. */
    public java.util.List<Stabiliser> stabilisers() {
        return trainer.stabilisers();
    }

    /** Host-side randomness of the step, seeded by the run's seed and the step (sample selection, not tensors). */
    public java.util.Random random() {
        return trainer.random();
    }

    /** Draws the next real batch from the data loader and copies it to the device. */
    public RealBatch nextRealBatch() {
        DataLoader loader = trainer.loader();
        HostBatch batch = loader.next();
        trainer.countBatch();
        Shape shape = new Shape(prepend(batch.size(), loader.dataset().sampleShape().getShape()));
        NDArray images = scope.create(batch.data(), shape);
        NDArray labels = null;
        if (batch.labels() != null && gan().isConditional()) {
            labels = scope.create(batch.labels()).toType(DataType.INT64, false);
        }
        realImages += batch.size();
        return new RealBatch(images, labels, batch.size());
    }

    private static long[] prepend(long first, long[] rest) {
        long[] dims = new long[rest.length + 1];
        dims[0] = first;
        System.arraycopy(rest, 0, dims, 1, rest.length);
        return dims;
    }

    /** A batch of latent noise. */
    public NDArray noise(long batch) {
        return gan().latent().sample(scope, batch);
    }

    /** Random class labels for generated samples of a conditional GAN; null when unconditional. */
    public NDArray fakeLabels(long batch) {
        if (!gan().isConditional()) {
            return null;
        }
        return scope.randomInteger(0, gan().numClasses(), new Shape(batch), DataType.INT64);
    }

    /** A training-mode forward context carrying {@code labels}. */
    public ForwardContext training(NDArray labels) {
        return new ForwardContext(scope, true, labels);
    }

    int realImages() {
        return realImages;
    }

    /**
     * Whether the discriminator update under way is a look-ahead that will be undone (the unrolled
     * GAN's): a stabiliser with state of its own, such as a replay pool, must not keep what such an
     * update would change in it.
     */
    public boolean isLookAhead() {
        return lookAhead;
    }

    void lookAhead(boolean on) {
        lookAhead = on;
    }
}
