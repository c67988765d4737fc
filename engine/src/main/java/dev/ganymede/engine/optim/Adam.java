package dev.ganymede.engine.optim;

import ai.djl.ndarray.NDArray;

/**
 * Adam as PyTorch implements it: m = β1 m + (1 - β1) g, v = β2 v + (1 - β2) g²,
 * p -= lr / (1 - β1^t) · m / (√v / √(1 - β2^t) + ε); weight decay adds wd · p to the gradient.
 */
public final class Adam extends Optimizer {

    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay;

    public Adam(double learningRate) {
        super(learningRate);
    }

    public static Adam of(double learningRate) {
        return new Adam(learningRate);
    }

    public Adam betas(double b1, double b2) {
        if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got (" + b1 + ", " + b2 + ")");
        }
        this.beta1 = b1;
        this.beta2 = b2;
        return this;
    }

    public Adam eps(double value) {
        this.eps = value;
        return this;
    }

    public Adam weightDecay(double value) {
        if (value < 0) {
            throw new IllegalArgumentException("weight decay must not be negative, got " + value);
        }
        this.weightDecay = value;
        return this;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    @Override
    public String name() {
        return "Adam";
    }

    @Override
    public String describe() {
        return "Adam(lr=" + num(learningRate()) + ", betas=(" + num(beta1) + ", " + num(beta2) + "), eps=" + eps
                + ", weight_decay=" + num(weightDecay) + ")";
    }

    @Override
    protected int stateSlots() {
        return 2;
    }

    @Override
    protected void update(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr) {
        NDArray g = weightDecay == 0 ? grad : grad.add(weight.mul((float) weightDecay));
        NDArray m = slots[0];
        NDArray v = slots[1];
        m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        v.muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) eps);
        weight.subi(m.div(denom).muli((float) (lr / bc1)));
    }
}
