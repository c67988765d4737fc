package dev.ganymede.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.nn.Torch;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits gradients before an update. By value, each element is clamped to [-c, c]: what seed 001
 * does to the discriminator ({@code p.grad.data.clamp_(-0.01, 0.01)}). By norm, all gradients of
 * the network are scaled together so their global L2 norm is at most c, as PyTorch's
 * {@code clip_grad_norm_} (the seed's text describes this one while its code clamps values).
 */
public final class GradientClipping {

    /** How gradients are limited. */
    public enum Mode {
        NONE,
        VALUE,
        NORM
    }

    private final Mode mode;
    private final double threshold;

    private GradientClipping(Mode mode, double threshold) {
        if (mode != Mode.NONE && !(threshold > 0)) {
            throw new IllegalArgumentException("gradient clipping needs a positive threshold, got " + threshold);
        }
        this.mode = mode;
        this.threshold = threshold;
    }

    public static GradientClipping none() {
        return new GradientClipping(Mode.NONE, 0);
    }

    /** Clamps every gradient element to [-c, c]. */
    public static GradientClipping byValue(double c) {
        return new GradientClipping(Mode.VALUE, c);
    }

    /** Rescales all gradients so their global L2 norm is at most {@code maxNorm}. */
    public static GradientClipping byNorm(double maxNorm) {
        return new GradientClipping(Mode.NORM, maxNorm);
    }

    public Mode mode() {
        return mode;
    }

    public double threshold() {
        return threshold;
    }

    /** The clipped gradients, new arrays in {@code scope} (the accumulated gradients are left alone). */
    List<NDArray> apply(List<NDArray> grads, NDManager scope) {
        switch (mode) {
            case VALUE: {
                List<NDArray> out = new ArrayList<>(grads.size());
                for (NDArray g : grads) {
                    out.add(attach(g.clip(-threshold, threshold), scope));
                }
                return out;
            }
            case NORM: {
                if (grads.isEmpty()) {
                    return grads;
                }
                NDArray total = null;
                for (NDArray g : grads) {
                    NDArray sq = attach(g.square().sum(), scope);
                    total = total == null ? sq : attach(total.add(sq), scope);
                }
                double norm = Math.sqrt(total.getFloat());
                // PyTorch's clip_grad_norm_: scale by max / (norm + 1e-6), only when that is below 1
                double factor = threshold / (norm + 1e-6);
                if (factor >= 1) {
                    return grads;
                }
                List<NDArray> out = new ArrayList<>(grads.size());
                for (NDArray g : grads) {
                    out.add(attach(Torch.mul(g, factor), scope));
                }
                return out;
            }
            default:
                return grads;
        }
    }

    private static NDArray attach(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    @Override
    public String toString() {
        switch (mode) {
            case VALUE:
                return "clip gradients by value " + threshold;
            case NORM:
                return "clip gradients by norm " + threshold;
            default:
                return "no gradient clipping";
        }
    }
}
