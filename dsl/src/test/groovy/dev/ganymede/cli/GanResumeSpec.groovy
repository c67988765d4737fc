package dev.ganymede.cli

import static dev.ganymede.cli.GanCli.gan

import dev.ganymede.engine.output.CsvLog
import dev.ganymede.engine.train.TrainingCheckpoint
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

@Title("gan resume: a killed run continues from its last checkpoint")
@Narrative("""
`gan run SCRIPT --checkpoint` (or `every(1.epoch) { checkpoint }` in the script) saves the whole
training state at the end of every epoch into RUN_DIR/checkpoint: both networks with their
batch-norm statistics, both optimisers' moments, the stabilisers' state and the position in the
data. When the process dies, `gan resume RUN_DIR` rebuilds the run from its own script.gan and
--set values, restores the checkpoint and trains to the end of the script's duration, in the
same folder: metrics.csv keeps each step once, run.properties says when and where it was resumed.
Every step draws its noise from a stream seeded by the run's seed and the step, so a resumed run
trains exactly the steps the run that never stopped trains.

The run here is a small GAN on the ring of 8 Gaussians (100,000 points in batches of 1,000: 100
steps an epoch) trained for 350 steps in a process of its own, killed with SIGKILL after its first
checkpoint.
""")
class GanResumeSpec extends Specification {

    static final String SMALL = '''\
data 'ring'
latent 2
generator { linear 512; relu; linear 512; relu; linear 2 }
discriminator { linear 512; leakyRelu 0.2; linear 1 }
loss 'bce-logits'
train {
    batch 1000
    steps 350
    optimizer adam(lr: 1e-3)
}
'''

    @Shared Path folder = Files.createTempDirectory('gan-resume')
    @Shared Path script = folder.resolve('small-ring.gan')
    @Shared Path killed = folder.resolve('killed')

    def setupSpec() {
        Files.writeString(script, SMALL)
        trainAndKill(killed)
    }

    /** `gan run SCRIPT --checkpoint` in a child JVM, killed (SIGKILL) once its first checkpoint is saved. */
    void trainAndKill(Path run) {
        List<String> cmd = [Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                            '-cp', System.getProperty('java.class.path'), GanCommand.name,
                            'run', script.toString(), '--out', run.toString(), '--checkpoint', '--device', 'cpu']
        Path log = folder.resolve("${run.fileName}.log")
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start()
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3)
            while (!TrainingCheckpoint.exists(run) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50)
            }
            assert TrainingCheckpoint.exists(run): "no checkpoint within 3 minutes; the child's log:\n${Files.readString(log)}"
        } finally {
            child.destroyForcibly().waitFor()
        }
    }

    static Path copyOf(Path run, Path to) {
        Files.walk(run).withCloseable { paths ->
            paths.each { Path p -> Files.copy(p, to.resolve(run.relativize(p).toString())) }
        }
        to
    }

    def "gan resume trains a killed run from its checkpoint to its last step, each step logged once"() {
        given: "the run killed after its first checkpoint, at step 100 (or a later one on a busy machine; its log may hold steps past it)"
        def run = copyOf(killed, folder.resolve('resumed'))
        long from = TrainingCheckpoint.step(run)
        assert from in [100L, 200L, 300L]
        assert !Files.readString(run.resolve('run.properties')).contains('finished=')

        when:
        def r = gan('resume', run.toString())
        def log = CsvLog.read(run.resolve('metrics.csv'))
        def provenance = new Properties()
        run.resolve('run.properties').toFile().withReader { provenance.load(it) }

        then: "it resumed at the checkpoint's step and trained the steps left"
        r.code == 0
        r.out.contains("resuming at step ${from} of 350 (checkpoint of epoch ${from.intdiv(100)})")
        r.out.contains("trained ${350 - from} steps")
        r.out.contains('step 350/350')

        and: "metrics.csv has steps 1 to 350, each once"
        log*.step() == (1L..350L).toList()

        and: "run.properties says where it was resumed and that it finished all 350 steps"
        provenance.getProperty('resumed').endsWith(" at step ${from}")
        provenance.getProperty('steps') == '350'
        provenance.getProperty('finished') != null

        and: "the folder has what a finished run has, its report saying where it was resumed, and the checkpoint of its last epoch (step 300)"
        ['generator.params', 'discriminator.params', 'report.html', 'losses.png'].every { Files.isRegularFile(run.resolve(it)) }
        Files.readString(run.resolve('report.html')) =~ /<tr><th>Resumed<\/th><td>[^<]* at step ${from}<\/td><\/tr>/
        TrainingCheckpoint.step(run) == 300

        when: "it is resumed once more"
        def again = gan('resume', run.toString())

        then: "there is nothing left to train"
        again.code == 0
        again.out.contains('finished its training (350 of 350 steps): nothing to resume')
    }

    def "a run killed while it wrote its end, after the checkpoint of its last step, gets its end written"() {
        given: "a run of 200 steps whose last checkpoint is at step 200, its report and finish time gone as a kill in the end would leave them"
        def run = folder.resolve('killed-at-the-end')
        assert gan('run', script.toString(), '--steps', '200', '--checkpoint', '--out', run.toString()).code == 0
        Files.delete(run.resolve('report.html'))
        def properties = run.resolve('run.properties')
        Files.write(properties, Files.readAllLines(properties).findAll { !it.startsWith('finished=') })

        when:
        def r = gan('resume', run.toString())

        then: "nothing is trained, and the report and the finish time are written"
        r.code == 0
        r.out.contains('the checkpoint is at the end of the run: nothing left to train; its report and final figures are written')
        Files.isRegularFile(run.resolve('report.html'))
        Files.readString(properties).contains('finished=')
        CsvLog.read(run.resolve('metrics.csv'))*.step() == (1L..200L).toList()
    }

    def "a resumed run trains the steps of the run that was never stopped, loss for loss"() {
        given: "a copy of the killed run, and the same script trained in one go (350 steps, checkpoints as the killed one)"
        def resumed = copyOf(killed, folder.resolve('resumed-to-compare'))
        def straight = folder.resolve('never-stopped')
        assert gan('run', script.toString(), '--checkpoint', '--device', 'cpu', '--out', straight.toString()).code == 0

        when: "the copy is resumed"
        assert gan('resume', resumed.toString()).code == 0
        int from = TrainingCheckpoint.step(killed)
        def a = CsvLog.read(resumed.resolve('metrics.csv')).drop(from)
        def b = CsvLog.read(straight.resolve('metrics.csv')).drop(from)
        println "from step ${from + 1}: resumed D/G ${a.take(2).collect { "${it.lossD()}/${it.lossG()}" }}," +
                " never stopped ${b.take(2).collect { "${it.lossD()}/${it.lossG()}" }}"

        then: "the steps after the checkpoint have the same losses and D outputs in both"
        a.size() == 350 - from
        a*.lossD() == b*.lossD()
        a*.lossG() == b*.lossG()
        a*.dReal() == b*.dReal()
        a*.dFake() == b*.dFake()

        and: "so the two runs end with the same generator"
        Files.readAllBytes(resumed.resolve('generator.params')) == Files.readAllBytes(straight.resolve('generator.params'))
    }

    def "gan resume refuses #what, saying why"() {
        given:
        Path run = prepare(folder.resolve("refused-${what.replaceAll(/\W+/, '-')}"))

        when:
        def r = gan('resume', run.toString())

        then: "it exits with 1 and one message naming the folder and what is missing"
        r.code == 1
        r.err.contains(run.toString())
        r.err.contains(message)
        !r.err.contains('Exception')

        where:
        what                                          | message                                   | prepare
        "a folder that is not a run"                  | 'is not a run folder: it has no script.gan' | { Path p -> Files.createDirectories(p) }
        "a stopped run that saved no checkpoint"      | 'has no checkpoint to resume from'        | { Path p -> unfinishedWithoutCheckpoint(p) }
    }

    def "a --set value comes back from the run folder as it was typed: #what"() {
        given: "the small GAN, reading one value from --set"
        def reading = folder.resolve('small-param.gan')
        Files.writeString(reading, "def note = params.note\n" + SMALL)
        def run = folder.resolve("param-${what.replaceAll(/\W+/, '-')}")

        when: "it trains 2 steps with --set note=VALUE"
        def r = gan('run', reading.toString(), '--set', "note=${value}".toString(), '--steps', '2', '--out', run.toString(), '--device', 'cpu')

        then: "settings.properties gives back the value gan resume and /resume rebuild the run with"
        r.code == 0
        RunFolder.overrides(run).note == value

        where: "the first three hold what a .properties file reads as syntax (unescaped, they came back changed); the last two need no escape and show it"
        what                       | value
        'a Windows path'           | 'C:\\runs\\new'
        'a leading blank'          | '  two blanks first'
        'a line break'             | 'one\ntwo'
        'separators and comments'  | 'a=b: c # d ! e'
        'letters beyond ASCII'     | 'naïve Gauß, 生成'
    }

    /** A run trained 30 steps without --checkpoint, then made to look killed (no finish time). */
    Path unfinishedWithoutCheckpoint(Path run) {
        assert gan('run', script.toString(), '--out', run.toString(), '--steps', '30').code == 0
        def properties = run.resolve('run.properties')
        Files.write(properties, Files.readAllLines(properties).findAll { !it.startsWith('finished=') })
        run
    }

    def "--checkpoint is refused for a script that compares runs, with the way to do it"() {
        given: "the small GAN comparing two losses"
        def comparing = folder.resolve('small-compare.gan')
        Files.writeString(comparing, SMALL + "compare loss: ['bce-logits', 'hinge']\n")

        when:
        def r = gan('run', comparing.toString(), '--checkpoint', '--out', folder.resolve('compare').toString())

        then:
        r.code == 1
        r.err.contains("small-compare.gan compares loss: --checkpoint is for one run (train the compared values one by one with --set loss=VALUE --checkpoint)")
    }
}
