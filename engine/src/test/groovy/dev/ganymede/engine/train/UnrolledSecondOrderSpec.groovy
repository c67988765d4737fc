package dev.ganymede.engine.train

import ai.djl.Device
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.GaussianMixture2D
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Autograd
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.Parameter
import dev.ganymede.engine.nn.Torch
import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.optim.GradientClipping
import dev.ganymede.engine.optim.Optimizer
import dev.ganymede.engine.optim.RmsProp
import dev.ganymede.engine.optim.Sgd
import dev.ganymede.engine.stabilise.WeightClipping
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("The unrolled GAN's second-order gradient: the generator sees how the discriminator would react")
@Narrative("""
An unrolled GAN (Metz et al. 2017) updates the generator against the discriminator as it would be
after k more updates, D_k. Its loss is f(θ_G) = L_G(θ_G, D_k(θ_G)): the look-ahead updates train on
the generator's fakes, so D_k itself depends on θ_G. The first-order form (`unrolled 5`, the common
PyTorch ports) treats D_k as fixed and takes only ∂L_G/∂θ_G; the second-order form (`unrolled 5,
secondOrder: true`, the paper's) records the k updates and differentiates through them too: the
term dD_k/dθ_G, how the discriminator would react to a change of the generator.

The proof is a finite difference. A small GAN on the ring of 8 Gaussians (G 2-8-2 and D 2-8-1 with
tanh, 42 and 33 parameters) takes a batch of 16 real points and 16 noise vectors; the second-order
strategy fills the generator's gradient; then one generator weight at a time is moved by ±h, the
k look-ahead updates are trained for real on the moved generator's fakes (the optimiser's own
update, not the recorded one) and f is measured. (f(θ + h) − f(θ − h)) / 2h must match the
recorded gradient, and must not match the first-order one: the second term is not small.
""")
class UnrolledSecondOrderSpec extends Specification {

    /** The small ring GAN with the given discriminator optimiser and strategy, trained `warm` plain steps first. */
    static Map gan(Optimizer dOptimizer, TrainingStrategy strategy) {
        Backend.seed(21)
        def g = Network.builder('generator').input(2).linear(8).tanh().linear(2).build(Device.cpu())
        def d = Network.builder('discriminator').input(2).linear(8).tanh().linear(1).build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(2), BinaryCrossEntropy.onLogits(), 0)
        def trainer = Trainer.builder(gan, GaussianMixture2D.ring(512, 1)).batchSize(16).seed(3)
                .generatorOptimizer(Sgd.of(1e-3)).discriminatorOptimizer(dOptimizer).strategy(strategy).build()
        [gan: gan, trainer: trainer]
    }

    /** The generator's loss after `k` real look-ahead updates of the discriminator on the generator's fakes; D and its optimiser are put back. */
    static double lossAfterLookAhead(StepContext c, UnrolledUpdates firstOrder, StepContext.RealBatch real, NDArray z, int k) {
        def d = c.gan().discriminator()
        def weights = d.snapshot(c.scope())
        def moments = c.discriminatorOptimizer().snapshot(c.scope())
        try {
            NDArray fake
            try (def paused = Autograd.pause()) {
                fake = c.gan().generator().forward(z, c.training(null))
            }
            k.times { firstOrder.discriminatorUpdate(c, real, z, fake, null) }
            try (def paused = Autograd.pause()) {
                return c.gan().loss().generatorLoss(d.forward(c.gan().generator().forward(z, c.training(null)), c.training(null))).getFloat()
            }
        } finally {
            d.restore(weights)
            c.discriminatorOptimizer().restore(moments)
        }
    }

    static void nudge(Parameter p, int index, double by, StepContext c) {
        try (def paused = Autograd.pause()) {
            float[] values = p.value().toFloatArray()
            values[index] += (float) by
            Torch.copyInto(c.scope().create(values, p.shape()), p.value())
        }
    }

    def "through #k look-ahead updates by #optimiser the recorded gradient is the finite difference, the first-order one is not"() {
        given: "the ring GAN, its discriminator trained 20 plain steps on one batch so its optimiser has state"
        def made = gan(dOptimizer, UnrolledUpdates.secondOrder(k))
        Trainer trainer = made.trainer
        trainer.trainSteps(1) // builds the data and state; the plain steps below move D only
        def scope = Backend.engine().newBaseManager(Device.cpu())
        def c = new StepContext(trainer, scope)
        def firstOrder = new UnrolledUpdates(k)
        def points = GaussianMixture2D.ring(16, 9)
        float[] xy = new float[32]
        16.times { points.copySample(it, xy, 2 * it) }
        def real = new StepContext.RealBatch(scope.create(xy, new Shape(16, 2)), null, 16)
        def z = c.noise(16)
        20.times {
            NDArray f
            try (def paused = Autograd.pause()) { f = made.gan.generator().forward(z, c.training(null)) }
            firstOrder.discriminatorUpdate(c, real, z, f, null)
        }
        def g = made.gan.generator()
        def weights = g.trainableParameters()

        when: "the second-order strategy fills the generator's gradients"
        NDArray fake
        try (def rec = Autograd.record()) { fake = g.forward(z, c.training(null)) }
        def round = new AlternatingUpdates.DiscriminatorRound(0, 0, 0, real, z, fake, null)
        trainer.strategy().secondOrderGradients(c, round)
        def recorded = weights.collectMany { Autograd.gradient(it.value(), scope).toFloatArray() as List }

        and: "the first-order strategy's gradient at the same unrolled discriminator"
        def dWeights = made.gan.discriminator().snapshot(scope)
        def moments = c.discriminatorOptimizer().snapshot(scope)
        try (def rec = Autograd.record()) { fake = g.forward(z, c.training(null)) } // the first graph went with its backward
        k.times { firstOrder.discriminatorUpdate(c, real, z, fake, null) }
        firstOrder.generatorGradients(c, real, fake, null)
        def first = weights.collectMany { Autograd.gradient(it.value(), scope).toFloatArray() as List }
        made.gan.discriminator().restore(dWeights)
        c.discriminatorOptimizer().restore(moments)

        and: "each generator weight is moved by ±h and the look-ahead trained for real"
        def numeric = []
        weights.each { p ->
            (0..<p.size()).each { i ->
                nudge(p, (int) i, h, c)
                double up = lossAfterLookAhead(c, firstOrder, real, z, k)
                nudge(p, (int) i, -2 * h, c)
                double down = lossAfterLookAhead(c, firstOrder, real, z, k)
                nudge(p, (int) i, h, c)
                numeric << (up - down) / (2 * h)
            }
        }
        double norm = Math.sqrt(numeric.sum { it * it })
        double recordedError = Math.sqrt([recorded, numeric].transpose().sum { a, b -> (a - b) * (a - b) }) / norm
        double firstOrderError = Math.sqrt([first, numeric].transpose().sum { a, b -> (a - b) * (a - b) }) / norm
        printf('%s, %d steps: |df/dθ_G| = %.4f; relative distance to it: second order %.4f, first order %.4f%n',
                optimiser, k, norm, recordedError, firstOrderError)

        then: "the recorded gradient of all 42 generator weights is the finite difference, within 2 %"
        numeric.size() == 42
        recordedError < 0.02

        and: "the first-order gradient is at least 5 % away from it (9 % after one SGD step, 23 % after five Adam steps): the reaction term is not negligible"
        firstOrderError > 0.05

        cleanup:
        scope?.close()
        made?.trainer?.close()
        made?.gan?.close()

        where: "the mixture scripts' Adam (betas 0.8, 0.999), and a sharper one whose f curves so fast that only a small h follows it"
        optimiser                         | k | dOptimizer                        | h
        'SGD(lr 0.5)'                     | 1 | Sgd.of(0.5)                       | 1e-2
        'SGD(lr 0.5)'                     | 5 | Sgd.of(0.5)                       | 1e-2
        'SGD(lr 0.2, momentum 0.9)'       | 5 | Sgd.of(0.2).momentum(0.9)         | 1e-2
        'Adam(lr 0.01, betas 0.8, 0.999)' | 5 | Adam.of(0.01).betas(0.8, 0.999)   | 1e-3
        'Adam(lr 0.05, betas 0.5, 0.9)'   | 5 | Adam.of(0.05).betas(0.5, 0.9)     | 1e-4
    }

    def "a second-order step puts the discriminator back as a plain step leaves it, and moves the generator otherwise than first order"() {
        given: "three copies of the ring GAN with Adam(0.01, betas 0.8, 0.999): plain, unrolled 5 first order, unrolled 5 second order"
        def plain = gan(Adam.of(0.01).betas(0.8, 0.999), new AlternatingUpdates())
        def first = gan(Adam.of(0.01).betas(0.8, 0.999), new UnrolledUpdates(5))
        def second = gan(Adam.of(0.01).betas(0.8, 0.999), UnrolledUpdates.secondOrder(5))

        when: "each trains one step"
        [plain, first, second].each { it.trainer.trainSteps(1) }
        def dSecond = values(second.gan.discriminator())
        def gSecond = values(second.gan.generator())

        then: "the second-order discriminator is the plain one: its look-ahead weights were never its own"
        maxDifference(dSecond, values(plain.gan.discriminator())) == 0
        second.trainer.discriminatorOptimizer().steps() == 1

        and: "its generator moved, and not as the first-order one did"
        maxDifference(gSecond, values(plain.gan.generator())) > 0
        maxDifference(gSecond, values(first.gan.generator())) > 1e-6

        and: "the step is described as such in summaries and provenance"
        second.trainer.strategy().describe() == 'unrolled updates, 5 look-ahead discriminator steps, generator gradient through them (second order)'

        cleanup:
        [plain, first, second].each { it?.trainer?.close(); it?.gan?.close() }
    }

    def "second-order unrolling refuses #what, saying why"() {
        when:
        gan(dOptimizer, UnrolledUpdates.secondOrder(5))

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        what                              | dOptimizer                                               || message
        'an optimiser without recorded form' | RmsProp.of(5e-5)                                        || 'second-order unrolling replays the discriminator\'s optimiser as recorded operations, which RMSprop(lr=5.0E-5, alpha=0.99, eps=1.0E-8, momentum=0.0) has not (Adam and SGD have)'
        'gradient clipping'               | Adam.of(1e-3).clipGradients(GradientClipping.byNorm(1)) || 'second-order unrolling replays the discriminator\'s optimiser as recorded operations, which Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.0) cannot do while it clips gradients'
    }

    def "second-order unrolling refuses weight clipping, which edits the weights in place"() {
        when:
        Backend.seed(21)
        def g = Network.builder('generator').input(2).linear(8).tanh().linear(2).build(Device.cpu())
        def d = Network.builder('discriminator').input(2).linear(8).tanh().linear(1).build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(2), BinaryCrossEntropy.onLogits(), 0)
        Trainer.builder(gan, GaussianMixture2D.ring(512, 1)).batchSize(16).strategy(UnrolledUpdates.secondOrder(5))
                .stabiliser(new WeightClipping(0.01)).build()

        then:
        def e = thrown(IllegalArgumentException)
        e.message == 'second-order unrolling cannot follow critic weights clipped to [-0.01, 0.01]: it changes the weights in place after each update (use first-order unrolling)'
    }

    static List<Float> values(Network n) {
        n.trainableParameters().collectMany { it.value().toFloatArray() as List }
    }

    static double maxDifference(List<Float> a, List<Float> b) {
        [a, b].transpose().collect { x, y -> Math.abs(x - y) }.max()
    }
}
