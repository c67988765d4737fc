package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Torch;
import java.util.List;
import java.util.Locale;

/**
 * The objective of an autoencoder or a variational autoencoder (VAE), trained by
 * {@link dev.ganymede.engine.train.AutoencoderUpdates}. It sits in the {@link
 * dev.ganymede.engine.train.Gan}'s loss slot so that run folders, summaries and reports name it,
 * but it is not adversarial: there is no discriminator, and {@link #discriminatorLoss} and
 * {@link #generatorLoss} refuse to be called.
 *
 * <ul>
 *   <li>A plain autoencoder minimises the reconstruction error averaged over every pixel of the
 *       batch, as PyTorch's {@code nn.MSELoss()} (seed 003) or {@code nn.L1Loss()}.
 *   <li>A VAE minimises the negative evidence lower bound per sample: the reconstruction error
 *       summed over the pixels of a sample, plus β times KL(q(z|x) ‖ N(0, I)) summed over the
 *       latent dimensions, both averaged over the batch (Kingma and Welling 2014; PyTorch's VAE
 *       example). Seed 003 prints L_VAE = L_AE − D_KL; the KL term is added (its printed form is
 *       itself positive, so subtracting it would reward posteriors far from the prior).
 * </ul>
 *
 * <p>The BCE reconstruction error reads both the data and the decoder's output as lying in
 * [-1, 1] (the built-in data, a decoder ending in tanh) and maps them to [0, 1] before the binary
 * cross-entropy, whose logs are clamped at -100 as PyTorch's {@code BCELoss}.
 */
public final class AutoencoderLoss implements AdversarialLoss {

    /** How a reconstruction is compared with its input. */
    public enum Error {
        /** Squared error. */
        MSE,
        /** Absolute error. */
        L1,
        /** Binary cross-entropy of pixels in [-1, 1] read as probabilities (x + 1) / 2. */
        BCE;

        /** The lower-case name scripts use: "mse", "l1", "bce". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Error error;
    private final boolean variational;
    private final double beta;

    private AutoencoderLoss(Error error, boolean variational, double beta) {
        this.error = error;
        this.variational = variational;
        this.beta = beta;
    }

    /** A plain autoencoder: the mean reconstruction error over every pixel of the batch. */
    public static AutoencoderLoss plain(Error error) {
        return new AutoencoderLoss(error, false, 0);
    }

    /** A VAE: per-sample summed reconstruction error plus β·KL, averaged over the batch. */
    public static AutoencoderLoss variational(Error error, double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("the KL weight beta must be a positive number, got " + beta);
        }
        return new AutoencoderLoss(error, true, beta);
    }

    /** The names scripts use: "mse", "l1" (plain) and "vae" (MSE + KL unless told otherwise). */
    public static List<String> names() {
        return List.of("mse", "l1", "vae");
    }

    /** True when {@code name} is one of {@link #names()}. */
    public static boolean isNamed(String name) {
        return names().contains(name.toLowerCase(Locale.ROOT));
    }

    /** The reconstruction error called {@code name}: "mse", "l1" or "bce". */
    public static Error error(String name) {
        for (Error e : Error.values()) {
            if (e.label().equals(name.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown reconstruction error '" + name + "': use 'mse', 'l1' or 'bce'");
    }

    public Error error() {
        return error;
    }

    public boolean isVariational() {
        return variational;
    }

    /** The weight of the KL term (1 for the VAE of the ELBO, 0 for a plain autoencoder). */
    public double beta() {
        return beta;
    }

    /** Numbers the encoder gives per sample: the code, or for a VAE a mean and a log-variance per latent dimension. */
    public long encoderOutputs(long latentSize) {
        return variational ? 2 * latentSize : latentSize;
    }

    @Override
    public String name() {
        if (!variational) {
            return error.label();
        }
        return "vae (" + error.label() + " + " + (beta == 1 ? "" : beta + "·") + "KL)";
    }

    /**
     * The reconstruction term: for a plain autoencoder the mean over all elements; for a VAE the sum
     * over each sample's elements, averaged over the batch.
     */
    public NDArray reconstruction(NDArray reconstructed, NDArray input) {
        NDArray perElement;
        switch (error) {
            case MSE:
                NDArray d = reconstructed.sub(input);
                perElement = d.mul(d);
                break;
            case L1:
                perElement = reconstructed.sub(input).abs();
                break;
            default:
                NDArray p = Torch.div(Torch.add(reconstructed, 1), 2);
                NDArray t = Torch.div(Torch.add(input, 1), 2);
                NDArray logP = Torch.maximum(p.log(), -100);
                NDArray log1mP = Torch.maximum(Torch.add(p.neg(), 1).log(), -100);
                perElement = t.mul(logP).add(Torch.add(t.neg(), 1).mul(log1mP)).neg();
        }
        if (!variational) {
            return perElement.mean();
        }
        return Torch.div(perElement.sum(), input.getShape().get(0));
    }

    /** KL(N(μ, σ²) ‖ N(0, I)) summed over latent dimensions, averaged over the batch ({@link Reconstruction#vaeKl}). */
    public NDArray kl(NDArray mu, NDArray logVar) {
        return Reconstruction.vaeKl(mu, logVar);
    }

    /** Reconstruction + β·KL. */
    public NDArray total(NDArray reconstruction, NDArray kl) {
        return reconstruction.add(Torch.mul(kl, beta));
    }

    @Override
    public NDArray discriminatorLoss(NDArray dReal, NDArray dFake) {
        throw notAdversarial();
    }

    @Override
    public NDArray generatorLoss(NDArray dFake) {
        throw notAdversarial();
    }

    private IllegalStateException notAdversarial() {
        return new IllegalStateException("the loss '" + name() + "' trains an autoencoder, which has no discriminator:"
                + " train it with AutoencoderUpdates, not with adversarial updates");
    }

    /** No discriminator outputs are reported: an autoencoder has none. */
    @Override
    public OutputKind outputKind() {
        return OutputKind.SCORE;
    }

    @Override
    public String toString() {
        return name();
    }
}
