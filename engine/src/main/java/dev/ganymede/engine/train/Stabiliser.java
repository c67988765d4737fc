package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Network;

/**
 * A technique that changes one part of the alternating step without replacing the loop: what the
 * discriminator sees (instance noise, replayed fakes), its outputs (label flipping), an extra
 * term of its loss (gradient penalties), or what happens after an update (weight clipping, an
 * average of the generator's weights). Stabilisers compose with any loss and with each other, in
 * the order they are declared.
 */
public interface Stabiliser extends AutoCloseable {

    /** One line for summaries and run provenance, with every setting. */
    String describe();

    /** Called by the trainer once, before its first step: check compatibility, allocate state. */
    default void attach(Trainer trainer) {}

    /** The fake batch the discriminator step trains on (experience replay swaps in older fakes). */
    default LabelledBatch discriminatorFakes(LabelledBatch fakes, StepContext context) {
        return fakes;
    }

    /** Any batch on its way into the discriminator, real or fake, in both steps (instance noise). */
    default NDArray discriminatorInput(NDArray batch, StepContext context) {
        return batch;
    }

    /** The discriminator's outputs as its loss will read them (label flipping swaps some). */
    default DiscriminatorOutputs discriminatorOutputs(DiscriminatorOutputs outputs, StepContext context) {
        return outputs;
    }

    /**
     * An extra term of the discriminator's loss, or null. {@code real} and {@code fake} are the
     * batches exactly as the discriminator saw them.
     */
    default NDArray discriminatorPenalty(Network discriminator, LabelledBatch real, LabelledBatch fake,
            StepContext context) {
        return null;
    }

    /** After the discriminator's optimiser step (weight clipping). */
    default void afterDiscriminatorUpdate(Network discriminator, StepContext context) {}

    /**
     * Whether {@link #afterDiscriminatorUpdate} changes the weights in place (weight clipping): a
     * second-order unrolled GAN, whose look-ahead weights are recorded results, cannot follow that.
     */
    default boolean editsDiscriminatorWeights() {
        return false;
    }

    /** After the generator's optimiser step (weight averaging). */
    default void afterGeneratorUpdate(Gan gan, StepContext context) {}

    /**
     * The tensors this stabiliser carries from step to step (an average of weights, a pool of
     * fakes), by name, for a checkpoint; none by default. The arrays are its own, to save, not to keep.
     */
    default java.util.Map<String, NDArray> state() {
        return java.util.Map.of();
    }

    /**
     * Puts back what {@link #state} gave, read from a checkpoint after {@link #attach}: the arrays
     * are copied (callers close theirs). The names are those {@link #state} uses.
     */
    default void restoreState(java.util.Map<String, NDArray> saved) {}

    @Override
    default void close() {}

    /** A batch of samples with their class labels (null when unconditional). */
    record LabelledBatch(NDArray samples, NDArray labels) {}

    /** The discriminator's outputs on a real and a fake batch. */
    record DiscriminatorOutputs(NDArray real, NDArray fake) {}
}
