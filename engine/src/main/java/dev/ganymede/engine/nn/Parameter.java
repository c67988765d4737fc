package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A named tensor owned by a layer: a trainable weight, or a buffer such as BatchNorm's running
 * statistics. Fan-in and fan-out are recorded so initialisers can follow PyTorch's rules.
 */
public final class Parameter {

    /** What the tensor is for; initialisers decide by role. */
    public enum Role {
        WEIGHT,
        BIAS,
        GAMMA,
        BETA,
        EMBEDDING,
        RUNNING_MEAN,
        RUNNING_VAR,
        /** A buffer with its own fixed initial value (e.g. a power-iteration vector). */
        STATE
    }

    private final String name;
    private final Shape shape;
    private final Role role;
    private final int fanIn;
    private final int fanOut;
    private NDArray value;
    private Reparametrization reparametrization;
    private Initializer ownInitializer;

    public Parameter(String name, Shape shape, Role role, int fanIn, int fanOut) {
        this.name = name;
        this.shape = shape;
        this.role = role;
        this.fanIn = fanIn;
        this.fanOut = fanOut;
    }

    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    public Role role() {
        return role;
    }

    public int fanIn() {
        return fanIn;
    }

    public int fanOut() {
        return fanOut;
    }

    /** Trainable parameters get gradients and optimiser updates; buffers do not. */
    public boolean trainable() {
        return role != Role.RUNNING_MEAN && role != Role.RUNNING_VAR && role != Role.STATE;
    }

    public NDArray value() {
        if (value == null) {
            throw new IllegalStateException("parameter " + name + " is not initialised: build the network first");
        }
        return value;
    }

    /** Replaces the tensor (initialisation, loading). The previous tensor is closed. */
    public void setValue(NDArray newValue) {
        if (!newValue.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "parameter " + name + " has shape " + shape + " but the new value has " + newValue.getShape());
        }
        if (value != null && value != newValue) {
            value.close();
        }
        value = newValue;
        value.setName(name);
    }

    /**
     * Puts {@code other} in place of the current tensor and returns the previous one, open: the
     * caller owns it (swapping in averaged weights for sampling and back, without copies).
     */
    public NDArray exchange(NDArray other) {
        if (!other.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "parameter " + name + " has shape " + shape + " but the exchanged value has " + other.getShape());
        }
        NDArray previous = value();
        value = other;
        return previous;
    }

    /**
     * How layers compute with this parameter when it is reparametrised (spectral normalisation):
     * {@link ForwardContext#use} and {@link ForwardContext#value} apply it; null for a plain parameter.
     */
    public Reparametrization reparametrization() {
        return reparametrization;
    }

    void reparametrize(Reparametrization r) {
        if (reparametrization != null) {
            throw new IllegalStateException("parameter " + name + " is already reparametrised by " + reparametrization.describe());
        }
        this.reparametrization = r;
    }

    /** The initialiser this parameter always starts from, whatever the network's scheme, or null (the network's scheme decides). */
    public Initializer ownInitializer() {
        return ownInitializer;
    }

    /** Gives this parameter a fixed way to start (a buffer such as spectral norm's random unit vector). */
    public Parameter ownInitializer(Initializer initializer) {
        this.ownInitializer = initializer;
        return this;
    }

    public boolean isInitialised() {
        return value != null;
    }

    public long size() {
        return shape.size();
    }
}
