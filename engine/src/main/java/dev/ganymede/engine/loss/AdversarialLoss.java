package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.nn.Torch;

/**
 * The two sides of a GAN objective, each a quantity to minimise: the discriminator's loss on its
 * outputs for real and generated batches, and the generator's loss on D's output for generated
 * samples. Any new divergence plugs into the training loop by implementing this pair.
 */
public interface AdversarialLoss {

    /** A short name: "bce", "bce-logits", "wasserstein", ... */
    String name();

    /** Both sides' formulas in one line, with this loss's settings: what `gan check` and help print. */
    default String describe() {
        return name();
    }

    /** Loss the discriminator minimises, from D(x) and D(G(z)) (fakes already detached). */
    NDArray discriminatorLoss(NDArray dReal, NDArray dFake);

    /** Loss the generator minimises, from D(G(z)). */
    NDArray generatorLoss(NDArray dFake);

    /** What D's outputs are, for reporting mean D(x) and D(G(z)). */
    OutputKind outputKind();

    /** The mean of D's outputs as reported: a probability for probability-type losses. */
    default double reportedMean(NDArray dOutput) {
        switch (outputKind()) {
            case LOGIT:
                return JniUtils.sigmoid(Torch.pt(dOutput)).mean().getFloat();
            default:
                return dOutput.mean().getFloat();
        }
    }
}
