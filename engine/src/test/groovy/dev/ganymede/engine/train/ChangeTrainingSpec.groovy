package dev.ganymede.engine.train

import ai.djl.Device
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.GaussianMixture2D
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.optim.Sgd
import dev.ganymede.engine.output.StepRecord
import dev.ganymede.engine.stabilise.GradientPenalty
import dev.ganymede.engine.stabilise.WeightAverage
import dev.ganymede.engine.stabilise.WeightClipping
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Changing how a GAN trains between runs, keeping what it has learnt")
@Narrative("""
Exploring a GAN means changing its training as it goes: train a few hundred steps, see the modes
collapse, turn on unrolling or a gradient penalty, train on. `Trainer.changeTraining` (what gan-repl
does when train { } changes after training began) swaps the update strategy, the stabilisers and
the optimisers between two runs, and keeps the rest: the networks' weights, the step count, the data
position and the history.

Optimisers follow PyTorch: editing an Adam's settings keeps its moments, so a new optimiser of the
same kind takes over the old one's moments and update count; one of another kind starts from zero,
as a new `torch.optim` object would. A stabiliser given again keeps its state (an average of the
generator's weights, a replay pool); a new one starts now. The small GAN here: G 2-8-2 and D 2-8-1
with tanh on the ring of 8 Gaussians, batch 16.
""")
class ChangeTrainingSpec extends Specification {

    static Trainer trainer(Map args = [:]) {
        Backend.seed(5)
        def g = Network.builder('generator').input(2).linear(8).tanh().linear(2).build(Device.cpu())
        def d = Network.builder('discriminator').input(2).linear(8).tanh().linear(1).build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(2), BinaryCrossEntropy.onLogits(), 0)
        def b = Trainer.builder(gan, GaussianMixture2D.ring(512, 1)).batchSize(16).seed(3)
                .generatorOptimizer(Adam.of(1e-3)).discriminatorOptimizer(Adam.of(1e-3))
        (args.stabilisers ?: []).each { b.stabiliser(it) }
        b.build()
    }

    static List<float[]> values(Network n) {
        n.trainableParameters().collect { it.value().toFloatArray().toList() }
    }

    static List<float[]> moments(dev.ganymede.engine.optim.Optimizer o, Network n) {
        n.trainableParameters().collect { o.state()[it][0].toFloatArray().toList() }
    }

    def "after 3 alternating steps the GAN takes unrolling and R1 and trains on from step 3 with its weights and Adam moments"() {
        given: "a GAN trained 3 steps with alternating updates and Adam(1e-3) on both sides"
        def t = trainer()
        t.trainSteps(3)
        def dWeights = values(t.gan().discriminator())
        def gWeights = values(t.gan().generator())
        def dMoments = moments(t.discriminatorOptimizer(), t.gan().discriminator())
        def oldD = t.discriminatorOptimizer()

        when: "its training changes to 3 look-ahead steps, R1 γ = 10 and Adams with β1 = 0.5"
        def newD = Adam.of(1e-3).betas(0.5, 0.999)
        t.changeTraining(new UnrolledUpdates(3), [GradientPenalty.r1(10)], Adam.of(1e-3).betas(0.5, 0.999), newD)

        then: "the change itself trains nothing: the weights and the step count are those of step 3"
        values(t.gan().discriminator()) == dWeights
        values(t.gan().generator()) == gWeights
        t.step() == 3
        t.history().size() == 3

        and: "the new Adam of the discriminator goes on from the old one's first moments and its 3 updates"
        t.discriminatorOptimizer().is(newD)
        moments(newD, t.gan().discriminator()) == dMoments
        newD.steps() == 3
        oldD.state().isEmpty() // closed

        and: "the trainer reports the new plan"
        t.strategy().describe() == 'unrolled updates, 3 look-ahead discriminator steps'
        t.stabilisers()*.describe() == ['gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real']

        when: "it trains 2 more steps"
        t.trainSteps(2)

        then: "the step count and the history run on from 3, and the weights moved"
        t.step() == 5
        t.history()*.step() == [1L, 2L, 3L, 4L, 5L]
        values(t.gan().discriminator()) != dWeights

        cleanup:
        t?.close()
        t?.gan()?.close()
    }

    def "an optimiser of another kind starts from zero state, as a new torch.optim object would"() {
        given: "a GAN trained 3 steps with Adam on both sides"
        def t = trainer()
        t.trainSteps(3)

        when: "the discriminator's optimiser becomes SGD(0.01)"
        def sgd = Sgd.of(0.01)
        t.changeTraining(t.strategy(), t.stabilisers(), t.generatorOptimizer(), sgd)

        then: "SGD has no state and no update yet; the generator's Adam, passed again, keeps its 3"
        sgd.state().isEmpty()
        sgd.steps() == 0
        t.generatorOptimizer().steps() == 3

        when: "one more step"
        t.trainSteps(1)

        then: "SGD made its first update"
        sgd.steps() == 1

        cleanup:
        t?.close()
        t?.gan()?.close()
    }

    def "a weight average given again keeps its average; a new one starts from this step's weights"() {
        given: "a GAN trained 4 steps with an average of the generator's weights (decay 0.9)"
        def kept = new WeightAverage(0.9)
        def t = trainer(stabilisers: [kept])
        t.trainSteps(4)
        def averaged = kept.state().values().collect { it.toFloatArray().toList() }

        when: "the same average is given again with a second one"
        def fresh = new WeightAverage(0.5)
        t.changeTraining(t.strategy(), [kept, fresh], t.generatorOptimizer(), t.discriminatorOptimizer())

        then: "the kept one still holds its average, which lags the weights"
        kept.state().values().collect { it.toFloatArray().toList() } == averaged
        averaged != values(t.gan().generator())

        and: "the new one starts equal to the generator's weights of step 4"
        fresh.state().values().collect { it.toFloatArray().toList() } == values(t.gan().generator())

        cleanup:
        t?.close()
        t?.gan()?.close()
    }

    def "a weight average left out is closed, and samples come from the trained weights again"() {
        given: "a GAN trained 2 steps whose samples come from an average of the generator's weights"
        def average = new WeightAverage(0.9)
        def t = trainer(stabilisers: [average])
        t.trainSteps(2)
        def noise = t.gan().latent().fixedBatch(4, 7)
        def scope = Backend.engine().newBaseManager()
        def averaged = t.gan().generate(noise, null, 4, scope).toList()

        when: "the training changes to no stabiliser"
        t.changeTraining(t.strategy(), [], t.generatorOptimizer(), t.discriminatorOptimizer())
        def raw = t.gan().generate(noise, null, 4, scope).toList()

        then: "the GAN no longer samples with the average, and its samples are the trained weights' (not the average's)"
        !t.gan().samplesWithAveragedWeights()
        raw.size() == 8
        raw != averaged

        cleanup:
        scope?.close()
        t?.close()
        t?.gan()?.close()
    }

    def "a change the strategy refuses leaves the trainer as it was"() {
        given: "a WGAN-style trainer clipping the critic's weights, trained 2 steps"
        def clipping = new WeightClipping(0.01)
        def t = trainer(stabilisers: [clipping])
        t.trainSteps(2)
        def before = t.discriminatorOptimizer()

        when: "it is asked to unroll to second order, which cannot follow weights edited in place"
        t.changeTraining(UnrolledUpdates.secondOrder(3), [clipping], t.generatorOptimizer(), Adam.of(1e-3))

        then: "the change is refused with the reason"
        def e = thrown(IllegalArgumentException)
        e.message == 'second-order unrolling cannot follow critic weights clipped to [-0.01, 0.01]: it changes the weights in place after each update (use first-order unrolling)'

        and: "the trainer keeps its strategy, its clipping and its optimiser"
        t.strategy().describe() == 'alternating updates'
        t.stabilisers() == [clipping]
        t.discriminatorOptimizer().is(before)
        before.steps() == 2

        cleanup:
        t?.close()
        t?.gan()?.close()
    }

    def "a stabiliser that cannot attach undoes the change: the new pieces are closed and samples keep the old average"() {
        given: "a GAN trained 2 steps whose samples come from an average of the generator's weights"
        def kept = new WeightAverage(0.9)
        def t = trainer(stabilisers: [kept])
        t.trainSteps(2)
        def noise = t.gan().latent().fixedBatch(4, 7)
        def scope = Backend.engine().newBaseManager()
        def averaged = t.gan().generate(noise, null, 4, scope).toList()

        when: "the change adds a second average, then a stabiliser whose attach fails, with a new Adam for D"
        def second = new WeightAverage(0.5)
        def broken = new Stabiliser() {
            String describe() { 'a stabiliser that cannot attach' }
            void attach(Trainer trainer) { throw new IllegalStateException('cannot attach') }
        }
        def newD = Adam.of(1e-3)
        def oldD = t.discriminatorOptimizer()
        t.changeTraining(t.strategy(), [kept, second, broken], t.generatorOptimizer(), newD)

        then: "the failure comes through"
        def e = thrown(IllegalStateException)
        e.message == 'cannot attach'

        and: "the trainer has its average and its Adam with 2 updates; the new Adam holds no state"
        t.stabilisers() == [kept]
        t.discriminatorOptimizer().is(oldD)
        oldD.steps() == 2
        newD.state().isEmpty()

        and: "samples still come from the kept average, not from the second one that was attached before the failure"
        t.gan().samplesWithAveragedWeights()
        t.gan().generate(noise, null, 4, scope).toList() == averaged

        cleanup:
        scope?.close()
        t?.close()
        t?.gan()?.close()
    }

    def "a change is refused while the trainer trains"() {
        given: "a trainer with a listener that tries to change the training during step 1"
        def t = trainer()
        String refusal = null
        t.addListener(new TrainingListener() {
            void onStep(Trainer trainer, StepRecord record) {
                try {
                    trainer.changeTraining(new UnrolledUpdates(2), [], trainer.generatorOptimizer(), trainer.discriminatorOptimizer())
                } catch (IllegalStateException e) {
                    refusal = e.message
                }
            }
        })

        when: "it trains 1 step"
        t.trainSteps(1)

        then: "the change was refused and the trainer kept alternating updates"
        refusal == 'the trainer is training: its training can change between runs only'
        t.strategy().describe() == 'alternating updates'

        cleanup:
        t?.close()
        t?.gan()?.close()
    }
}
