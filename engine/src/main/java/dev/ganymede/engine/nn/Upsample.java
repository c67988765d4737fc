package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/** Non-learned upsampling by an integer factor: nearest (F.interpolate's default) or bilinear. */
public final class Upsample extends Layer {

    /** Interpolation modes, numbered as DJL's native interpolate expects. */
    public enum Mode {
        NEAREST(0), BILINEAR(2);

        final int code;

        Mode(int code) {
            this.code = code;
        }
    }

    private final int factor;
    private final Mode mode;

    public Upsample(int factor, Mode mode) {
        if (factor < 1) {
            throw new IllegalArgumentException("Upsample scale factor must be at least 1, got " + factor);
        }
        this.factor = factor;
        this.mode = mode;
    }

    @Override
    public String typeName() {
        return "Upsample";
    }

    @Override
    public String describe() {
        return "Upsample(scale_factor=" + factor + ".0, mode='" + mode.name().toLowerCase(java.util.Locale.ROOT) + "')";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() != 3) {
            throw shapeError(input, "expects (channels, height, width)");
        }
        return new Shape(input.get(0), input.get(1) * factor, input.get(2) * factor);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        Shape out = outputShape();
        return JniUtils.interpolate(Torch.pt(x), new long[] {out.get(1), out.get(2)}, mode.code, false);
    }
}
