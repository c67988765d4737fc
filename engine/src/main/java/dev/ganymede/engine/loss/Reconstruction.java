package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Torch;

/** Non-adversarial terms: pixel losses and the VAE's KL divergence to N(0, I). */
public final class Reconstruction {

    private Reconstruction() {}

    /** Mean absolute error, PyTorch's {@code nn.L1Loss}. */
    public static NDArray l1(NDArray prediction, NDArray target) {
        return prediction.sub(target).abs().mean();
    }

    /** Mean squared error, PyTorch's {@code nn.MSELoss}. */
    public static NDArray l2(NDArray prediction, NDArray target) {
        NDArray d = prediction.sub(target);
        return d.mul(d).mean();
    }

    /**
     * KL(q(z|x) || N(0, I)) = ½ Σ (σ² + μ² - 1 - log σ²), summed over latent dimensions and
     * averaged over the batch. It is added to the reconstruction loss (seed 003 prints it
     * subtracted, a sign error).
     */
    public static NDArray vaeKl(NDArray mu, NDArray logVar) {
        NDArray perDim = Torch.mul(Torch.sub(logVar.exp().add(mu.mul(mu)), 1).sub(logVar), 0.5);
        long batch = mu.getShape().get(0);
        return Torch.div(perDim.sum(), batch);
    }
}
