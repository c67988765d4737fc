package dev.ganymede.engine.train

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.AutoencoderLoss
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Autograd
import dev.ganymede.engine.nn.ForwardContext
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.ShapeException
import dev.ganymede.engine.optim.Adam
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("Autoencoders and VAEs train in the GAN loop: KL, reparametrisation, reconstruction")
@Narrative("""
Seed 003 (section 01) trains an autoencoder (x → encoder → code → decoder → x̂, loss
‖x − x̂‖²) and describes a VAE, whose encoder gives a Gaussian q(z|x) = N(μ, σ²) and whose loss
adds KL(q(z|x) ‖ N(0, I)) = ½ Σ (σ² + μ² − 1 − log σ²). The seed prints L_AE − D_KL: a sign
error, since that KL is itself positive; the VAE minimises L_AE + D_KL.

Ganymede trains both with the one Trainer loop and a strategy, AutoencoderUpdates. The decoder
sits in the generator's slot of the Gan, so sample grids, interpolation and `gan sample` decode
codes drawn from the prior N(0, I); the encoder sits in the discriminator's slot. The VAE's
encoder gives 2·latent numbers, μ then log σ², and the code is z = μ + σ·ε with ε ~ N(0, I), the
reparametrisation trick, so the gradient of the loss reaches μ and log σ². Each step's record
keeps the loop's columns: loss G is the reconstruction term, loss D the KL term (0 for a plain
autoencoder), and D(x), D(G(z)) are NaN, since nothing is judged.
""")
class AutoencoderUpdatesSpec extends Specification {

    @Shared NDManager m = Backend.engine().newBaseManager()

    def cleanupSpec() { m.close() }

    /** KL(N(μ, σ²) ‖ N(0, 1)) as usually written: log(1/σ) + (σ² + μ²)/2 − ½. */
    static double klClosedForm(double mu, double logVar) {
        double sigma = Math.exp(logVar / 2)
        Math.log(1 / sigma) + (sigma * sigma + mu * mu) / 2 - 0.5
    }

    def "the KL term of μ = #mu, σ² = #variance in each of 3 dimensions agrees with the closed form"() {
        given: "a batch of 2 samples with a 3-dimensional code, every dimension at the same (μ, log σ²)"
        double logVar = Math.log(variance)
        def mus = m.full(new Shape(2, 3), mu as float)
        def logVars = m.full(new Shape(2, 3), logVar as float)

        when:
        double kl = AutoencoderLoss.variational(AutoencoderLoss.Error.MSE, 1).kl(mus, logVars).getFloat()

        then: "it is summed over the 3 dimensions and averaged over the batch"
        Math.abs(kl - 3 * klClosedForm(mu, logVar)) < 1e-5
        Math.abs(kl - expected) < 1e-4

        where: "the prior itself costs nothing; a shifted mean costs μ²/2, a narrower or wider Gaussian costs more"
        mu   | variance    || expected
        0.0  | 1.0         || 0.0
        1.0  | 1.0         || 1.5
        -2.0 | 1.0         || 6.0
        0.0  | 2.0         || 3 * 0.5 * (2 - 1 - Math.log(2))
        0.0  | 0.25        || 3 * 0.5 * (0.25 - 1 - Math.log(0.25))
        0.5  | Math.exp(-1) || 3 * 0.5 * (Math.exp(-1) + 0.25 - 1 + 1)
    }

    def "the VAE adds the KL term: at μ = 1 the objective is reconstruction + 0.5·β per dimension, never less than the reconstruction"() {
        given: "a perfect reconstruction is not needed: any reconstruction term and a KL term"
        def rec = m.create(0.25f)
        def kl = AutoencoderLoss.variational(AutoencoderLoss.Error.MSE, 1).kl(m.ones(new Shape(1, 1)), m.zeros(new Shape(1, 1)))

        expect: "seed 003's L_AE − D_KL would give 0.25 − 0.5 < 0; the corrected objective gives 0.25 + β·0.5"
        Math.abs(AutoencoderLoss.variational(AutoencoderLoss.Error.MSE, beta).total(rec, kl).getFloat() - (0.25 + beta * 0.5)) < 1e-6

        where:
        beta << [1.0d, 4.0d, 0.5d]
    }

    def "through z = μ + σ·ε the gradient reaches μ (∂z/∂μ = 1) and log σ² (∂z/∂log σ² = ½σε) at μ = #mu, log σ² = #logVar, ε = #eps"() {
        given: "μ and log σ² as leaves that record gradients, and a fixed ε"
        def scope = m.newSubManager()
        def muArray = scope.create([mu] as float[])
        def logVarArray = scope.create([logVar] as float[])
        muArray.setRequiresGradient(true)
        logVarArray.setRequiresGradient(true)

        when: "z is drawn and differentiated"
        def z
        try (def rec = Autograd.record()) {
            z = AutoencoderUpdates.reparametrise(muArray, logVarArray, scope.create([eps] as float[]))
            Autograd.backward(z.sum())
        }
        double sigma = Math.exp(logVar / 2)

        then: "z is a draw of N(μ, σ²)"
        Math.abs(z.getFloat() - (mu + sigma * eps)) < 1e-5

        and: "both parameters of q(z|x) get their gradient"
        Math.abs(Autograd.gradient(muArray, scope).getFloat() - 1) < 1e-6
        Math.abs(Autograd.gradient(logVarArray, scope).getFloat() - 0.5 * sigma * eps) < 1e-5

        cleanup:
        scope?.close()

        where:
        mu    | logVar       | eps
        0.0f  | 0.0f         | 1.0f
        1.5f  | -2.0f        | -0.7f
        -0.3f | 1.2f         | 2.0f
    }

    def "a VAE trained for 200 steps on the built-in digits reconstructs held-out digits #factor times better than untrained"() {
        given: "seed 003's MLP pair at a smaller width: encoder 784 → 256 → 2·16, decoder 16 → 256 → 784 (tanh)"
        Backend.seed(7)
        def encoder = Network.builder("encoder").input(1, 28, 28).flatten().linear(256).relu().linear(32).build()
        def decoder = Network.builder("decoder").input(16).linear(256).relu().linear(784).tanh().reshape(1, 28, 28).build()
        def gan = new Gan(decoder, encoder, LatentNoise.normal(16), AutoencoderLoss.variational(AutoencoderLoss.Error.MSE, 1), 0)
        def heldOut = SyntheticDigits.generate(500, 202)
        double before = reconstructionError(gan, heldOut)

        when: "it trains with Adam(1e-3) on 8,192 digits, batch 64"
        def trainer = Trainer.builder(gan, SyntheticDigits.generate(8_192, 1)).batchSize(64).seed(7)
                .generatorOptimizer(Adam.of(1e-3)).discriminatorOptimizer(Adam.of(1e-3))
                .strategy(new AutoencoderUpdates()).build()
        trainer.trainSteps(200)
        double after = reconstructionError(gan, heldOut)
        def first = trainer.history().take(10)
        def last = trainer.history().takeRight(10)
        println String.format("per-pixel MSE of held-out reconstructions: %.4f untrained, %.4f trained (%.1f times lower); " +
                "KL %.2f → %.2f nats, reconstruction term %.1f → %.1f", before, after, before / after,
                first*.lossD().sum() / 10, last*.lossD().sum() / 10, first*.lossG().sum() / 10, last*.lossG().sum() / 10)

        then: "the held-out per-pixel reconstruction error falls by the stated factor"
        after * factor < before

        and: "the records carry the reconstruction as loss G, the KL as loss D, and no discriminator outputs"
        last*.lossG().sum() < first*.lossG().sum()
        last.every { it.lossD() > 0 && Double.isNaN(it.dReal()) && Double.isNaN(it.dFake()) }

        and: "the encoder does not collapse to the prior: some information about x passes through the code"
        last*.lossD().sum() / 10 > 1.0

        cleanup:
        trainer?.close()
        gan?.close()

        where: "measured: 0.94 untrained, 0.11 after 200 steps (8.5 times lower); the spec asks for 4"
        factor = 4
    }

    def "the strategy refuses an encoder of the wrong size and an adversarial loss, with the reason"() {
        given:
        def encoder = Network.builder("encoder").input(1, 28, 28).flatten().linear(16).build()
        def decoder = Network.builder("decoder").input(16).linear(784).tanh().reshape(1, 28, 28).build()

        when: "a VAE's encoder gives 16 numbers for a latent of 16"
        AutoencoderUpdates.checkShapes(encoder, new Shape(16), AutoencoderLoss.variational(AutoencoderLoss.Error.MSE, 1))

        then:
        def e = thrown(ShapeException)
        e.message == "the encoder produces (16,) but the VAE needs 2 × 16 = 32 numbers per sample (a mean and a log-variance per latent dimension)"

        when: "the pair is given the GAN loss"
        def gan = new Gan(decoder, encoder, LatentNoise.normal(16), BinaryCrossEntropy.onProbabilities(), 0)
        Trainer.builder(gan, SyntheticDigits.generate(64, 1)).strategy(new AutoencoderUpdates()).build()

        then:
        def e2 = thrown(IllegalArgumentException)
        e2.message == "autoencoder updates need an AutoencoderLoss (mse, l1 or vae), not the adversarial loss 'bce'"

        when: "an autoencoder's objective is asked for a discriminator loss"
        AutoencoderLoss.plain(AutoencoderLoss.Error.MSE).discriminatorLoss(null, null)

        then:
        def e3 = thrown(IllegalStateException)
        e3.message.startsWith("the loss 'mse' trains an autoencoder, which has no discriminator")

        cleanup:
        gan?.close()
    }

    /** Mean squared error per pixel of the decoded means D(μ(x)), in evaluation mode. */
    double reconstructionError(Gan gan, SyntheticDigits data) {
        int n = data.size()
        float[] x = new float[n * 784]
        for (int i = 0; i < n; i++) {
            data.copySample(i, x, i * 784)
        }
        try (def scope = m.newSubManager(); def paused = Autograd.pause()) {
            def eval = new ForwardContext(scope, false)
            def input = scope.create(x, new Shape(n, 1, 28, 28))
            def mu = gan.discriminator().forward(input, eval).get(":, 0:16")
            def out = gan.generator().forward(mu, eval)
            return out.sub(input).square().mean().getFloat()
        }
    }
}
