package dev.ganymede.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.Backend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built network: its layers, per-sample input and output shapes, and parameters living in a
 * native memory scope of their own. Parameter keys follow PyTorch's state_dict ("3.weight").
 */
public final class Network implements AutoCloseable {

    private final String name;
    private final Sequential body;
    private final Shape inputShape;
    private final Shape outputShape;
    private final NDManager manager;
    private final Map<String, Parameter> parameters;

    Network(String name, Sequential body, Shape inputShape, NDManager manager, Initializer init) {
        this.name = name;
        this.body = body;
        this.inputShape = inputShape;
        try {
            this.outputShape = body.build(inputShape);
        } catch (ShapeException e) {
            manager.close();
            throw new ShapeException("in " + name + ": " + e.getMessage());
        }
        this.manager = manager;
        this.parameters = new LinkedHashMap<>();
        collect("", body, parameters);
        for (Parameter p : parameters.values()) {
            // a buffer with a start of its own (spectral norm's unit vectors) ignores the network's scheme
            NDArray value = (p.ownInitializer() != null ? p.ownInitializer() : init).initialValue(p, manager);
            p.setValue(value);
            if (p.trainable()) {
                value.setRequiresGradient(true);
            }
        }
    }

    private static void collect(String prefix, Layer layer, Map<String, Parameter> into) {
        for (Parameter p : layer.ownParameters()) {
            into.put(prefix + p.name(), p);
        }
        List<Layer> children = layer.children();
        for (int i = 0; i < children.size(); i++) {
            collect(prefix + i + ".", children.get(i), into);
        }
    }

    /** Starts a network description; the input shape is per sample, without the batch axis. */
    public static NetworkBuilder builder(String name) {
        return new NetworkBuilder(name);
    }

    public String name() {
        return name;
    }

    public Sequential body() {
        return body;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        return outputShape;
    }

    public Device device() {
        return manager.getDevice();
    }

    public NDManager manager() {
        return manager;
    }

    /** Runs the network on a batch (first axis = batch). */
    public NDArray forward(NDArray x, ForwardContext context) {
        Shape s = x.getShape();
        if (s.dimension() != inputShape.dimension() + 1 || !s.slice(1).equals(inputShape)) {
            throw new ShapeException(name + " expects batches of " + Shapes.withBatch(inputShape) + " but was given "
                    + s);
        }
        return body.forward(x, context);
    }

    /** Every parameter and buffer, keyed like a PyTorch state_dict. */
    public Map<String, Parameter> namedParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public List<Parameter> trainableParameters() {
        List<Parameter> list = new ArrayList<>();
        for (Parameter p : parameters.values()) {
            if (p.trainable()) {
                list.add(p);
            }
        }
        return list;
    }

    /** Number of trainable values, as PyTorch's sum(p.numel() for p in parameters()) counts them. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : trainableParameters()) {
            n += p.size();
        }
        return n;
    }

    /** Turns gradient recording for this network's weights on or off (off: no weight gradients are computed). */
    public void setRequiresGradient(boolean requires) {
        for (Parameter p : trainableParameters()) {
            JniUtils.attachGradient(Torch.pt(p.value()), requires);
        }
    }

    /** Zeroes accumulated gradients; DJL never clears them itself. */
    public void zeroGradients() {
        for (Parameter p : trainableParameters()) {
            JniUtils.zeroGrad(Torch.pt(p.value()));
        }
    }

    /**
     * Runs the first {@code layerCount} top-level layers only: the intermediate features a
     * feature-matching generator loss compares.
     */
    public NDArray features(NDArray x, ForwardContext context, int layerCount) {
        List<Layer> layers = body.layers();
        if (layerCount < 1 || layerCount > layers.size()) {
            throw new IllegalArgumentException(name + " has " + layers.size() + " layers; cannot take features after "
                    + layerCount);
        }
        NDArray current = x;
        for (int i = 0; i < layerCount; i++) {
            current = layers.get(i).forward(current, context);
        }
        return current;
    }

    /**
     * The number of top-level layers before the last layer with weights: by default a
     * discriminator's features are everything up to its final classifier (and its activation).
     */
    public int featureLayerCount() {
        List<Layer> layers = body.layers();
        for (int i = layers.size() - 1; i > 0; i--) {
            if (hasParameters(layers.get(i))) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " has no weight layer after its first layer to take features before");
    }

    private static boolean hasParameters(Layer layer) {
        if (!layer.ownParameters().isEmpty()) {
            return true;
        }
        for (Layer child : layer.children()) {
            if (hasParameters(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies of every parameter and buffer, owned by {@code scope}; {@link #restore} puts them
     * back (unrolled GAN: the discriminator is reverted after its look-ahead steps).
     */
    public List<NDArray> snapshot(NDManager scope) {
        List<NDArray> copies = new ArrayList<>();
        try (Autograd.Recording paused = Autograd.pause()) {
            for (Parameter p : parameters.values()) {
                NDArray copy = p.value().duplicate();
                copy.attach(scope);
                copies.add(copy);
            }
        }
        return copies;
    }

    /** Writes a {@link #snapshot} back into the parameters, in place. */
    public void restore(List<NDArray> snapshot) {
        if (snapshot.size() != parameters.size()) {
            throw new IllegalArgumentException("snapshot of " + snapshot.size() + " arrays for " + parameters.size()
                    + " parameters of " + name);
        }
        int i = 0;
        try (Autograd.Recording paused = Autograd.pause()) {
            for (Parameter p : parameters.values()) {
                Torch.copyInto(snapshot.get(i++), p.value());
            }
        }
    }

    /** The layer table: layer, output shape, parameter count, with totals. */
    public ModelSummary summary() {
        return ModelSummary.of(this);
    }

    /** PyTorch-style module listing. */
    @Override
    public String toString() {
        return body.describe();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Creates the parameter scope of a new network on a device. */
    static NDManager newParameterScope(Device device) {
        return Backend.engine().newBaseManager(device);
    }
}
