package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.loss.AutoencoderLoss;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.ShapeException;
import dev.ganymede.engine.nn.Shapes;
import dev.ganymede.engine.nn.Torch;

/**
 * The step of an autoencoder or a VAE (seed 003, section 01), run by the same {@link Trainer} loop
 * as a GAN. The two networks sit in the {@link Gan}'s slots: the <em>decoder</em> is the generator
 * (latent code → sample), so sample grids, interpolation strips, {@code gan sample} and the run
 * report draw decoded codes from the latent prior unchanged; the <em>encoder</em> is in the
 * discriminator's slot (sample → code). The objective is the {@link AutoencoderLoss} in the loss
 * slot. The decoder takes the generator's optimiser, the encoder the discriminator's.
 *
 * <p>One step takes one real batch x and, with gradients cleared first (DJL never clears them):
 * <ul>
 *   <li>plain autoencoder: z = E(x), x̂ = D(z), loss = reconstruction(x̂, x);
 *   <li>VAE: E(x) gives 2·latent numbers per sample, the mean μ then the log-variance log σ²;
 *       z = μ + σ·ε with ε ~ N(0, I) (the reparametrisation trick, so the gradient reaches μ and
 *       log σ²), x̂ = D(z), loss = reconstruction(x̂, x) + β·KL(N(μ, σ²) ‖ N(0, I)).
 * </ul>
 * Both networks are then updated from the one backward pass.
 *
 * <p>The step's figures keep the loop's record: <b>loss G is the reconstruction term</b> (the
 * decoder's job), <b>loss D is the KL term</b> (the encoder's regulariser; 0 for a plain
 * autoencoder), and D(x), D(G(z)) are NaN, since no discriminator judges anything. The
 * objective a VAE minimises is loss G + β·loss D.
 */
public final class AutoencoderUpdates implements TrainingStrategy {

    /** The loss D column holds the KL term, the loss G column the reconstruction; no D(x). */
    public static final RecordedFigures FIGURES = new RecordedFigures("KL", "reconstruction", false);

    @Override
    public RecordedFigures recordedFigures() {
        return FIGURES;
    }

    @Override
    public void check(Trainer trainer) {
        Gan gan = trainer.gan();
        if (!(gan.loss() instanceof AutoencoderLoss objective)) {
            throw new IllegalArgumentException("autoencoder updates need an AutoencoderLoss (mse, l1 or vae), not the adversarial loss '"
                    + gan.loss().name() + "'");
        }
        checkShapes(gan.discriminator(), gan.latent().shape(), objective);
        if (gan.isConditional()) {
            throw new IllegalArgumentException("a conditional autoencoder is not supported: drop the class label");
        }
        if (trainer.settings().discriminatorSteps() != 1) {
            throw new IllegalArgumentException("an autoencoder takes one batch per step: discriminator steps must be 1, got "
                    + trainer.settings().discriminatorSteps());
        }
        if (!trainer.stabilisers().isEmpty()) {
            throw new IllegalArgumentException("stabilisers act on a discriminator, which an autoencoder does not have: "
                    + trainer.stabilisers().get(0).describe());
        }
    }

    /**
     * Checks that the encoder gives what the decoder's latent code needs: latent numbers per sample,
     * or 2·latent (mean and log-variance) for a VAE; throws a {@link ShapeException} naming both.
     */
    public static void checkShapes(Network encoder, Shape latent, AutoencoderLoss objective) {
        long needed = objective.encoderOutputs(latent.size());
        long given = encoder.outputShape().size();
        if (given != needed) {
            String what = objective.isVariational()
                    ? "2 × " + latent.size() + " = " + needed + " numbers per sample (a mean and a log-variance per latent dimension)"
                    : needed + " numbers per sample (the latent code " + Shapes.format(latent) + ")";
            throw new ShapeException("the " + encoder.name() + " produces " + Shapes.format(encoder.outputShape())
                    + " but the " + (objective.isVariational() ? "VAE" : "autoencoder") + " needs " + what);
        }
    }

    @Override
    public String describe() {
        return "autoencoder updates (encoder and decoder together, one batch per step)";
    }

    @Override
    public StepFigures step(StepContext c) {
        Gan gan = c.gan();
        Network decoder = gan.generator();
        Network encoder = gan.discriminator();
        AutoencoderLoss objective = (AutoencoderLoss) gan.loss();
        StepContext.RealBatch real = c.nextRealBatch();
        double reconstructionValue;
        double klValue = 0;
        try (Autograd.Recording rec = Autograd.record()) {
            long batch = real.size();
            NDArray code = encoder.forward(real.images(), c.training(null)).reshape(batch, -1);
            NDArray z;
            NDArray kl = null;
            if (objective.isVariational()) {
                long n = code.getShape().get(1) / 2;
                NDArray mu = code.get(":, 0:" + n);
                NDArray logVar = code.get(":, " + n + ":");
                z = reparametrise(mu, logVar, c.scope().randomNormal(mu.getShape()));
                kl = objective.kl(mu, logVar);
            } else {
                z = code;
            }
            NDArray reconstructed = decoder.forward(z.reshape(Shapes.batched(batch, gan.latent().shape())), c.training(null));
            NDArray reconstruction = objective.reconstruction(reconstructed, real.images());
            NDArray loss = kl == null ? reconstruction : objective.total(reconstruction, kl);
            encoder.zeroGradients();
            decoder.zeroGradients();
            Autograd.backward(loss);
            reconstructionValue = reconstruction.getFloat();
            if (kl != null) {
                klValue = kl.getFloat();
            }
        }
        c.generatorOptimizer().step(decoder, c.scope());
        c.discriminatorOptimizer().step(encoder, c.scope());
        return new StepFigures(klValue, reconstructionValue, Double.NaN, Double.NaN, c.realImages());
    }

    /**
     * The reparametrisation trick: z = μ + exp(½ log σ²)·ε, a sample of N(μ, σ²) through which the
     * gradient flows to μ and log σ² (ε carries the randomness and has no parameters).
     */
    public static NDArray reparametrise(NDArray mu, NDArray logVar, NDArray epsilon) {
        return mu.add(Torch.mul(logVar, 0.5).exp().mul(epsilon));
    }
}
