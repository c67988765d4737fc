package dev.ganymede.engine.stabilise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.ganymede.engine.train.Stabiliser;
import dev.ganymede.engine.train.StepContext;

/**
 * Label flipping (seed 002's table of "common tricks"): in the discriminator's update, each pair of
 * outputs is swapped with probability p, so that sample is judged with the other label. Works
 * with any loss because it swaps outputs, not targets. The generator's update is untouched.
 */
public final class LabelFlipping implements Stabiliser {

    private final double probability;

    public LabelFlipping(double probability) {
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("the flip probability must be between 0 and 1, got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public String describe() {
        return "labels flipped with probability " + probability;
    }

    @Override
    public DiscriminatorOutputs discriminatorOutputs(DiscriminatorOutputs o, StepContext c) {
        if (!o.real().getShape().equals(o.fake().getShape())) {
            throw new IllegalStateException("label flipping needs as many real as fake outputs, got "
                    + o.real().getShape() + " and " + o.fake().getShape());
        }
        NDArray u = c.scope().randomUniform(0f, 1f, o.real().getShape(), o.real().getDataType(), o.real().getDevice());
        NDArray flip = u.lt(probability);
        flip.attach(c.scope());
        NDArray real = NDArrays.where(flip, o.fake(), o.real());
        NDArray fake = NDArrays.where(flip, o.real(), o.fake());
        real.attach(c.scope());
        fake.attach(c.scope());
        return new DiscriminatorOutputs(real, fake);
    }
}
