package dev.ganymede.engine.train

import dev.ganymede.engine.Backend
import dev.ganymede.engine.GanymedeException
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.SeedNetworks
import dev.ganymede.engine.output.CsvLog
import dev.ganymede.engine.output.StepRecord
import dev.ganymede.engine.stabilise.ExperienceReplay
import dev.ganymede.engine.stabilise.InstanceNoise
import dev.ganymede.engine.stabilise.WeightAverage
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("A run killed mid-way resumes from its checkpoint")
@Narrative("""
Long runs die: a laptop sleeps, a session ends, a job is pre-empted. A TrainingCheckpoint keeps,
in the run folder's checkpoint/, everything the next step depends on: both networks with their
buffers (batch-norm statistics), both Adam optimisers' moments and update counts (Adam's bias
correction reads the count), the stabilisers' state (the generator's weight average, the replay
pool of past fakes) and the trainer's counters (steps, batches of data used, epochs). A script
asks for it with `every(1.epoch) { checkpoint }` (or gan run --checkpoint); `gan resume RUN_DIR` continues the run.

The proof is step-for-step: seed 004's DCGAN (G 1,793,536, D 659,457 parameters) trains 12 steps
on 256 built-in digits in batches of 32 (8 batches an epoch, so the data is in its second epoch),
its checkpoint is saved, and it trains 8 more. A second GAN, built afresh, restores the checkpoint
and trains its 8 steps. PyTorch's random generator is not saved (DJL cannot read its state), and
need not be: every step seeds it from the run's seed and the step, so the resumed steps draw the
noise of the run that never stopped. Then every loss of the 8 steps must agree exactly (as
doubles, on the CPU): a state left out (a moment, the data position, the pool) shows as a
different loss.
""")
class CheckpointSpec extends Specification {

    @Shared SyntheticDigits digits = SyntheticDigits.generate(256, 3)

    @TempDir Path folder

    static Gan dcgan(long seed) {
        Backend.seed(seed)
        new Gan(SeedNetworks.dcgan004Generator(), SeedNetworks.dcgan004Discriminator(),
                LatentNoise.normal(100), BinaryCrossEntropy.onLogits(), 0)
    }

    Trainer trainer(Gan gan, int dSteps, List<Stabiliser> stabilisers) {
        def b = Trainer.builder(gan, digits).batchSize(32).seed(7).discriminatorSteps(dSteps)
        stabilisers.each { b.stabiliser(it) }
        b.build()
    }

    static List<String> losses(List<StepRecord> records) {
        records.collect { String.format(Locale.ROOT, "%.6f/%.6f", it.lossD(), it.lossG()) }
    }

    /** Trains 12 steps, saves the checkpoint into {@code folder} and trains 8 more. */
    Trainer trainSavingAt12(Gan gan, int dSteps, List<Stabiliser> stabilisers) {
        def t = trainer(gan, dSteps, stabilisers)
        t.trainSteps(12)
        TrainingCheckpoint.save(t, folder)
        t.trainSteps(8)
        t
    }

    def "resumed after 12 steps, a run with #what trains its next 8 steps exactly as the run that never stopped"() {
        given: "a DCGAN trained 12 steps, its checkpoint saved, and trained 8 more"
        def ganA = dcgan(7)
        def a = trainSavingAt12(ganA, dSteps, stabilisers())
        def straight = a.history().drop(12)

        when: "a second DCGAN, built from the same seed, restores the checkpoint and trains 8 steps"
        def ganB = dcgan(7)
        def b = trainer(ganB, dSteps, stabilisers())
        long from = TrainingCheckpoint.restore(b, folder)
        b.trainSteps(8)
        def resumed = b.history().drop(b.history().size() - 8)
        println "${what}: after the checkpoint D/G ${losses(straight).take(3).join(', ')} ..."

        then: "it continued from step 12, and its counters match the first run's"
        from == 12
        b.step() == 20
        b.batchesConsumed() == a.batchesConsumed()
        b.completedEpochs() == a.completedEpochs()
        b.generatorOptimizer().steps() == a.generatorOptimizer().steps()

        and: "every loss and mean discriminator output of the 8 steps is the same"
        resumed*.lossD() == straight*.lossD()
        resumed*.lossG() == straight*.lossG()
        resumed*.dReal() == straight*.dReal()
        resumed*.dFake() == straight*.dFake()

        cleanup:
        [a, b, ganA, ganB]*.close()

        where:
        what                                            | dSteps | stabilisers
        "plain alternating updates"                     | 1      | { [] }
        "2 discriminator steps a step"                  | 2      | { [] }
        "a weight average of the generator (0.9)"       | 1      | { [new WeightAverage(0.9)] }
        "experience replay (pool of 48, p = 0.5)"       | 1      | { [new ExperienceReplay(48, 0.5)] }
        "instance noise, replay and a weight average"   | 1      | { [new InstanceNoise(0.1, 40), new ExperienceReplay(48, 0.5), new WeightAverage(0.9)] }
        "instance noise annealed over 3 epochs"         | 1      | { [InstanceNoise.annealedOverEpochs(0.1, 3)] }
    }

    def "the checkpoint is what makes the difference: without it the 8 steps differ"() {
        given: "the first run, as above, with replay and a weight average"
        def ganA = dcgan(7)
        def a = trainSavingAt12(ganA, 1, [new ExperienceReplay(48, 0.5), new WeightAverage(0.9)])

        when: "the second restores only the networks' weights (what generator.params and discriminator.params hold) and the step, 12"
        def ganB = dcgan(7)
        def b = trainer(ganB, 1, [new ExperienceReplay(48, 0.5), new WeightAverage(0.9)])
        dev.ganymede.engine.nn.NetworkIO.load(ganB.generator(), folder.resolve('checkpoint/generator.params'))
        dev.ganymede.engine.nn.NetworkIO.load(ganB.discriminator(), folder.resolve('checkpoint/discriminator.params'))
        b.resumeAt(12, 0, 0, [])
        b.trainSteps(8)

        then: "it draws the noise of steps 13 to 20, yet its losses leave the uninterrupted run's at once (Adam starts from zero moments, the data from its first batch, the pool empty)"
        b.step() == 20
        b.history()*.lossD().first() != a.history()[12].lossD()
        b.history()*.lossD() != a.history().drop(12)*.lossD()

        cleanup:
        [a, b, ganA, ganB]*.close()
    }

    def "a run folder with checkpoints every epoch continues its log, its provenance and its figures"() {
        given: "a run recorded with checkpoints at the end of every epoch (8 steps), stopped by a crash at step 20"
        def ganA = dcgan(7)
        def a = trainer(ganA, 1, [])
        def outputs = new RunOutputs(16, 1, 0, true, true)
        def recorder = new RunRecorder(folder, outputs)
        a.addListener(recorder)
        a.addListener(new TrainingListener() {
            void onStep(Trainer t, StepRecord r) { if (r.step() == 20) throw new IllegalStateException('power cut') }
        })
        when: "training stops with the crash"
        a.trainSteps(40)
        then:
        thrown(IllegalStateException)
        CsvLog.read(folder.resolve('metrics.csv')).size() == 20
        TrainingCheckpoint.step(folder) == 16

        when: "a new trainer restores the checkpoint, a recorder takes over the folder, and the run trains to step 40"
        recorder.close()
        def ganB = dcgan(7)
        def b = trainer(ganB, 1, [])
        TrainingCheckpoint.restore(b, folder)
        def again = new RunRecorder(folder, outputs)
        again.resume(b)
        b.addListener(again)
        b.trainSteps(24)
        again.close()
        def log = CsvLog.read(folder.resolve('metrics.csv'))
        def provenance = new Properties()
        folder.resolve('run.properties').toFile().withReader { provenance.load(it) }

        then: "metrics.csv has every step from 1 to 40 once: steps 17 to 20 of the crashed process were dropped and trained again"
        log*.step() == (1L..40L).toList()

        and: "the first 16 rows are the first process's (metrics.csv keeps 7 significant digits)"
        [log.take(16), a.history().take(16)].transpose().every { logged, trained ->
            Math.abs(logged.lossD() - trained.lossD()) <= 1e-6 * trained.lossD() }

        and: "run.properties still says when the run started and now says when it was resumed, and at which step"
        provenance.getProperty('started') != null
        provenance.getProperty('resumed') ==~ /.* at step 16/
        provenance.getProperty('steps') == '40'

        and: "the GIF has all 5 epochs' frames and the checkpoint moved on to the last epoch (step 40)"
        Files.isRegularFile(folder.resolve('progress.gif'))
        gifFrames(folder.resolve("progress.gif")) == 5  // epochs 1 to 5
        TrainingCheckpoint.step(folder) == 40

        cleanup:
        [a, b, ganA, ganB]*.close()
    }

    static int gifFrames(Path gif) {
        def reader = javax.imageio.ImageIO.getImageReadersByFormatName('gif').next()
        def input = javax.imageio.ImageIO.createImageInputStream(gif.toFile())
        try {
            reader.setInput(input)
            reader.getNumImages(true)
        } finally {
            input.close()
        }
    }

    def "a checkpoint refuses a trainer that #problem, naming what differs"() {
        given: "a checkpoint of the DCGAN after 4 steps with batch 32 and seed 7"
        def ganA = dcgan(7)
        def a = trainer(ganA, 1, [])
        a.trainSteps(4)
        TrainingCheckpoint.save(a, folder)

        when: "it is restored into another trainer"
        def ganB = dcgan(7)
        def b = change(ganB, digits)
        TrainingCheckpoint.restore(b, folder)

        then: "the error says what differs"
        def e = thrown(GanymedeException)
        e.message.contains(message)

        cleanup:
        [a, ganA, ganB]*.close()
        b?.close()

        where:
        problem                          | message                          | change
        "has another batch size"         | "the batch size '32'"            | { g, d -> Trainer.builder(g, d).batchSize(64).seed(7).build() }
        "has another seed"               | "the seed '7'"                   | { g, d -> Trainer.builder(g, d).batchSize(32).seed(8).build() }
        "has a stabiliser it did not"    | "the stabilisers ''"             | { g, d -> Trainer.builder(g, d).batchSize(32).seed(7).stabiliser(new WeightAverage(0.9)).build() }
        "has other discriminator steps"  | "the discriminator steps '1'"    | { g, d -> Trainer.builder(g, d).batchSize(32).seed(7).discriminatorSteps(2).build() }
        "trains on other data"           | "the data 'digits (256 samples)'" | { g, d -> Trainer.builder(g, SyntheticDigits.generate(512, 3)).batchSize(32).seed(7).build() }
    }

    def "a kill between the two moves of a save leaves the newest complete checkpoint to resume from"() {
        given: "a checkpoint of step 4 moved aside to checkpoint.old, and a complete one of step 8 left as checkpoint.new, as a kill between the moves leaves them"
        def gan = dcgan(7)
        def t = trainer(gan, 1, [])
        t.trainSteps(4)
        TrainingCheckpoint.save(t, folder)
        Files.move(folder.resolve('checkpoint'), folder.resolve('checkpoint.old'))
        t.trainSteps(4)
        def elsewhere = folder.resolve('elsewhere')
        TrainingCheckpoint.save(t, elsewhere)
        Files.move(elsewhere.resolve('checkpoint'), folder.resolve('checkpoint.new'))

        expect: "the run has a checkpoint, the one of step 8"
        TrainingCheckpoint.exists(folder)
        TrainingCheckpoint.step(folder) == 8

        when: "the next save comes"
        t.trainSteps(4)
        TrainingCheckpoint.save(t, folder)

        then: "it replaces them with one checkpoint, of step 12"
        TrainingCheckpoint.step(folder) == 12
        Files.list(folder).withCloseable { it.map { p -> p.fileName.toString() }.filter { it.startsWith('checkpoint') }.toList() } == ['checkpoint']

        cleanup:
        t.close()
        gan.close()
    }

    def "a run folder without a checkpoint says how to get one"() {
        given: "a trainer"
        def gan = dcgan(7)
        def t = trainer(gan, 1, [])

        when: "it is asked to resume from a folder that has no checkpoint"
        TrainingCheckpoint.restore(t, folder)

        then:
        def e = thrown(GanymedeException)
        e.message.contains('has no checkpoint to resume from')
        e.message.contains('the run saved none')

        cleanup:
        t.close()
        gan.close()
    }
}
