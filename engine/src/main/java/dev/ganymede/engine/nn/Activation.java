package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/** Element-wise activations: ReLU, LeakyReLU(slope), Tanh, Sigmoid. */
public final class Activation extends Layer {

    /** The activation functions. */
    public enum Kind { RELU, LEAKY_RELU, TANH, SIGMOID }

    private final Kind kind;
    private final double slope;

    private Activation(Kind kind, double slope) {
        this.kind = kind;
        this.slope = slope;
    }

    public static Activation relu() {
        return new Activation(Kind.RELU, 0);
    }

    public static Activation leakyRelu(double slope) {
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("LeakyReLU slope should be in [0, 1), got " + slope);
        }
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH, 0);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, 0);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String typeName() {
        switch (kind) {
            case RELU: return "ReLU";
            case LEAKY_RELU: return "LeakyReLU";
            case TANH: return "Tanh";
            default: return "Sigmoid";
        }
    }

    @Override
    public String describe() {
        return kind == Kind.LEAKY_RELU ? "LeakyReLU(negative_slope=" + slope + ")" : typeName() + "()";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        return input;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        switch (kind) {
            case RELU: return JniUtils.relu(Torch.pt(x));
            case LEAKY_RELU: return JniUtils.leakyRelu(Torch.pt(x), slope);
            case TANH: return x.tanh();
            default: return JniUtils.sigmoid(Torch.pt(x));
        }
    }
}
