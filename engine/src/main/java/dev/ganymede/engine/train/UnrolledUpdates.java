package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.optim.Optimizer;
import java.util.List;

/**
 * Unrolled GAN (Metz et al. 2017): after its own update, the discriminator takes k more
 * look-ahead updates on the same real batch and noise; the generator is updated against that
 * unrolled discriminator; then the discriminator and its optimiser state are put back as they
 * were before the look-ahead.
 *
 * <p>Seed 001's version never changed its copy (its optimiser held the original's parameters);
 * here the look-ahead updates really move the discriminator. The generator's gradient is the
 * first-order one: it is taken at the unrolled discriminator, not differentiated through the k
 * updates (the paper's second-order term is left out, as in the common PyTorch ports).
 * Stabilisers see the look-ahead updates as such ({@link StepContext#isLookAhead()}): a replay
 * pool shows its fakes to them but keeps none of theirs.
 */
public final class UnrolledUpdates extends AlternatingUpdates {

    private final int unrollSteps;

    public UnrolledUpdates(int unrollSteps) {
        if (unrollSteps < 1) {
            throw new IllegalArgumentException("an unrolled GAN needs at least 1 look-ahead step, got " + unrollSteps);
        }
        this.unrollSteps = unrollSteps;
    }

    public int unrollSteps() {
        return unrollSteps;
    }

    @Override
    public String describe() {
        return "unrolled updates, " + unrollSteps + " look-ahead discriminator steps";
    }

    @Override
    protected double beforeAndAfterGenerator(StepContext c, DiscriminatorRound last) {
        Network d = c.gan().discriminator();
        Optimizer dOptimizer = c.discriminatorOptimizer();
        List<NDArray> weights = d.snapshot(c.scope());
        Optimizer.Snapshot moments = dOptimizer.snapshot(c.scope());
        try {
            c.lookAhead(true);
            try {
                for (int i = 0; i < unrollSteps; i++) {
                    discriminatorUpdate(c, last.real(), last.noise(), last.fake(), last.fakeLabels());
                }
            } finally {
                c.lookAhead(false);
            }
            return generatorUpdate(c, last);
        } finally {
            d.restore(weights);
            dOptimizer.restore(moments);
        }
    }
}
