package dev.ganymede.engine.train

import ai.djl.ndarray.NDArray
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.SeedNetworks
import dev.ganymede.engine.output.StepRecord
import dev.ganymede.engine.support.MemoryScribbler
import dev.ganymede.engine.train.Stabiliser.LabelledBatch
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("A seed fixes a training run: same seed, same losses, step for step")
@Narrative("""
A GAN run is only worth comparing with another if it can be repeated. Everything random in a
Ganymede run comes from one seed: the initial weights (drawn from PyTorch's generator, so
Backend.seed(s) is called before the networks are built), the order of the data (the loader is
seeded by Trainer.builder(...).seed(s)), the latent noise and Dropout (PyTorch's generator again,
seeded by the trainer before every step from the run's seed and the step, so what seeds or draws
from it between steps changes nothing: gan-repl's /eval, which builds networks of its own, or the
process before a resumed run).

The run here is seed 004's compact DCGAN (G 1,793,536 and D 659,457 parameters, BCE on logits,
Adam 2e-4 with betas (0.5, 0.999) for both) on 2,048 built-in digits in batches of 32, for 30
steps. Two runs from the same seed must report exactly the same discriminator and generator loss
at every step (compared as doubles, no tolerance, on the CPU); runs from different seeds must not.
Nor may the garbage collector change a run: when it runs (which depends on the heap, the JVM and
everything else in the process) must not matter (ScalarArithmeticSpec has the trap it avoids).
""")
class DeterminismSpec extends Specification {

    static final int STEPS = 30

    @Shared SyntheticDigits digits = SyntheticDigits.generate(2048, 1)

    /** The first run made from each seed; a row's second run is always trained afresh. */
    @Shared Map<Long, List<StepRecord>> firstRuns = [:]

    /** Builds the networks and the trainer from {@code seed}, trains 30 steps and returns the step records. */
    List<StepRecord> run(long seed, Stabiliser... stabilisers) {
        runInChunks(seed, [STEPS], {}, stabilisers)
    }

    /** As {@link #run}, training the chunks' steps one after the other and calling {@code between} after each. */
    List<StepRecord> runInChunks(long seed, List<Integer> chunks, Closure between, Stabiliser... stabilisers) {
        Backend.seed(seed)
        def gan = new Gan(SeedNetworks.dcgan004Generator(), SeedNetworks.dcgan004Discriminator(),
                LatentNoise.normal(100), BinaryCrossEntropy.onLogits(), 0)
        def builder = Trainer.builder(gan, digits).batchSize(32).seed(seed)
        stabilisers.each { builder.stabiliser(it) }
        def trainer = builder.build()
        try {
            chunks.each {
                trainer.trainSteps(it)
                between()
            }
            return new ArrayList<>(trainer.history())
        } finally {
            trainer.close()
            gan.close()
        }
    }

    static String firstLosses(List<StepRecord> history) {
        history.take(4).collect { String.format(Locale.ROOT, "%.6f/%.6f", it.lossD(), it.lossG()) }.join(", ")
    }

    def "runs with seeds #seedA and #seedB give #outcome losses over 30 steps"() {
        when: "the same DCGAN is trained twice, once from each seed"
        def a = firstRuns.computeIfAbsent(seedA as long) { run(it) }
        def b = run(seedB)
        println "seed ${seedA}: first D/G losses ${firstLosses(a)}"
        println "seed ${seedB}: first D/G losses ${firstLosses(b)}"

        then: "both runs made every step"
        a.size() == STEPS
        b.size() == STEPS

        and: "the losses agree at every step exactly when the seeds are the same"
        (a*.lossD() == b*.lossD()) == same
        (a*.lossG() == b*.lossG()) == same

        and: "so do the mean discriminator outputs on real and generated batches"
        (a*.dReal() == b*.dReal()) == same
        (a*.dFake() == b*.dFake()) == same

        where:
        seedA | seedB || same
        1     | 1     || true
        42    | 42    || true
        1     | 2     || false
        outcome = same ? "identical" : "different"
    }

    def "seeding and drawing from PyTorch's generator between steps changes no step"() {
        given: "the run of seed 1, 30 steps at once"
        def straight = firstRuns.computeIfAbsent(1L) { run(it) }

        when: "seed 1 is trained again as 10, 12 and 8 steps; after each part PyTorch's generator is seeded with 5 and 6,400 numbers drawn (as gan-repl's /eval does when it builds networks)"
        int drawn = 0
        def drawSamples = {
            Backend.seed(5)
            Backend.engine().newBaseManager().withCloseable { m ->
                drawn += m.randomNormal(new ai.djl.ndarray.types.Shape(64, 100)).size()
            }
        }
        def interrupted = runInChunks(1, [10, 12, 8], drawSamples)
        println "drew ${drawn} numbers between the parts; first D/G losses ${firstLosses(interrupted)}"

        then: "numbers were drawn, and every step's losses and mean outputs equal those of the run trained at once"
        drawn == 3 * 64 * 100
        interrupted*.lossD() == straight*.lossD()
        interrupted*.lossG() == straight*.lossG()
        interrupted*.dReal() == straight*.dReal()
        interrupted*.dFake() == straight*.dFake()
    }

    /** Runs the garbage collector where penalties join D's loss, just before its backward pass. */
    static class CollectBeforeBackward implements Stabiliser {
        final MemoryScribbler scribbler = new MemoryScribbler()
        int collections

        String describe() { "garbage collection before D's backward pass" }

        NDArray discriminatorPenalty(Network d, LabelledBatch real, LabelledBatch fake, StepContext c) {
            scribbler.collectAndScribble()
            collections++
            return null
        }

        void afterDiscriminatorUpdate(Network d, StepContext c) { scribbler.release() }
    }

    def "a garbage collection between the discriminator's loss and its backward pass changes no step"() {
        given: "the run of seed 1"
        def calm = firstRuns.computeIfAbsent(1L) { run(it) }

        when: "seed 1 is trained again, the collector running in every step after D's loss is computed and the freed memory refilled"
        def collector = new CollectBeforeBackward()
        def disturbed = run(1, collector)
        println "collections: ${collector.collections}; first D/G losses ${firstLosses(disturbed)}"

        then: "the collector ran in every step"
        collector.collections == STEPS

        and: "every step's losses and mean outputs equal the undisturbed run's"
        disturbed*.lossD() == calm*.lossD()
        disturbed*.lossG() == calm*.lossG()
        disturbed*.dReal() == calm*.dReal()
        disturbed*.dFake() == calm*.dFake()
    }
}
