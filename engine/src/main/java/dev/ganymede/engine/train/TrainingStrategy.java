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

    /** Checks, when the trainer is built, that the strategy can train this GAN; throws if not. */
    default void check(Trainer trainer) {}

    /** One line for summaries and run provenance. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** The figures a step reports; the trainer adds step, epoch and timing. */
    record StepFigures(double lossD, double lossG, double dReal, double dFake, int realImages) {}
}
