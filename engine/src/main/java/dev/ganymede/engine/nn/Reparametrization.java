package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A parameter recomputed from its stored tensor in every forward pass, as PyTorch's
 * parametrizations do: spectral normalisation divides a weight by its largest singular value.
 * A layer does not know about it: it asks {@link ForwardContext#use} or {@link ForwardContext#value}
 * for the tensor to compute with, and gets the reparametrised one. Attach one with
 * {@link Layer#reparametrize} before the layer is built.
 */
public interface Reparametrization {

    /**
     * Binds to the parameter it rewrites, once the layer has declared it (its shape is known), and
     * returns the buffers it keeps: they become parameters of the layer, saved with the model.
     */
    List<Parameter> bind(Layer layer, Parameter target);

    /**
     * The tensor the layer computes with in this forward pass, made from {@code raw}, the
     * parameter's tensor already owned by the step's manager (so everything made from it is freed
     * with the step while autograd still reaches the parameter).
     */
    NDArray apply(NDArray raw, ForwardContext context);

    /** PyTorch's listing of the parametrisation module: "_SpectralNorm()". */
    String describe();

    /** A few words for summary tables: "spectral norm". */
    String summaryName();
}
