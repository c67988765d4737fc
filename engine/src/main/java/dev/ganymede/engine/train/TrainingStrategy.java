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

    /**
     * What the loss D and loss G columns of this strategy's records measure, for plots, progress
     * lines and reports, and whether its records hold D(x) and D(G(z)).
     */
    default RecordedFigures recordedFigures() {
        return RecordedFigures.ADVERSARIAL;
    }

    /** The figures a step reports; the trainer adds step, epoch and timing. */
    record StepFigures(double lossD, double lossG, double dReal, double dFake, int realImages) {}

    /**
     * The names of a strategy's two loss columns, and whether a discriminator judged anything
     * (false: D(x) and D(G(z)) are NaN and not plotted).
     */
    record RecordedFigures(String lossD, String lossG, boolean discriminatorOutputs) {
        /** A GAN's: "loss D", "loss G", with D(x) and D(G(z)). */
        public static final RecordedFigures ADVERSARIAL = new RecordedFigures("loss D", "loss G", true);

        /**
         * A record's two losses for progress lines: "loss D 0.6931 | loss G 0.6931" for a GAN; an
         * autoencoder's main term first, "reconstruction 0.1234 | KL 0.0567".
         */
        public String losses(dev.ganymede.engine.output.StepRecord r) {
            return discriminatorOutputs
                    ? String.format(java.util.Locale.ROOT, "%s %.4f | %s %.4f", lossD, r.lossD(), lossG, r.lossG())
                    : String.format(java.util.Locale.ROOT, "%s %.4f | %s %.4f", lossG, r.lossG(), lossD, r.lossD());
        }
    }
}
