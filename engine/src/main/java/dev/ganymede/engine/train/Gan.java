package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.loss.AdversarialLoss;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.ForwardContext;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.ShapeException;
import dev.ganymede.engine.nn.Shapes;

/**
 * The two players and what connects them: the latent noise the generator reads, the loss they
 * play, and the number of classes when the game is conditional. Building a Gan checks the whole
 * pipeline noise → G → D before any training.
 */
public final class Gan implements AutoCloseable {

    private final Network generator;
    private final Network discriminator;
    private final LatentNoise latent;
    private final AdversarialLoss loss;
    private final int numClasses;
    private SamplingWeights samplingWeights;

    public Gan(Network generator, Network discriminator, LatentNoise latent, AdversarialLoss loss, int numClasses) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.latent = latent;
        this.loss = loss;
        this.numClasses = numClasses;
        if (!generator.inputShape().equals(latent.shape())) {
            throw new ShapeException("the generator takes " + Shapes.format(generator.inputShape())
                    + " but the latent noise is " + Shapes.format(latent.shape()));
        }
        if (!generator.outputShape().equals(discriminator.inputShape())) {
            throw new ShapeException("the generator produces " + Shapes.format(generator.outputShape())
                    + " but the discriminator takes " + Shapes.format(discriminator.inputShape()));
        }
    }

    public Network generator() {
        return generator;
    }

    public Network discriminator() {
        return discriminator;
    }

    public LatentNoise latent() {
        return latent;
    }

    public AdversarialLoss loss() {
        return loss;
    }

    /** Number of classes of a conditional GAN, 0 when unconditional. */
    public int numClasses() {
        return numClasses;
    }

    public boolean isConditional() {
        return numClasses > 0;
    }

    /** Generated samples shape, per sample. */
    public Shape sampleShape() {
        return generator.outputShape();
    }

    /**
     * Draws samples in evaluation mode (BatchNorm running statistics, no Dropout) without
     * recording gradients, from given noise and labels (labels null when unconditional).
     */
    public float[] generate(float[] noise, int[] labels, int count, NDManager parent) {
        return withSamplingWeights(() -> generateWithCurrentWeights(noise, labels, count, parent));
    }

    /**
     * Sets the weights samples are drawn with (an average of the generator's weights); null for
     * the trained weights themselves.
     */
    public void useSamplingWeights(SamplingWeights weights) {
        this.samplingWeights = weights;
    }

    /** The weights samples are drawn with, or null for the trained ones. */
    SamplingWeights samplingWeights() {
        return samplingWeights;
    }

    /** Samples come from the trained weights again if they came from {@code weights} (a dropped average). */
    public void stopSamplingWith(SamplingWeights weights) {
        if (samplingWeights == weights) {
            samplingWeights = null;
        }
    }

    /** True when samples come from averaged weights rather than the trained ones. */
    public boolean samplesWithAveragedWeights() {
        return samplingWeights != null;
    }

    /** Runs {@code action} with the generator holding its sampling weights (saving, sampling). */
    public <T> T withSamplingWeights(java.util.function.Supplier<T> action) {
        return samplingWeights == null ? action.get() : samplingWeights.apply(action);
    }

    private float[] generateWithCurrentWeights(float[] noise, int[] labels, int count, NDManager parent) {
        try (NDManager scope = parent.newSubManager(generator.device());
                Autograd.Recording paused = Autograd.pause()) {
            NDArray z = scope.create(noise, Shapes.batched(count, latent.shape()));
            NDArray y = labels == null ? null : scope.create(labels).toType(DataType.INT64, false);
            return generator.forward(z, new ForwardContext(scope, false, y)).toFloatArray();
        }
    }

    @Override
    public void close() {
        generator.close();
        discriminator.close();
    }
}
