package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Batch normalisation over the channel axis with PyTorch's conventions: eps 1e-5, momentum 0.1
 * (running = (1 - momentum) running + momentum batch), affine γ and β. 1-d for (features) or
 * (channels, length) inputs, 2-d for (channels, height, width).
 */
public final class BatchNorm extends Layer {

    private double eps = 1e-5;
    private double momentum = 0.1;
    private boolean affine = true;
    private int features;
    private Parameter gamma;
    private Parameter beta;
    private Parameter runningMean;
    private Parameter runningVar;
    private String kind = "BatchNorm";

    public BatchNorm eps(double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("BatchNorm eps must be positive, got " + value);
        }
        this.eps = value;
        return this;
    }

    public BatchNorm momentum(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1], got " + value);
        }
        this.momentum = value;
        return this;
    }

    public BatchNorm affine(boolean learn) {
        this.affine = learn;
        return this;
    }

    @Override
    public String typeName() {
        return kind;
    }

    @Override
    public String describe() {
        return kind + "(" + features + ", eps=" + fmt(eps) + ", momentum=" + fmt(momentum) + ", affine="
                + (affine ? "True" : "False") + ", track_running_stats=True)";
    }

    /** A float as Python's repr prints it (PyTorch's module listings): 1e-05, 0.0001, 0.1, 2.5e-05. */
    static String fmt(double v) {
        if (v == 0) {
            return "0.0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = d.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
        }
        String plain = d.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() == 1 || input.dimension() == 2) {
            kind = "BatchNorm1d";
        } else if (input.dimension() == 3) {
            kind = "BatchNorm2d";
        } else {
            throw shapeError(input, "expects (features), (channels, length) or (channels, height, width)");
        }
        return input;
    }

    @Override
    protected void declareParameters(Shape input) {
        features = (int) input.get(0);
        Shape s = new Shape(features);
        if (affine) {
            gamma = declare("weight", s, Parameter.Role.GAMMA, features, features);
            beta = declare("bias", s, Parameter.Role.BETA, features, features);
        }
        runningMean = declare("running_mean", s, Parameter.Role.RUNNING_MEAN, features, features);
        runningVar = declare("running_var", s, Parameter.Role.RUNNING_VAR, features, features);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        if (context.training() && x.getShape().get(0) == 1 && x.getShape().dimension() == 2) {
            throw new ShapeException(kind + " cannot normalise a batch of one in training mode (PyTorch says"
                    + " \"Expected more than 1 value per channel\"): use a batch of 2 or more");
        }
        // running statistics are updated in place by PyTorch; they are buffers, not trained. The
        // result belongs to the input's manager, so γ and β go in as they are (no view per call).
        return JniUtils.batchNorm(Torch.pt(x), Torch.pt(runningMean.value()), Torch.pt(runningVar.value()),
                gamma == null ? null : Torch.pt(gamma.value()), beta == null ? null : Torch.pt(beta.value()),
                context.training(), momentum, eps);
    }
}
