package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A maxout layer (Goodfellow et al., 2013): a linear map to {@code out · pieces} values, then the
 * largest of each group of {@code pieces}, y_j = max_k (W x + b)_{j·pieces + k}. It is its own
 * activation; the discriminators of the PacGAN and VEEGAN mixture experiments are built from it
 * (maxout 200, 5 pieces). The weight is (out · pieces, in) with PyTorch's Linear initialisation
 * (fan-in = in); consecutive rows are the pieces of one unit, as TensorFlow's maxout groups them.
 * Only the winning piece of each unit receives gradient.
 */
public final class Maxout extends Layer {

    private final int outFeatures;
    private final int pieces;
    private boolean bias = true;
    private int inFeatures;
    private Parameter weight;
    private Parameter biasParam;

    public Maxout(int outFeatures, int pieces) {
        if (outFeatures <= 0) {
            throw new IllegalArgumentException("Maxout needs a positive number of output features, got " + outFeatures);
        }
        if (pieces < 2) {
            throw new IllegalArgumentException("Maxout needs at least 2 pieces per unit, got " + pieces
                    + (pieces == 1 ? " (a maxout of one piece is a linear layer)" : ""));
        }
        this.outFeatures = outFeatures;
        this.pieces = pieces;
    }

    /** Whether to learn an additive bias (default true). */
    public Maxout bias(boolean withBias) {
        this.bias = withBias;
        return this;
    }

    /** Spectral normalisation of the weight (out · pieces, in): see {@link SpectralNorm}. */
    public Maxout spectralNorm() {
        return SpectralNorm.of(this);
    }

    public int outFeatures() {
        return outFeatures;
    }

    public int pieces() {
        return pieces;
    }

    @Override
    public String typeName() {
        return "Maxout";
    }

    @Override
    public String describe() {
        return "Maxout(in_features=" + inFeatures + ", out_features=" + outFeatures + ", pieces=" + pieces
                + ", bias=" + (bias ? "True" : "False") + ")";
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
        int rows = outFeatures * pieces;
        weight = declare("weight", new Shape(rows, inFeatures), Parameter.Role.WEIGHT, inFeatures, rows);
        if (bias) {
            biasParam = declare("bias", new Shape(rows), Parameter.Role.BIAS, inFeatures, rows);
        }
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        NDArray w = context.value(weight);
        NDArray b = biasParam == null ? null : biasParam.value();
        NDArray all = JniUtils.linear(Torch.pt(x), Torch.pt(w), b == null ? null : Torch.pt(b));
        long batch = x.getShape().get(0);
        // torch.max over a dimension: the gradient goes to the one winning piece of each unit
        return JniUtils.max(Torch.pt(all.reshape(batch, outFeatures, pieces)), 2, false);
    }
}
