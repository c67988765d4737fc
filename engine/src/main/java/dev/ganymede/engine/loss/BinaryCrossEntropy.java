package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.nn.Torch;

/**
 * The standard GAN objective as binary cross-entropy, on probabilities (D ends in a sigmoid, like
 * {@code nn.BCELoss}, logs clamped at -100 as PyTorch does) or on logits (like
 * {@code nn.BCEWithLogitsLoss}, computed as softplus(x) - x·y, stable at logits of ±100).
 *
 * <p>D minimises BCE(D(x), 1) + BCE(D(G(z)), 0), the sum as in most seeds, or half of it. The
 * generator minimises the non-saturating BCE(D(G(z)), 1) = -log D(G(z)) by default, or the
 * original minimax log(1 - D(G(z))). One-sided label smoothing sets the real target below 1.
 */
public final class BinaryCrossEntropy implements AdversarialLoss {

    private final boolean logits;
    private boolean minimax;
    private double realLabel = 1.0;
    private double fakeLabel = 0.0;
    private boolean halveDiscriminator;

    private BinaryCrossEntropy(boolean logits) {
        this.logits = logits;
    }

    /** BCE on probabilities (D ends in Sigmoid). */
    public static BinaryCrossEntropy onProbabilities() {
        return new BinaryCrossEntropy(false);
    }

    /** BCE on logits (D has no final Sigmoid). */
    public static BinaryCrossEntropy onLogits() {
        return new BinaryCrossEntropy(true);
    }

    /** Uses the saturating minimax generator loss log(1 - D(G(z))) instead of -log D(G(z)). */
    public BinaryCrossEntropy minimax(boolean useMinimax) {
        this.minimax = useMinimax;
        return this;
    }

    /** One-sided label smoothing: the target for real samples (0.9 in Salimans et al.). */
    public BinaryCrossEntropy realLabel(double target) {
        if (!(target > 0.5 && target <= 1)) {
            throw new IllegalArgumentException("the real label should be in (0.5, 1], got " + target);
        }
        this.realLabel = target;
        return this;
    }

    /** Target for fake samples in D's loss (label smoothing on both sides if above 0). */
    public BinaryCrossEntropy fakeLabel(double target) {
        if (!(target >= 0 && target < 0.5)) {
            throw new IllegalArgumentException("the fake label should be in [0, 0.5), got " + target);
        }
        this.fakeLabel = target;
        return this;
    }

    public boolean isMinimax() {
        return minimax;
    }

    public boolean isOnLogits() {
        return logits;
    }

    /** D's loss as (real + fake) / 2 instead of the sum. */
    public BinaryCrossEntropy halveDiscriminator(boolean halve) {
        this.halveDiscriminator = halve;
        return this;
    }

    @Override
    public String name() {
        return logits ? "bce-logits" : "bce";
    }

    @Override
    public String describe() {
        String real = logits ? "σ(D(x))" : "D(x)";
        String fake = logits ? "σ(D(G(z)))" : "D(G(z))";
        String d = "−E[log " + real + "] − E[log(1 − " + fake + ")]";
        StringBuilder sb = new StringBuilder("D: ").append(halveDiscriminator ? "½(" + d + ")" : d);
        sb.append("; G: ").append(minimax ? "E[log(1 − " + fake + ")]" : "−E[log " + fake + "]");
        if (realLabel != 1.0 || fakeLabel != 0.0) {
            sb.append("; targets ").append(realLabel).append(" real, ").append(fakeLabel).append(" fake");
        }
        if (logits) {
            sb.append(" (σ applied inside the loss)");
        }
        return sb.toString();
    }

    @Override
    public OutputKind outputKind() {
        return logits ? OutputKind.LOGIT : OutputKind.PROBABILITY;
    }

    /** Mean binary cross-entropy of outputs against a constant target. */
    public NDArray bce(NDArray output, double target) {
        if (logits) {
            // softplus(x) - x*y; PyTorch's softplus is exact for large |x|, so ±100 stays finite
            return JniUtils.softPlus(Torch.pt(output)).sub(Torch.mul(output, target)).mean();
        }
        NDArray logP = Torch.maximum(output.log(), -100);
        NDArray log1mP = Torch.maximum(Torch.add(output.neg(), 1).log(), -100);
        if (target == 1.0) {
            return logP.mean().neg();
        }
        if (target == 0.0) {
            return log1mP.mean().neg();
        }
        return Torch.mul(logP, target).add(Torch.mul(log1mP, 1 - target)).mean().neg();
    }

    @Override
    public NDArray discriminatorLoss(NDArray dReal, NDArray dFake) {
        NDArray sum = bce(dReal, realLabel).add(bce(dFake, fakeLabel));
        return halveDiscriminator ? Torch.mul(sum, 0.5) : sum;
    }

    @Override
    public NDArray generatorLoss(NDArray dFake) {
        if (minimax) {
            // minimise E[log(1 - D(G(z)))] = -BCE(D(G(z)), 0)
            return bce(dFake, 0.0).neg();
        }
        return bce(dFake, 1.0);
    }
}
