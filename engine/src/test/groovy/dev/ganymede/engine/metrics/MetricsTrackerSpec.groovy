package dev.ganymede.engine.metrics

import ai.djl.Device
import dev.ganymede.engine.Backend
import dev.ganymede.engine.GanymedeException
import dev.ganymede.engine.data.GaussianMixture2D
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.NetworkIO
import dev.ganymede.engine.nn.SeedNetworks
import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.output.StepRecord
import dev.ganymede.engine.train.Gan
import dev.ganymede.engine.train.LatentNoise
import dev.ganymede.engine.train.Trainer
import dev.ganymede.engine.train.TrainingCheckpoint
import dev.ganymede.engine.train.TrainingListener
import dev.ganymede.engine.train.RunOutputs
import dev.ganymede.engine.train.RunRecorder
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("Metrics while training: evaluation.csv, the best generator, and a run that trains as without them")
@Narrative("""
`every(1.epoch) { metrics fd: 5000 }` adds a MetricsTracker to the trainer. It measures the
untrained generator before the first step (step 0, epoch 0), then the generator at the end of
every epoch (or every n steps), and appends each number to evaluation.csv in long format:
step,epoch,metric,value. With keepBest it saves generator-best.params whenever FD reaches a new
low. Measuring reads nothing from PyTorch's random stream and changes no weight, so the losses of
a run with metrics are, step for step, those of the same run without.

The run here is seed 002's DCGAN (G 312,256 and D 109,440 parameters, BCE, Adam 2e-4 with betas
(0.5, 0.999)) on 1,280 built-in digits, batches of 64: 20 steps per epoch, 2 epochs, FD of 500
samples (far fewer than the 5,000 to 10,000 a real run measures, to keep the spec short).

On toy data there is no feature network: on the 2-D mixtures (the ring, the grid) the rows are
the PacGAN protocol's modes (captured), high_quality (fraction within 3 std of a mode) and reverse_kl (of
the mode histogram), which show when a GAN drops modes during training, not only at its end.

A run resumed from its checkpoint (gan resume) continues evaluation.csv: rows measured after the
checkpoint by the killed process are dropped and measured again, and the checkpoint's own step,
which the killed process may not have reached, is measured before training goes on.
""")
class MetricsTrackerSpec extends Specification {

    @Shared SyntheticDigits digits = SyntheticDigits.generate(1_280, 1)
    @Shared String previousFolder = System.getProperty('ganymede.features')

    def setupSpec() {
        // the tracker finds the specs' cached feature network of the digits through this property
        System.setProperty('ganymede.features', FeatureCache.FOLDER.toString())
    }

    def cleanupSpec() {
        if (previousFolder == null) {
            System.clearProperty('ganymede.features')
        } else {
            System.setProperty('ganymede.features', previousFolder)
        }
    }

    /** Trains the DCGAN from seed 3 for 2 epochs, with a tracker in {@code folder} when given. */
    List<StepRecord> train(Path folder, MetricsTracker.Options options) {
        Backend.seed(3)
        def gan = new Gan(SeedNetworks.dcgan002Generator(), SeedNetworks.dcgan002Discriminator(),
                LatentNoise.normal(100, 1, 1), BinaryCrossEntropy.onProbabilities(), 0)
        def trainer = Trainer.builder(gan, digits).batchSize(64).seed(3).build()
        trainTracked(gan, trainer, 2, folder, options) { new ArrayList<>(trainer.history()) }
    }

    /**
     * Trains {@code epochs} epochs with a tracker in {@code folder} when given, and returns what
     * {@code result} reads before the trainer and the GAN are closed.
     */
    static <T> T trainTracked(Gan gan, Trainer trainer, int epochs, Path folder, MetricsTracker.Options options, Closure<T> result) {
        def tracker = folder == null ? null : new MetricsTracker(folder, options)
        try {
            if (tracker != null) {
                trainer.addListener(tracker)
            }
            trainer.trainEpochs(epochs)
            return result.call()
        } finally {
            tracker?.close()
            trainer.close()
            gan.close()
        }
    }

    def "every epoch appends FD, the classifier score and the class KL to evaluation.csv, from step 0 on"() {
        given:
        def folder = Files.createTempDirectory('tracker')

        when: "the DCGAN trains 2 epochs of 20 steps with FD of 500 samples every epoch"
        train(folder, new MetricsTracker.Options(500, false, false, false, 1, 0, 1))
        def lines = Files.readAllLines(folder.resolve('evaluation.csv'))
        println lines.join('\n')
        def rows = lines.drop(1).collect { it.split(',') }

        then: "a header and, at steps 0, 20 and 40 (epochs 0, 1, 2), one row per metric"
        lines[0] == 'step,epoch,metric,value'
        rows.collect { "${it[0]}/${it[1]}" }.unique() == ['0/0', '20/1', '40/2']
        rows.findAll { it[0] == '0' }.collect { it[2] } == ['fd', 'classifier_score', 'classifier_score_std', 'class_kl']

        and: "every value is a finite number (whether FD falls after 40 steps is not the point here)"
        rows.every { Double.isFinite(it[3] as double) }
    }

    def "kid and prdc add their rows; keepBest keeps the generator of the lowest FD"() {
        given:
        def folder = Files.createTempDirectory('tracker')

        when:
        train(folder, new MetricsTracker.Options(500, true, true, true, 1, 0, 1))
        def rows = Files.readAllLines(folder.resolve('evaluation.csv')).drop(1).collect { it.split(',') }
        def best = new Properties()
        Files.newBufferedReader(folder.resolve('generator-best.properties')).withCloseable { best.load(it) }
        def fds = rows.findAll { it[2] == 'fd' }.collectEntries { [(it[0]): it[3] as double] }

        then: "every metric is there at every evaluation"
        rows.findAll { it[0] == '40' }.collect { it[2] } == ['fd', 'kid', 'kid_std', 'precision', 'recall', 'density',
                                                          'coverage', 'classifier_score', 'classifier_score_std', 'class_kl']

        and: "the kept generator is the one of the lowest FD, and loads into the generator's architecture"
        (best.getProperty('fd') as double) == fds.values().min()
        fds[best.getProperty('step')] == fds.values().min()
        Files.exists(folder.resolve('generator-best.params'))
        SeedNetworks.dcgan002Generator().withCloseable { g -> NetworkIO.load(g, folder.resolve('generator-best.params')); true }
    }

    def "a run with metrics has exactly the losses of the same run without"() {
        when:
        def without = train(null, null)
        def with = train(Files.createTempDirectory('tracker'), MetricsTracker.Options.fd(500))

        then: "40 steps, every D and G loss equal as doubles"
        without.size() == 40
        with.collect { [it.lossD(), it.lossG()] } == without.collect { [it.lossD(), it.lossG()] }
    }

    /**
     * A small GAN on the grid of 25 Gaussians (G 2-64-64-2, D 2-64-1 on logits, Adam 1e-2), trained
     * 3 epochs of 10 steps from seed 5; its history and, scored apart from the tracker, its final generator's 500 samples.
     */
    Map trainOnGrid(Path folder, MetricsTracker.Options options) {
        Backend.seed(5)
        def g = Network.builder('generator').input(2).linear(64).relu().linear(64).relu().linear(2).build(Device.cpu())
        def d = Network.builder('discriminator').input(2).linear(64).leakyRelu(0.2).linear(1).build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(2), BinaryCrossEntropy.onLogits(), 0)
        def grid = GaussianMixture2D.grid(1_000, 1)
        def trainer = Trainer.builder(gan, grid).batchSize(100).seed(5)
                .generatorOptimizer(Adam.of(1e-2)).discriminatorOptimizer(Adam.of(1e-2)).build()
        trainTracked(gan, trainer, 3, folder, options) {
            [history: new ArrayList<>(trainer.history()), last: ToyEvaluator.of(grid, 500, 1).evaluate(gan, 'last')]
        }
    }

    def "on the grid every epoch appends modes, high_quality and reverse_kl, and the run trains as without"() {
        given:
        def folder = Files.createTempDirectory('tracker')

        when: "a small GAN trains 3 epochs of 10 steps on 1,000 grid points, scored on 500 samples every epoch"
        def with = trainOnGrid(folder, new MetricsTracker.Options(500, false, false, false, 1, 0, 1))
        def without = trainOnGrid(null, null)
        def lines = Files.readAllLines(folder.resolve('evaluation.csv'))
        println lines.join('\n')
        def rows = lines.drop(1).collect { it.split(',') }

        then: "at steps 0, 10, 20 and 30 (epochs 0 to 3) the three numbers of the PacGAN protocol"
        lines[0] == 'step,epoch,metric,value'
        rows.collect { "${it[0]}/${it[1]}" }.unique() == ['0/0', '10/1', '20/2', '30/3']
        rows.findAll { it[0] == '0' }.collect { it[2] } == ['modes', 'high_quality', 'reverse_kl']

        and: "the last rows are what the toy evaluator gives the trained generator (30 steps: one mode, KL log 25 = 3.22)"
        rows.findAll { it[0] == '30' }.collect { it[3] } ==
                with.last.metrics().values().collect { MetricsTracker.number(it) }

        and: "the same 30 D and G losses as without the tracker"
        with.history.size() == 30
        with.history.collect { [it.lossD(), it.lossG()] } == without.history.collect { [it.lossD(), it.lossG()] }
    }

    /** The small grid GAN of {@link #trainOnGrid}, with a recorder saving a checkpoint every epoch and a tracker after it. */
    Map gridRun(Path folder, long seed) {
        Backend.seed(seed)
        def g = Network.builder('generator').input(2).linear(64).relu().linear(64).relu().linear(2).build(Device.cpu())
        def d = Network.builder('discriminator').input(2).linear(64).leakyRelu(0.2).linear(1).build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(2), BinaryCrossEntropy.onLogits(), 0)
        def trainer = Trainer.builder(gan, GaussianMixture2D.grid(1_000, 1)).batchSize(100).seed(5)
                .generatorOptimizer(Adam.of(1e-2)).discriminatorOptimizer(Adam.of(1e-2)).build()
        def recorder = new RunRecorder(folder, new RunOutputs(16, 1, 0, false, true))
        def tracker = new MetricsTracker(folder, new MetricsTracker.Options(500, false, false, false, 1, 0, 1))
        [gan: gan, trainer: trainer, recorder: recorder, tracker: tracker]
    }

    /**
     * Stands for a process killed at a given moment: the recorder and the tracker are called in
     * order until then, and nothing of theirs runs after it (not even the end of training).
     */
    static class UntilKilled implements TrainingListener {
        final List<TrainingListener> inOrder
        final long killedAtStep
        final int killedAfterEpoch
        boolean dead

        UntilKilled(List<TrainingListener> inOrder, long killedAtStep, int killedAfterEpoch) {
            this.inOrder = inOrder
            this.killedAtStep = killedAtStep
            this.killedAfterEpoch = killedAfterEpoch
        }

        void onStart(Trainer t) { inOrder*.onStart(t) }

        void onStep(Trainer t, StepRecord r) {
            inOrder*.onStep(t, r)
            if (r.step() == killedAtStep) kill()
        }

        void onEpochEnd(Trainer t, int epoch) {
            inOrder[0].onEpochEnd(t, epoch) // the recorder saves the checkpoint
            if (epoch == killedAfterEpoch) kill()
            inOrder.drop(1)*.onEpochEnd(t, epoch)
        }

        void onEnd(Trainer t, boolean stopped) {
            if (!dead) inOrder*.onEnd(t, stopped)
        }

        private void kill() {
            dead = true
            throw new IllegalStateException('killed')
        }
    }

    def "a run killed #moment resumes with every evaluation once: #rows"() {
        given: "the grid GAN recording a checkpoint at every epoch end (10 steps), its tracker listening after the recorder, in a process that will be killed"
        def folder = Files.createTempDirectory('tracker')
        def first = gridRun(folder, 5)
        first.trainer.addListener(new UntilKilled([first.recorder, first.tracker], killedAtStep, killedAfterEpoch))

        when: "the process dies #moment"
        first.trainer.trainEpochs(3)

        then:
        thrown(IllegalStateException)
        TrainingCheckpoint.step(folder) == 20

        when: "a new process restores the checkpoint of step 20 and trains the 10 steps left"
        [first.recorder, first.tracker, first.trainer, first.gan]*.close()
        def second = gridRun(folder, 5)
        TrainingCheckpoint.restore(second.trainer, folder)
        second.recorder.resume(second.trainer)
        second.tracker.resumeAt(20)
        second.trainer.addListener(second.recorder)
        second.trainer.addListener(second.tracker)
        second.trainer.trainSteps(10)
        [second.recorder, second.tracker, second.trainer, second.gan]*.close()
        def measured = Files.readAllLines(folder.resolve('evaluation.csv')).drop(1).collect { it.split(',') }

        then: "evaluation.csv has the three grid metrics at #rows, each step once"
        measured.collect { "${it[0]}/${it[1]}" }.unique() == rows.split(' ').toList()
        measured.size() == 3 * rows.split(' ').size()

        where:
        moment                                                 | killedAtStep | killedAfterEpoch || rows
        'between the checkpoint and the evaluation of step 20' | -1           | 2                || '0/0 10/1 20/2 30/3'
        'at step 25, after both'                               | 25           | -1               || '0/0 10/1 20/2 30/3'
    }

    def "on the grid #option is refused: it measures images"() {
        when:
        trainOnGrid(Files.createTempDirectory('tracker'), options)

        then:
        def e = thrown(GanymedeException)
        e.message == "${named} measure images in a classifier's feature space; 'grid' is toy data, whose metrics are" +
                " modes, high_quality and reverse_kl (2-D mixtures) or mean, std and w1 (1-D Gaussian)"

        where:
        option     | options                                                     || named
        'kid'      | new MetricsTracker.Options(500, true, false, false, 1, 0, 1) || 'KID'
        'keepBest' | new MetricsTracker.Options(500, false, false, true, 1, 0, 1) || 'keepBest (the generator of the lowest FD)'
    }
}
