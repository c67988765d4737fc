package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.InputGradient;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.Parameter;
import dev.ganymede.engine.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Unrolled GAN (Metz et al. 2017): after its own update, the discriminator takes k more
 * look-ahead updates on the same real batch and noise; the generator is updated against that
 * unrolled discriminator; then the discriminator and its optimiser state are put back as they
 * were before the look-ahead.
 *
 * <p>Seed 001's version never changed its copy (its optimiser held the original's parameters);
 * here the look-ahead updates really move the discriminator. Two forms of the generator's gradient:
 * <ul>
 *   <li>first order (the default, as the common PyTorch ports): the gradient is taken at the
 *       unrolled discriminator, whose weights are constants;
 *   <li>second order ({@link #secondOrder}, the paper's): the look-ahead updates are recorded, each
 *       a differentiable function of the weights before it and of the fakes, so the gradient also
 *       flows through how the discriminator would react to the generator over the k steps (the
 *       paper's dθ_D^k/dθ_G term, which it credits with resisting mode collapse). Each look-ahead
 *       gradient is {@code autograd.grad(loss, weights, create_graph=True)}, and the optimiser's
 *       update is replayed as recorded operations ({@link Optimizer#lookAhead}).
 * </ul>
 * Stabilisers see the look-ahead updates as such ({@link StepContext#isLookAhead()}): a replay
 * pool shows its fakes to them but keeps none of theirs.
 */
public final class UnrolledUpdates extends AlternatingUpdates {

    private final int unrollSteps;
    private final boolean secondOrder;

    /** First-order unrolling over {@code unrollSteps} look-ahead steps. */
    public UnrolledUpdates(int unrollSteps) {
        this(unrollSteps, false);
    }

    private UnrolledUpdates(int unrollSteps, boolean secondOrder) {
        if (unrollSteps < 1) {
            throw new IllegalArgumentException("an unrolled GAN needs at least 1 look-ahead step, got " + unrollSteps);
        }
        this.unrollSteps = unrollSteps;
        this.secondOrder = secondOrder;
    }

    /** The paper's unrolling: the generator's gradient is differentiated through the {@code unrollSteps} updates. */
    public static UnrolledUpdates secondOrder(int unrollSteps) {
        return new UnrolledUpdates(unrollSteps, true);
    }

    public int unrollSteps() {
        return unrollSteps;
    }

    public boolean isSecondOrder() {
        return secondOrder;
    }

    @Override
    public String describe() {
        return "unrolled updates, " + unrollSteps + " look-ahead discriminator steps"
                + (secondOrder ? ", generator gradient through them (second order)" : "");
    }

    @Override
    public void check(Trainer trainer) {
        super.check(trainer);
        if (secondOrder) {
            String refusal = secondOrderRefusal(trainer.discriminatorOptimizer(), trainer.stabilisers());
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
        }
    }

    /**
     * Why second-order unrolling cannot train with this discriminator optimiser and these
     * stabilisers, or null when it can: the optimiser must have a recorded update and clip no
     * gradient, and no stabiliser may edit the weights in place.
     */
    public static String secondOrderRefusal(Optimizer discriminatorOptimizer, List<Stabiliser> stabilisers) {
        String refusal = discriminatorOptimizer.lookAheadRefusal();
        if (refusal != null) {
            return refusal;
        }
        for (Stabiliser s : stabilisers) {
            if (s.editsDiscriminatorWeights()) {
                return "second-order unrolling cannot follow " + s.describe()
                        + ": it changes the weights in place after each update (use first-order unrolling)";
            }
        }
        return null;
    }

    @Override
    protected double beforeAndAfterGenerator(StepContext c, DiscriminatorRound last) {
        Network d = c.gan().discriminator();
        if (secondOrder) {
            List<NDArray> buffers = d.snapshot(c.scope());
            try {
                double lossG = secondOrderGradients(c, last);
                applyGeneratorUpdate(c);
                return lossG;
            } finally {
                d.restore(buffers); // batch-norm statistics and power-iteration vectors moved by the look-ahead
            }
        }
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

    /**
     * Fills the generator's gradients through k recorded look-ahead updates. The discriminator's own
     * tensors never change: each look-ahead computes with weights put in their place
     * ({@link Parameter#exchange}), w + ε with ε a zero vector whose gradient is the loss's gradient
     * with respect to w (DJL has no autograd.grad for a list of tensors; one flat ε needs one call).
     */
    private double secondOrderGradients(StepContext c, DiscriminatorRound last) {
        Gan gan = c.gan();
        Network g = gan.generator();
        Network d = gan.discriminator();
        List<Parameter> parameters = d.trainableParameters();
        List<NDArray> own = new ArrayList<>(parameters.size());
        long[] cuts = new long[parameters.size() - 1];
        long total = 0;
        for (int i = 0; i < parameters.size(); i++) {
            own.add(parameters.get(i).value());
            total += parameters.get(i).size();
            if (i < cuts.length) {
                cuts[i] = total;
            }
        }
        Optimizer.LookAhead updates = c.discriminatorOptimizer().lookAhead(parameters);
        d.setRequiresGradient(false); // the gradients wanted flow through ε, not into the weights
        try (Autograd.Recording rec = Autograd.record()) {
            // the look-ahead must see fakes that depend on the generator
            NDArray fake = c.settings().reuseFakes() ? last.fake()
                    : g.forward(last.noise(), c.training(last.fakeLabels()));
            List<NDArray> weights = own;
            c.lookAhead(true);
            try {
                for (int k = 0; k < unrollSteps; k++) {
                    NDArray eps = c.scope().zeros(new Shape(total), own.get(0).getDataType(), own.get(0).getDevice());
                    eps.setRequiresGradient(true);
                    List<NDArray> shifted = plus(weights, pieces(eps, cuts, parameters), c);
                    exchange(parameters, shifted);
                    NDArray lossD = discriminatorLoss(c, last.real(), fake, last.fakeLabels()).loss();
                    NDArray grad = InputGradient.of(lossD, eps, c.scope());
                    weights = updates.step(shifted, pieces(grad, cuts, parameters), c.scope());
                }
            } finally {
                c.lookAhead(false);
            }
            exchange(parameters, weights);
            NDArray lossG = generatorLoss(c, last.real(), fake, last.fakeLabels());
            g.zeroGradients();
            Autograd.backward(lossG);
            return lossG.getFloat();
        } finally {
            exchange(parameters, own);
            d.setRequiresGradient(true);
        }
    }

    /** The flat vector cut into one piece per parameter, each in its parameter's shape. */
    private static List<NDArray> pieces(NDArray flat, long[] cuts, List<Parameter> parameters) {
        NDList split = cuts.length == 0 ? new NDList(flat) : flat.split(cuts);
        List<NDArray> out = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            NDArray piece = split.get(i).reshape(parameters.get(i).shape());
            piece.attach(flat.getManager());
            out.add(piece);
        }
        return out;
    }

    private static List<NDArray> plus(List<NDArray> weights, List<NDArray> shifts, StepContext c) {
        List<NDArray> out = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            NDArray sum = shifts.get(i).add(weights.get(i));
            sum.attach(c.scope());
            out.add(sum);
        }
        return out;
    }

    private static void exchange(List<Parameter> parameters, List<NDArray> values) {
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).exchange(values.get(i));
        }
    }
}
