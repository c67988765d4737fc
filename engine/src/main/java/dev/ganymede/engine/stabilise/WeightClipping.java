package dev.ganymede.engine.stabilise;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.Parameter;
import dev.ganymede.engine.nn.Torch;
import dev.ganymede.engine.train.Stabiliser;
import dev.ganymede.engine.train.StepContext;

/**
 * The original WGAN's Lipschitz constraint (Arjovsky et al. 2017): after every critic update,
 * every critic weight is clamped to [-c, c] (c = 0.01). Only the critic is clipped, never the
 * generator.
 */
public final class WeightClipping implements Stabiliser {

    private final double limit;

    public WeightClipping(double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("weight clipping needs a positive limit, got " + limit);
        }
        this.limit = limit;
    }

    public double limit() {
        return limit;
    }

    @Override
    public String describe() {
        return "critic weights clipped to [-" + limit + ", " + limit + "]";
    }

    @Override
    public boolean editsDiscriminatorWeights() {
        return true;
    }

    @Override
    public void afterDiscriminatorUpdate(Network d, StepContext c) {
        try (Autograd.Recording paused = Autograd.pause()) {
            for (Parameter p : d.trainableParameters()) {
                NDArray clipped = p.value().clip(-limit, limit);
                clipped.attach(c.scope());
                Torch.copyInto(clipped, p.value());
            }
        }
    }
}
