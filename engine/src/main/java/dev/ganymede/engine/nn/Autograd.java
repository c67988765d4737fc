package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording on top of PyTorch, without DJL's GradientCollector (which allows one
 * collector per JVM and never clears gradients). Grad mode is per thread, as in PyTorch, so a
 * background training thread records independently of the caller.
 */
public final class Autograd {

    private Autograd() {}

    /** A scope in which operations are recorded for backward; closing it restores the previous mode. */
    public static final class Recording implements AutoCloseable {
        private final boolean previous;

        private Recording(boolean enable) {
            previous = JniUtils.isGradMode();
            JniUtils.setGradMode(enable);
        }

        @Override
        public void close() {
            JniUtils.setGradMode(previous);
        }
    }

    /** Records operations until closed. */
    public static Recording record() {
        return new Recording(true);
    }

    /** Suspends recording until closed (sampling, optimiser updates). */
    public static Recording pause() {
        return new Recording(false);
    }

    /** Back-propagates a scalar (or sums a non-scalar) and frees its graph. */
    public static void backward(NDArray loss) {
        backward(loss, false, false);
    }

    /**
     * Back-propagates; {@code keepGraph} keeps the graph for another pass, {@code createGraph}
     * records the backward itself so gradients can be differentiated again (gradient penalties).
     */
    public static void backward(NDArray loss, boolean keepGraph, boolean createGraph) {
        try (NDArray seed = loss.onesLike()) {
            JniUtils.backward(Torch.pt(loss), Torch.pt(seed), keepGraph, createGraph);
        }
    }

    /**
     * The accumulated gradient of a leaf array, owned by {@code scope} so the handle is freed with
     * it; null when no backward has reached the array.
     */
    public static NDArray gradient(NDArray leaf, NDManager scope) {
        NDArray grad = JniUtils.getGradient(Torch.pt(leaf));
        if (grad != null) {
            grad.attach(scope);
        }
        return grad;
    }
}
