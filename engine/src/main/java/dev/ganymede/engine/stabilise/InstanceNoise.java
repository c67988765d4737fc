package dev.ganymede.engine.stabilise;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.train.Stabiliser;
import dev.ganymede.engine.train.StepContext;
import dev.ganymede.engine.train.Trainer;

/**
 * Instance noise (Sønderby et al. 2016; seed 001 ch. 4.8): Gaussian noise added to every batch the
 * discriminator sees, real and generated, in both steps, so the two distributions overlap. Its
 * standard deviation falls linearly from {@code std} to 0 over {@code annealSteps} steps (0: kept
 * constant, as in the seed), or over a number of epochs, turned into steps by the trainer it is
 * attached to.
 */
public final class InstanceNoise implements Stabiliser {

    private final double std;
    private long annealSteps;
    private final long annealEpochs;

    public InstanceNoise(double std, long annealSteps) {
        this(std, annealSteps, 0);
    }

    private InstanceNoise(double std, long annealSteps, int annealEpochs) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("instance noise needs a positive standard deviation, got " + std);
        }
        if (annealSteps < 0) {
            throw new IllegalArgumentException("the annealing length cannot be negative, got " + annealSteps);
        }
        if (annealEpochs < 0) {
            throw new IllegalArgumentException("the annealing length cannot be negative, got " + annealEpochs + " epochs");
        }
        this.std = std;
        this.annealSteps = annealSteps;
        this.annealEpochs = annealEpochs;
    }

    /** Noise annealed to 0 over {@code epochs} epochs of the trainer it is attached to. */
    public static InstanceNoise annealedOverEpochs(double std, int epochs) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("the annealing length must be at least one epoch, got " + epochs);
        }
        return new InstanceNoise(std, 0, epochs);
    }

    @Override
    public void attach(Trainer trainer) {
        if (annealEpochs > 0) {
            annealSteps = annealEpochs * trainer.stepsPerEpoch();
        }
    }

    /** The noise's standard deviation at a step (counted from 1). */
    public double stdAt(long step) {
        if (annealSteps == 0) {
            return std;
        }
        return std * Math.max(0, 1 - (double) (step - 1) / annealSteps);
    }

    @Override
    public String describe() {
        if (annealSteps == 0 && annealEpochs > 0) { // not attached yet: its length in steps is not known
            return "instance noise std " + std + ", annealed to 0 over " + annealEpochs + (annealEpochs == 1 ? " epoch" : " epochs");
        }
        return "instance noise std " + std + (annealSteps == 0 ? "" : ", annealed to 0 over " + annealSteps + " steps");
    }

    @Override
    public NDArray discriminatorInput(NDArray batch, StepContext c) {
        double sigma = stdAt(c.stepNumber());
        if (sigma == 0) {
            return batch;
        }
        NDArray noise = c.scope().randomNormal(0f, (float) sigma, batch.getShape(), batch.getDataType(), batch.getDevice());
        NDArray noisy = batch.add(noise);
        noisy.attach(c.scope());
        return noisy;
    }
}
