package dev.ganymede.engine.train;

/**
 * What one training step does with the two players. The default alternates discriminator and
 * generator updates; variants (WGAN-GP, unrolled, packed, cycle, progressive...) are strategies or
 * hooks plugged into the one loop, not copies of it.
 */
@FunctionalInterface
public interface TrainingStrategy {

    /** Runs one step: any number of discriminator updates and one generator update. */
    StepFigures step(StepContext context);

    /** The figures a step reports; the trainer adds step, epoch and timing. */
    record StepFigures(double lossD, double lossG, double dReal, double dFake, int realImages) {}
}
