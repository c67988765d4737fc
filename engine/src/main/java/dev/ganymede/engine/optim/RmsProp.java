package dev.ganymede.engine.optim;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Torch;

/**
 * RMSprop as PyTorch implements it (DJL's PyTorch engine throws for its own): v = α v + (1 - α) g²,
 * p -= lr · g / (√v + ε), α = 0.99, ε = 1e-8. The WGAN seed trains with RMSprop(lr = 5e-5).
 */
public final class RmsProp extends Optimizer {

    private double alpha = 0.99;
    private double eps = 1e-8;
    private double momentum;

    public RmsProp(double learningRate) {
        super(learningRate);
    }

    public static RmsProp of(double learningRate) {
        return new RmsProp(learningRate);
    }

    public RmsProp alpha(double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException("RMSprop alpha must be in (0, 1), got " + value);
        }
        this.alpha = value;
        return this;
    }

    public RmsProp eps(double value) {
        this.eps = value;
        return this;
    }

    public RmsProp momentum(double value) {
        this.momentum = value;
        return this;
    }

    @Override
    public String name() {
        return "RMSprop";
    }

    @Override
    public String describe() {
        return "RMSprop(lr=" + num(learningRate()) + ", alpha=" + num(alpha) + ", eps=" + eps + ", momentum=" + num(momentum) + ")";
    }

    @Override
    protected int stateSlots() {
        return 2;
    }

    @Override
    protected void update(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr) {
        NDArray v = slots[0];
        Torch.muli(v, alpha).addi(Torch.muli(grad.mul(grad), 1 - alpha));
        NDArray scaled = grad.div(Torch.addi(temporary(v.sqrt()), eps));
        if (momentum > 0) {
            NDArray buf = slots[1];
            Torch.muli(buf, momentum).addi(scaled);
            weight.subi(temporary(Torch.mul(buf, lr)));
        } else {
            weight.subi(Torch.muli(scaled, lr));
        }
    }
}
