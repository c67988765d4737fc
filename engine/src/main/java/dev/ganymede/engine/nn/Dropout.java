package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/** Zeroes each element with probability p in training, scaling the rest by 1 / (1 - p); identity in eval. */
public final class Dropout extends Layer {

    private final double rate;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout probability must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public String typeName() {
        return "Dropout";
    }

    @Override
    public String describe() {
        return "Dropout(p=" + rate + ", inplace=False)";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        return input;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        if (!context.training() || rate == 0) {
            return x;
        }
        return JniUtils.dropout(Torch.pt(x), rate, true);
    }
}
