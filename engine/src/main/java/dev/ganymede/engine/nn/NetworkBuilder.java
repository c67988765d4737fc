package dev.ganymede.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;

/**
 * Fluent description of a sequential network. Input channels and features are inferred from the
 * input shape, so a layer names only what it produces:
 *
 * <pre>{@code
 * Network g = Network.builder("generator").input(100)
 *     .linear(256 * 7 * 7).reshape(256, 7, 7)
 *     .add(new ConvTranspose2d(128, 4).stride(2).padding(1).bias(false)).batchNorm().relu()
 *     .add(new ConvTranspose2d(1, 4).stride(2).padding(1).bias(false)).tanh()
 *     .build(Device.cpu());
 * }</pre>
 */
public final class NetworkBuilder {

    private final String name;
    private final Sequential body = new Sequential();
    private Shape input;
    private Initializer init = Initializer.pytorch();

    NetworkBuilder(String name) {
        this.name = name;
    }

    /** Per-sample input shape, e.g. {@code input(100)} or {@code input(1, 28, 28)}. */
    public NetworkBuilder input(long... dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException(name + ": the input shape needs at least one dimension");
        }
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": input sizes must be positive, got " + java.util.Arrays.toString(dims));
            }
        }
        this.input = new Shape(dims);
        return this;
    }

    public NetworkBuilder input(Shape shape) {
        this.input = shape;
        return this;
    }

    public NetworkBuilder init(Initializer initializer) {
        this.init = initializer;
        return this;
    }

    public NetworkBuilder add(Layer layer) {
        body.add(layer);
        return this;
    }

    public NetworkBuilder linear(int outFeatures) {
        return add(new Linear(outFeatures));
    }

    public NetworkBuilder conv2d(int outChannels, int kernel, int stride, int padding) {
        return add(new Conv2d(outChannels, kernel).stride(stride).padding(padding));
    }

    public NetworkBuilder convTranspose2d(int outChannels, int kernel, int stride, int padding) {
        return add(new ConvTranspose2d(outChannels, kernel).stride(stride).padding(padding));
    }

    public NetworkBuilder batchNorm() {
        return add(new BatchNorm());
    }

    public NetworkBuilder dropout(double rate) {
        return add(new Dropout(rate));
    }

    public NetworkBuilder relu() {
        return add(Activation.relu());
    }

    public NetworkBuilder leakyRelu(double slope) {
        return add(Activation.leakyRelu(slope));
    }

    public NetworkBuilder tanh() {
        return add(Activation.tanh());
    }

    public NetworkBuilder sigmoid() {
        return add(Activation.sigmoid());
    }

    public NetworkBuilder flatten() {
        return add(Reshape.flatten());
    }

    public NetworkBuilder reshape(long... dims) {
        return add(Reshape.to(dims));
    }

    public NetworkBuilder upsample(int factor) {
        return add(new Upsample(factor, Upsample.Mode.NEAREST));
    }

    public NetworkBuilder oneHotLabel(int numClasses) {
        return add(LabelConcat.oneHot(numClasses));
    }

    public NetworkBuilder embeddedLabel(int numClasses, int dim) {
        return add(LabelConcat.embedding(numClasses, dim));
    }

    /** A maxout layer: a linear map to {@code outFeatures · pieces} values, then the largest of each group of {@code pieces}. */
    public NetworkBuilder maxout(int outFeatures, int pieces) {
        return add(new Maxout(outFeatures, pieces));
    }

    /** PacGAN's packing: {@code m} consecutive samples become one, concatenated along channels; the batch shrinks by m. */
    public NetworkBuilder pack(int m) {
        return add(new Pack(m));
    }

    /** Minibatch discrimination (Salimans et al.): appends, per sample, its closeness to the rest of the batch for each kernel. */
    public NetworkBuilder minibatchDiscrimination(int kernels, int kernelDims) {
        return add(new MinibatchDiscrimination(kernels, kernelDims));
    }

    /** ProGAN's minibatch standard deviation: one more feature (or feature map) holding the batch's mean deviation. */
    public NetworkBuilder minibatchStdDev() {
        return add(new MinibatchStdDev());
    }

    /** A lookup table of {@code numEmbeddings} learned vectors of {@code dim} values, indexed by the input. */
    public NetworkBuilder embedding(int numEmbeddings, int dim) {
        return add(new Embedding(numEmbeddings, dim));
    }

    /** Checks every shape and creates the parameters on a device. */
    public Network build(Device device) {
        if (input == null) {
            throw new ShapeException(name + " has no input shape: call input(...) first");
        }
        if (body.layers().isEmpty()) {
            throw new ShapeException(name + " has no layers");
        }
        checkPackingIsUnconditional();
        return new Network(name, body, input, Network.newParameterScope(device), init);
    }

    public Network build() {
        return build(Device.cpu());
    }

    /** A pack would hold m samples with m labels: PacGAN's packing of a conditional network is not supported. */
    private void checkPackingIsUnconditional() {
        Layer pack = null;
        Layer label = null;
        for (Layer layer : body.layers()) {
            if (layer instanceof Pack) {
                pack = layer;
            } else if (layer instanceof LabelConcat) {
                label = layer;
            }
        }
        if (pack != null && label != null) {
            throw new ShapeException(name + ": " + pack.describe() + where(pack) + " cannot be combined with the class"
                    + " label " + label.typeName() + where(label) + ": PacGAN packing of a conditional network is not supported");
        }
    }

    private static String where(Layer layer) {
        return layer.origin() == null ? "" : " (" + layer.origin() + ")";
    }
}
