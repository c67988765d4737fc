package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A 2-D convolution with PyTorch's semantics: weight (out, in, k, k), output floor((n + 2p - k) / s) + 1. */
public final class Conv2d extends Layer {

    private final int outChannels;
    private final int kernel;
    private int stride = 1;
    private int padding;
    private boolean bias = true;
    private int inChannels;
    private Parameter weight;
    private Parameter biasParam;

    public Conv2d(int outChannels, int kernel) {
        if (outChannels <= 0 || kernel <= 0) {
            throw new IllegalArgumentException("Conv2d needs positive channels and kernel size, got " + outChannels + " and " + kernel);
        }
        this.outChannels = outChannels;
        this.kernel = kernel;
    }

    public Conv2d stride(int s) {
        if (s <= 0) {
            throw new IllegalArgumentException("Conv2d stride must be positive, got " + s);
        }
        this.stride = s;
        return this;
    }

    public Conv2d padding(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("Conv2d padding must not be negative, got " + p);
        }
        this.padding = p;
        return this;
    }

    public Conv2d bias(boolean withBias) {
        this.bias = withBias;
        return this;
    }

    /** Spectral normalisation of the weight (SNGAN), like torch.nn.utils.spectral_norm(layer): see {@link SpectralNorm}. */
    public Conv2d spectralNorm() {
        return SpectralNorm.of(this);
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    public String typeName() {
        return "Conv2d";
    }

    @Override
    public String describe() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel_size=(" + kernel + ", " + kernel + "), stride=("
                + stride + ", " + stride + ")" + (padding > 0 ? ", padding=(" + padding + ", " + padding + ")" : "")
                + (bias ? "" : ", bias=False") + ")";
    }

    static long convOut(long n, int k, int s, int p) {
        return Math.floorDiv(n + 2L * p - k, s) + 1;
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() != 3) {
            throw shapeError(input, "expects (channels, height, width)");
        }
        long h = convOut(input.get(1), kernel, stride, padding);
        long w = convOut(input.get(2), kernel, stride, padding);
        if (h <= 0 || w <= 0) {
            throw shapeError(input, "with kernel " + kernel + ", stride " + stride + ", padding " + padding
                    + " would produce an empty " + h + "x" + w + " map");
        }
        return new Shape(outChannels, h, w);
    }

    @Override
    protected void declareParameters(Shape input) {
        inChannels = (int) input.get(0);
        int fanIn = inChannels * kernel * kernel;
        int fanOut = outChannels * kernel * kernel;
        weight = declare("weight", new Shape(outChannels, inChannels, kernel, kernel), Parameter.Role.WEIGHT, fanIn, fanOut);
        if (bias) {
            biasParam = declare("bias", new Shape(outChannels), Parameter.Role.BIAS, fanIn, fanOut);
        }
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        // the result belongs to the input's manager, so the parameters go in as they are (no view per
        // call); a spectrally normalised weight comes from the context, made for this pass
        NDArray w = context.value(weight);
        NDArray b = biasParam == null ? null : biasParam.value();
        return Torch.convolution(x, w, b, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1);
    }
}
