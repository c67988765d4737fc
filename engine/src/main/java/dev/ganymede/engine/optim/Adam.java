package dev.ganymede.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.nn.Torch;

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
    protected boolean hasRecordedUpdate() {
        return true;
    }

    @Override
    protected NDArray[] recordedUpdate(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr, NDManager scope) {
        // Torch.mul and friends, not NDArray.mul(Number): autograd keeps the number, which DJL frees
        // at once (ScalarArithmeticSpec); through DJL the look-ahead's gradients turned NaN
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        NDArray g = weightDecay == 0 ? grad : own(scope, grad.add(own(scope, Torch.mul(weight, weightDecay))));
        NDArray m = own(scope, own(scope, Torch.mul(slots[0], beta1)).add(own(scope, Torch.mul(g, 1 - beta1))));
        NDArray v = own(scope, own(scope, Torch.mul(slots[1], beta2)).add(own(scope, Torch.mul(own(scope, g.square()), 1 - beta2))));
        // √'s derivative 1/(2√v) is infinite at v = 0 (a weight whose gradient is always 0):
        // 1e-24 under the root bounds it and moves √v by at most 1e-12
        NDArray root = own(scope, own(scope, Torch.add(v, 1e-24)).sqrt());
        NDArray denom = own(scope, Torch.add(own(scope, Torch.div(root, Math.sqrt(bc2))), eps));
        NDArray next = own(scope, weight.sub(own(scope, Torch.mul(own(scope, m.div(denom)), lr / bc1))));
        return new NDArray[] {next, m, v};
    }

    private static NDArray own(NDManager scope, NDArray a) {
        a.attach(scope);
        return a;
    }

    // This step's scalars as 0-dim tensors, made once per step rather than once per operation.
    private NDArray cBeta1;
    private NDArray cOneMinusBeta1;
    private NDArray cBeta2;
    private NDArray cOneMinusBeta2;
    private NDArray cEps;
    private NDArray cSqrtBc2;
    private NDArray cStepSize;

    @Override
    protected void beginStep(long step, double lr, NDManager scope) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        cBeta1 = scope.create((float) beta1);
        cOneMinusBeta1 = scope.create((float) (1 - beta1));
        cBeta2 = scope.create((float) beta2);
        cOneMinusBeta2 = scope.create((float) (1 - beta2));
        cEps = scope.create((float) eps);
        cSqrtBc2 = scope.create((float) Math.sqrt(bc2));
        cStepSize = scope.create((float) (lr / bc1));
    }

    @Override
    protected void update(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr) {
        // the same float operations, in the same order, as m.muli(β1).addi(g.mul(1 - β1)) and so on
        // with scalar arguments, but each a single native call on a 0-dim operand
        NDArray g = grad;
        if (weightDecay != 0) {
            g = grad.add(temporary(Torch.mul(weight, weightDecay)));
        }
        PtNDArray pg = Torch.pt(g);
        PtNDArray m = Torch.pt(slots[0]);
        PtNDArray v = Torch.pt(slots[1]);
        JniUtils.muli(m, Torch.pt(cBeta1));
        JniUtils.addi(m, JniUtils.mul(pg, Torch.pt(cOneMinusBeta1)));
        JniUtils.muli(v, Torch.pt(cBeta2));
        PtNDArray g2 = JniUtils.mul(pg, pg);
        JniUtils.muli(g2, Torch.pt(cOneMinusBeta2));
        JniUtils.addi(v, g2);
        PtNDArray denom = Torch.pt(temporary(JniUtils.sqrt(v)));
        JniUtils.divi(denom, Torch.pt(cSqrtBc2));
        JniUtils.addi(denom, Torch.pt(cEps));
        PtNDArray delta = Torch.pt(temporary(JniUtils.div(m, denom)));
        JniUtils.muli(delta, Torch.pt(cStepSize));
        JniUtils.subi(Torch.pt(weight), delta);
    }
}
