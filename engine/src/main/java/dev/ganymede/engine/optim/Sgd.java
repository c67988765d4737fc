package dev.ganymede.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.nn.Torch;

/** SGD with optional momentum, as PyTorch: buf = μ buf + g (buf = g on the first step), p -= lr · buf. */
public final class Sgd extends Optimizer {

    private double momentum;
    private double weightDecay;

    public Sgd(double learningRate) {
        super(learningRate);
    }

    public static Sgd of(double learningRate) {
        return new Sgd(learningRate);
    }

    public Sgd momentum(double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + value);
        }
        this.momentum = value;
        return this;
    }

    public Sgd weightDecay(double value) {
        this.weightDecay = value;
        return this;
    }

    @Override
    public String name() {
        return "SGD";
    }

    @Override
    public String describe() {
        return "SGD(lr=" + num(learningRate()) + ", momentum=" + num(momentum) + ", weight_decay=" + num(weightDecay) + ")";
    }

    @Override
    protected int stateSlots() {
        return 1;
    }

    @Override
    protected boolean hasRecordedUpdate() {
        return true;
    }

    @Override
    protected NDArray[] recordedUpdate(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr, NDManager scope) {
        // Torch.mul, not NDArray.mul(Number): autograd keeps the number, which DJL frees at once
        NDArray g = weightDecay == 0 ? grad : own(scope, grad.add(own(scope, Torch.mul(weight, weightDecay))));
        NDArray buf = momentum == 0 ? slots[0] : step == 1 ? g : own(scope, own(scope, Torch.mul(slots[0], momentum)).add(g));
        NDArray next = own(scope, weight.sub(own(scope, Torch.mul(momentum == 0 ? g : buf, lr))));
        return new NDArray[] {next, buf};
    }

    private static NDArray own(NDManager scope, NDArray a) {
        a.attach(scope);
        return a;
    }

    @Override
    protected void update(NDArray weight, NDArray grad, NDArray[] slots, long step, double lr) {
        NDArray g = weightDecay == 0 ? grad : grad.add(temporary(Torch.mul(weight, weightDecay)));
        if (momentum == 0) {
            weight.subi(Torch.mul(g, lr));
            return;
        }
        NDArray buf = slots[0];
        if (step == 1) {
            buf.addi(g);
        } else {
            Torch.muli(buf, momentum).addi(g);
        }
        weight.subi(temporary(Torch.mul(buf, lr)));
    }
}
