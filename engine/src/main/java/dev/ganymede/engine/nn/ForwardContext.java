package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What a forward pass needs beyond its input: the manager that owns the step's temporaries,
 * whether layers behave as in training (BatchNorm statistics, Dropout), and the class labels of
 * a conditional batch.
 */
public final class ForwardContext {

    private final NDManager manager;
    private final boolean training;
    private final NDArray labels;

    public ForwardContext(NDManager manager, boolean training, NDArray labels) {
        this.manager = manager;
        this.training = training;
        this.labels = labels;
    }

    public ForwardContext(NDManager manager, boolean training) {
        this(manager, training, null);
    }

    public NDManager manager() {
        return manager;
    }

    public boolean training() {
        return training;
    }

    /** Integer class labels of shape (batch), or null for an unconditional batch. */
    public NDArray labels() {
        return labels;
    }

    public ForwardContext withLabels(NDArray newLabels) {
        return new ForwardContext(manager, training, newLabels);
    }

    public ForwardContext withTraining(boolean isTraining) {
        return new ForwardContext(manager, isTraining, labels);
    }

    /**
     * A handle on the parameter's tensor owned by this step's manager, so that everything
     * computed from it is freed with the step (autograd still reaches the parameter). A
     * reparametrised parameter (spectral norm) comes out reparametrised for this pass.
     */
    public NDArray use(Parameter parameter) {
        NDArray view = parameter.value().reshape(parameter.shape());
        view.attach(manager);
        Reparametrization r = parameter.reparametrization();
        return r == null ? view : r.apply(view, this);
    }

    /**
     * The tensor to compute with where the op's result belongs to the input's manager anyway (the
     * input is the first operand): the parameter's own tensor, no view made, or, for a
     * reparametrised parameter, its value for this pass as {@link #use} makes it.
     */
    public NDArray value(Parameter parameter) {
        return parameter.reparametrization() == null ? parameter.value() : use(parameter);
    }

    /** Attaches an array made from parameters alone to this step's manager and returns it. */
    public NDArray own(NDArray array) {
        array.attach(manager);
        return array;
    }
}
