package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/** A fully connected layer, y = x W^T + b, with W of shape (out, in) as in PyTorch. */
public final class Linear extends Layer {

    private final int outFeatures;
    private boolean bias = true;
    private int inFeatures;
    private Parameter weight;
    private Parameter biasParam;

    public Linear(int outFeatures) {
        if (outFeatures <= 0) {
            throw new IllegalArgumentException("Linear needs a positive number of output features, got " + outFeatures);
        }
        this.outFeatures = outFeatures;
    }

    /** Whether to learn an additive bias (default true). */
    public Linear bias(boolean withBias) {
        this.bias = withBias;
        return this;
    }

    /** Spectral normalisation of the weight (SNGAN), like torch.nn.utils.spectral_norm(layer): see {@link SpectralNorm}. */
    public Linear spectralNorm() {
        return SpectralNorm.of(this);
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public String typeName() {
        return "Linear";
    }

    @Override
    public String describe() {
        return "Linear(in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias ? "True" : "False") + ")";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() != 1) {
            throw shapeError(input, "expects a vector of features (add `flatten` before it)");
        }
        return new Shape(outFeatures);
    }

    @Override
    protected void declareParameters(Shape input) {
        inFeatures = (int) input.get(0);
        weight = declare("weight", new Shape(outFeatures, inFeatures), Parameter.Role.WEIGHT, inFeatures, outFeatures);
        if (bias) {
            biasParam = declare("bias", new Shape(outFeatures), Parameter.Role.BIAS, inFeatures, outFeatures);
        }
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        // the result belongs to the input's manager, so the parameters go in as they are (no view per
        // call); a spectrally normalised weight comes from the context, made for this pass
        NDArray w = context.value(weight);
        NDArray b = biasParam == null ? null : biasParam.value();
        return JniUtils.linear(Torch.pt(x), Torch.pt(w), b == null ? null : Torch.pt(b));
    }
}
