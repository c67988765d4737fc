package dev.ganymede.engine.train;

/**
 * Simultaneous gradient descent: both players' gradients are taken on one batch at the same
 * weights, then both are applied. The generator's gradient is computed against the discriminator
 * as it was before this step's update, where {@link AlternatingUpdates} lets the generator answer
 * the discriminator just updated.
 *
 * <p>This is the update of ALI's training algorithm (Dumoulin et al. 2017), which the PacGAN
 * authors' 2-D mixture code uses. With {@code k > 1} discriminator steps the first {@code k - 1}
 * are plain discriminator updates and the last one is taken together with the generator's.
 */
public final class SimultaneousUpdates extends AlternatingUpdates {

    @Override
    public String describe() {
        return "simultaneous updates";
    }

    @Override
    public StepFigures step(StepContext c) {
        int k = c.settings().discriminatorSteps();
        for (int i = 0; i < k - 1; i++) {
            Batches b = drawBatches(c, false);
            discriminatorUpdate(c, b.real(), b.noise(), b.fake(), b.fakeLabels());
        }
        Batches b = drawBatches(c, c.settings().reuseFakes());
        // the generator's gradient first, while the discriminator still has this step's weights
        double lossG = generatorGradients(c, b.real(), b.fake(), b.fakeLabels());
        DiscriminatorRound d = discriminatorUpdate(c, b.real(), b.noise(), b.fake(), b.fakeLabels());
        applyGeneratorUpdate(c);
        return new StepFigures(d.loss(), lossG, d.dReal(), d.dFake(), c.realImages());
    }
}
