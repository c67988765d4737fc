package dev.ganymede.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates a network's trainable parameters from their accumulated gradients, with PyTorch's
 * update rules. State (moments, momentum buffers) lives in the optimiser's own native scope, on
 * the parameters' device. Updates run outside autograd and in place.
 */
public abstract class Optimizer implements AutoCloseable {

    private double learningRate;
    private double baseLearningRate;
    private LrSchedule schedule = LrSchedule.constant();
    private NDManager stateScope;
    private final Map<Parameter, NDArray[]> state = new IdentityHashMap<>();
    private long steps;
    private NDManager stepScope;
    private GradientClipping clipping = GradientClipping.none();

    protected Optimizer(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(name() + " needs a positive learning rate, got " + learningRate);
        }
        this.learningRate = learningRate;
        this.baseLearningRate = learningRate;
    }

    /** PyTorch's class name: "Adam", "SGD", "RMSprop". */
    public abstract String name();

    /** A description with every setting, for summaries and run provenance. */
    public abstract String describe();

    /** Number of state tensors per parameter (Adam: 2). */
    protected abstract int stateSlots();

    /** Applies one update to {@code weight} from {@code grad}; {@code slots} are this parameter's state. */
    protected abstract void update(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr);

    /**
     * Called once per {@link #step} before the parameters are updated, outside autograd:
     * {@code scope} is where the step's temporaries go (an optimiser may put constants shared by
     * all parameters there).
     */
    protected void beginStep(long step, double lr, NDManager scope) {}

    /**
     * Moves an array made from a weight or a state tensor (whose results DJL gives to their own,
     * long-lived manager) into the current step's scope, so it is freed with the step.
     */
    protected final NDArray temporary(NDArray array) {
        array.attach(stepScope);
        return array;
    }

    /** Current learning rate (after the schedule). */
    public double learningRate() {
        return learningRate;
    }

    /** Sets the base learning rate (a REPL user changing it mid-run); the schedule scales from it. */
    public void setLearningRate(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        this.baseLearningRate = lr;
        this.learningRate = lr;
    }

    public Optimizer schedule(LrSchedule lrSchedule) {
        this.schedule = lrSchedule;
        return this;
    }

    public LrSchedule schedule() {
        return schedule;
    }

    /** Applies the schedule for a training step/epoch. */
    public void scheduleFor(long step, int epoch) {
        learningRate = baseLearningRate * schedule.factor(step, epoch);
    }

    /** Number of updates applied so far. */
    public long steps() {
        return steps;
    }

    /** Updates every trainable parameter of {@code network} that has a gradient; temporaries go to {@code scope}. */
    public void step(Network network, NDManager scope) {
        step(network.trainableParameters(), scope);
    }

    public void step(List<Parameter> parameters, NDManager scope) {
        steps++;
        try (Autograd.Recording paused = Autograd.pause()) {
            stepScope = scope;
            beginStep(steps, learningRate, scope);
            List<Parameter> updated = new ArrayList<>(parameters.size());
            List<NDArray> grads = new ArrayList<>(parameters.size());
            for (Parameter p : parameters) {
                NDArray grad = Autograd.gradient(p.value(), scope);
                if (grad != null) {
                    updated.add(p);
                    grads.add(grad);
                }
            }
            grads = clipping.apply(grads, scope);
            for (int i = 0; i < updated.size(); i++) {
                Parameter p = updated.get(i);
                update(p.value(), grads.get(i), slots(p), steps, learningRate);
            }
            if (steps % FLUSH_EVERY == 0) {
                for (Parameter p : updated) {
                    flushNegligible(slots(p));
                }
            }
        }
    }

    /** Updates between two {@link #flushNegligible} passes over the state. */
    static final int FLUSH_EVERY = 50;

    /**
     * State values below this are set to 0. An Adam moment of a weight whose gradient stays 0 (a
     * maxout piece never the largest) decays by β each update and would otherwise sink into
     * float32's subnormal range (below 1.2e-38), where CPU arithmetic is many times slower: a
     * mixture discriminator's Adam state was a fifth subnormal after 86,000 steps, and its steps
     * took 1.5 times as long. A state value below 1e-30 moves no weight of any use (an Adam step
     * divides it by at least eps, 1e-8). With a decay β of 0.8 or more a value above it shrinks at
     * most 0.8^50 = 1.4e-5 times in {@link #FLUSH_EVERY} updates, far above the subnormals; the
     * second moment (β2 0.999), which would stay subnormal for some 16,000 updates, never gets
     * there. PyTorch users get the like from torch.set_flush_denormal(True), which DJL does not expose.
     */
    static final float NEGLIGIBLE = 1e-30f;

    private static void flushNegligible(NDArray[] slots) {
        for (NDArray slot : slots) {
            try (NDArray magnitude = slot.abs(); NDArray kept = magnitude.gte(NEGLIGIBLE);
                 NDArray factor = kept.toType(slot.getDataType(), false)) {
                slot.muli(factor);
            }
        }
    }

    private NDArray[] slots(Parameter p) {
        return state.computeIfAbsent(p, key -> {
            if (stateScope == null) {
                stateScope = key.value().getManager().newSubManager();
            }
            NDArray[] s = new NDArray[stateSlots()];
            for (int i = 0; i < s.length; i++) {
                s[i] = stateScope.zeros(key.shape(), key.value().getDataType(), key.value().getDevice());
            }
            return s;
        });
    }

    /**
     * The update rule as recorded operations, out of place, for second-order unrolling: returns the
     * new weight followed by the new state slots, each a differentiable function of {@code weight},
     * {@code grad} and {@code slots}, which are left as they are. Throws when this optimiser has no
     * such form ({@link #hasRecordedUpdate} says whether it has).
     */
    protected NDArray[] recordedUpdate(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr, NDManager scope) {
        throw new UnsupportedOperationException(name() + " has no recorded update");
    }

    /** Whether this optimiser implements {@link #recordedUpdate}. */
    protected boolean hasRecordedUpdate() {
        return false;
    }

    /** Whether {@link #lookAhead} can run: the optimiser has a recorded form and clips no gradient. */
    public boolean supportsLookAhead() {
        return hasRecordedUpdate() && clipping.mode() == GradientClipping.Mode.NONE;
    }

    /** Why {@link #lookAhead} cannot run with this optimiser, or null when it can. */
    public String lookAheadRefusal() {
        if (supportsLookAhead()) {
            return null;
        }
        return "second-order unrolling replays the discriminator's optimiser as recorded operations, which "
                + describe() + (hasRecordedUpdate() ? " cannot do while it clips gradients" : " has not (Adam and SGD have)");
    }

    /**
     * Updates a copy of the parameters as {@link #step} would, differentiably (second-order unrolled
     * GAN): starting from this optimiser's state, each {@link LookAhead#step} maps weights and their
     * gradients to new weights through recorded operations, so a loss computed with the final weights
     * can be back-propagated through every update to whatever the gradients depended on. The
     * optimiser's own state and the parameters' tensors are not touched.
     */
    public LookAhead lookAhead(List<Parameter> parameters) {
        String refusal = lookAheadRefusal();
        if (refusal != null) {
            throw new UnsupportedOperationException(refusal);
        }
        List<NDArray[]> start = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            start.add(slots(p));
        }
        return new LookAhead(start, steps, learningRate);
    }

    /** A run of differentiable updates from an optimiser's state: see {@link #lookAhead}. */
    public final class LookAhead {
        private List<NDArray[]> slots;
        private long updates;
        private final double lr;

        private LookAhead(List<NDArray[]> slots, long updates, double lr) {
            this.slots = slots;
            this.updates = updates;
            this.lr = lr;
        }

        /** The weights after one more update from {@code grads}; results and temporaries are owned by {@code scope}. */
        public List<NDArray> step(List<NDArray> weights, List<NDArray> grads, NDManager scope) {
            updates++;
            List<NDArray> next = new ArrayList<>(weights.size());
            List<NDArray[]> nextSlots = new ArrayList<>(weights.size());
            for (int i = 0; i < weights.size(); i++) {
                NDArray[] r = recordedUpdate(weights.get(i), grads.get(i), slots.get(i), updates, lr, scope);
                next.add(r[0]);
                nextSlots.add(Arrays.copyOfRange(r, 1, r.length));
            }
            slots = nextSlots;
            return next;
        }
    }

    /** Clips gradients before every update (by value or by global norm); see {@link GradientClipping}. */
    public Optimizer clipGradients(GradientClipping value) {
        this.clipping = value;
        return this;
    }

    public GradientClipping gradientClipping() {
        return clipping;
    }

    /** Copies of the optimiser's state (moments, step count), owned by {@code scope}. */
    public Snapshot snapshot(NDManager scope) {
        Map<Parameter, NDArray[]> copies = new IdentityHashMap<>();
        try (Autograd.Recording paused = Autograd.pause()) {
            for (Map.Entry<Parameter, NDArray[]> e : state.entrySet()) {
                NDArray[] slots = e.getValue();
                NDArray[] copy = new NDArray[slots.length];
                for (int i = 0; i < slots.length; i++) {
                    copy[i] = slots[i].duplicate();
                    copy[i].attach(scope);
                }
                copies.put(e.getKey(), copy);
            }
        }
        return new Snapshot(copies, steps);
    }

    /**
     * Puts a {@link #snapshot} back, as if the updates since were never made. Parameters that got
     * their first update after the snapshot lose their state.
     */
    public void restore(Snapshot snapshot) {
        try (Autograd.Recording paused = Autograd.pause()) {
            state.entrySet().removeIf(e -> {
                NDArray[] saved = snapshot.state().get(e.getKey());
                if (saved == null) {
                    for (NDArray a : e.getValue()) {
                        a.close();
                    }
                    return true;
                }
                for (int i = 0; i < saved.length; i++) {
                    dev.ganymede.engine.nn.Torch.copyInto(saved[i], e.getValue()[i]);
                }
                return false;
            });
        }
        steps = snapshot.steps();
    }

    /** An optimiser's state at one moment: see {@link #snapshot}. */
    public record Snapshot(Map<Parameter, NDArray[]> state, long steps) {}

    /** The state tensors of every parameter (for checkpoints). */
    public Map<Parameter, NDArray[]> state() {
        return state;
    }

    /** The learning rate before the schedule scales it (a REPL user may have changed it mid-run). */
    public double baseLearningRate() {
        return baseLearningRate;
    }

    /**
     * Loads state saved from an optimiser of the same kind (a checkpoint): each parameter's slots
     * are copied in, the update count and the base learning rate set. Parameters not in {@code saved}
     * start from zero state, as they would at their first update.
     */
    public void load(Map<Parameter, NDArray[]> saved, long updates, double baseRate) {
        try (Autograd.Recording paused = Autograd.pause()) {
            for (Map.Entry<Parameter, NDArray[]> e : saved.entrySet()) {
                NDArray[] slots = slots(e.getKey());
                if (e.getValue().length != slots.length) {
                    throw new IllegalArgumentException(name() + " keeps " + slots.length + " state tensors per parameter, "
                            + "the saved state of '" + e.getKey().name() + "' has " + e.getValue().length);
                }
                for (int i = 0; i < slots.length; i++) {
                    dev.ganymede.engine.nn.Torch.copyInto(e.getValue()[i], slots[i]);
                }
            }
        }
        steps = updates;
        setLearningRate(baseRate);
    }

    @Override
    public void close() {
        if (stateScope != null) {
            stateScope.close();
        }
        state.clear();
    }

    static String num(double v) {
        return Double.toString(v);
    }
}
