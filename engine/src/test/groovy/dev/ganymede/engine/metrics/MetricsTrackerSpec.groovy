package dev.ganymede.engine.metrics

import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.NetworkIO
import dev.ganymede.engine.nn.SeedNetworks
import dev.ganymede.engine.output.StepRecord
import dev.ganymede.engine.train.Gan
import dev.ganymede.engine.train.LatentNoise
import dev.ganymede.engine.train.Trainer
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
        def tracker = folder == null ? null : new MetricsTracker(folder, options)
        try {
            if (tracker != null) {
                trainer.addListener(tracker)
            }
            trainer.trainEpochs(2)
            return new ArrayList<>(trainer.history())
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
}
