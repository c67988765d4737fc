package dev.ganymede.cli

import static dev.ganymede.cli.GanCli.gan

import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("gan bench mixtures: settings for every variant, trials kept as runs, trials in parallel, seeds by name")
@Narrative("""
The mode-coverage benchmark trains each variant script on the ring and the grid for several
seeds. `--set KEY=VALUE` reaches every script as `gan run --set` would (a learning rate, a
batch size, a `params.KEY` the scripts read), and the table says which settings were changed, so a
table never passes for the scripts' own protocol when it is not. The benchmark chooses the data
and the seed itself: setting them is refused with the option to use instead.

A full-length trial trains for hours, so each one is a run folder under `--out`/runs, as
`gan run` writes it (samples, losses, report, trained networks): running the same command again
scores the finished trials without training them, and trains only those that are missing or were
interrupted. Trials save a checkpoint at the end of every epoch, so an interrupted one resumes
from its last epoch (as `gan resume` does) instead of starting over. `--jobs N` trains N trials at once, each in a process of its own (the seed is global
to a process) with its share of the cores; a seed gives the same generator in either way.
`--trials N` trains seeds 1 to N; `--seeds 4-6` names the seeds instead, so a table can grow over
several sittings or machines, a few seeds at a time, and be put together by one command at the end.
""")
class BenchMixturesSpec extends Specification {

    /** A variant small enough to train in a second: the benchmark's plumbing, not its numbers. */
    static final String TINY = '''\
data 'ring'
latent 2
generator { linear 16; relu; linear 2 }
discriminator { linear 16; leakyRelu 0.2; linear 1 }
loss 'bce-logits'
train {
    batch 50
    steps 20
    optimizer adam(lr: 1e-4)
}
'''

    @Shared Path folder = Files.createTempDirectory('bench-mixtures')
    @Shared Path script = folder.resolve('mixture-tiny.gan')

    def setupSpec() {
        Files.writeString(script, TINY)
    }

    def "a --set value reaches the variant and is noted under the table"() {
        given:
        def out = folder.resolve('set-lr')

        when:
        def r = gan('bench', 'mixtures', '--trials', '1', '--data', 'ring', '--variants', script.toString(),
                '--set', 'lr.g=0.001', '--set', 'lr.d=0.001', '--out', out.toString())

        then: "the variant was trained and scored on the ring, and the table names the changed settings"
        r.code == 0
        r.out.contains('| tiny | ring |')
        r.out.contains('Every script run with --set lr.g=0.001 lr.d=0.001.')
        Files.readString(out.resolve('mixtures.md')).contains('--set lr.g=0.001 lr.d=0.001')
        Files.isRegularFile(out.resolve('tiny-ring.png'))
    }

    def "variant scripts and mixtures may be listed with #how"() {
        given: "a second variant beside the tiny one"
        def other = folder.resolve('mixture-tiny-wide.gan')
        Files.writeString(other, TINY.replace('linear 16', 'linear 32'))
        def out = folder.resolve("listed-${how.replace(' ', '-')}")

        when:
        def r = gan(['bench', 'mixtures', '--trials', '1', '--out', out.toString()] + listing(script.toString(), other.toString()) as String[])

        then: "both variants were trained and scored on both mixtures"
        r.code == 0
        ['| tiny | ring |', '| tiny | grid |', '| tiny-wide | ring |', '| tiny-wide | grid |'].every { r.out.contains(it) }

        where:
        how                | listing
        'commas'           | { String a, String b -> ['--variants', "$a,$b".toString(), '--data', 'ring,grid'] }
        'spaces'           | { String a, String b -> ['--variants', a, b, '--data', 'ring', 'grid'] }
        'repeated options' | { String a, String b -> ['--variants', a, '--variants', b, '--data', 'ring', '--data', 'grid'] }
    }

    def "a setting the script does not have is reported by the script's own message"() {
        when:
        def r = gan('bench', 'mixtures', '--trials', '1', '--data', 'ring', '--variants', script.toString(),
                '--set', 'lr.gen=0.001', '--out', folder.resolve('typo').toString())

        then: "it fails before training with the known settings and a suggestion"
        r.code == 1
        r.err.contains("--set lr.gen=0.001: the script has no setting 'lr.gen'")
        r.err.contains('lr.g')
    }

    def "--set #key is refused: the benchmark chooses it"() {
        when:
        def r = gan('bench', 'mixtures', '--variants', script.toString(), '--set', "${key}=${value}".toString())

        then:
        r.code != 0
        r.err.contains(message)

        where:
        key    | value || message
        'data' | 'grid' | '--set data=grid: the benchmark sets data itself (choose mixtures with --data ring,grid)'
        'seed' | '7'    | '--set seed=7: the benchmark sets seed itself (trial n uses seed n; choose how many with --trials, or which with --seeds)'
    }

    def "--steps and --set steps together are refused"() {
        when:
        def r = gan('bench', 'mixtures', '--variants', script.toString(), '--steps', '10', '--set', 'steps=20')

        then:
        r.code != 0
        r.err.contains('--steps 10 and --set steps=20 say the same thing twice: give one')
    }

    static byte[] trainedGenerator(Path out, int seed) {
        Files.readAllBytes(out.resolve("runs/tiny-ring-seed${seed}/generator.params"))
    }

    def "each trial is a run folder; the same command again scores the finished trials without training them"() {
        given: "a benchmark of 2 trials that has run once"
        def out = folder.resolve('kept')
        String[] command = ['bench', 'mixtures', '--trials', '2', '--data', 'ring', '--variants', script.toString(),
                            '--out', out.toString()]
        def first = gan(command)
        def trained = [trainedGenerator(out, 1), trainedGenerator(out, 2)]

        when: "it runs again"
        def second = gan(command)

        then: "both trials were reused, not trained, and the table is the same"
        first.code == 0 && second.code == 0
        !first.out.contains('earlier run reused')
        second.out.count('earlier run reused') == 2
        [trainedGenerator(out, 1), trainedGenerator(out, 2)] == trained
        table(second.out) == table(first.out)

        and: "each trial folder is a whole run: its script, settings, samples and report"
        ['script.gan', 'settings.properties', 'run.properties', 'report.html', 'samples'].every {
            Files.exists(out.resolve('runs/tiny-ring-seed2').resolve(it))
        }

        and: "beside it, the trial's log holds what gan run prints: the data line, the progress, the time it took"
        first.out.contains("tiny       ring trial 2: training in this process, run folder ${out.resolve('runs/tiny-ring-seed2')}, log ${out.resolve('runs/tiny-ring-seed2.log')}")
        def log = Files.readString(out.resolve('runs/tiny-ring-seed2.log'))
        log.startsWith('data: ring (')
        log.contains('] step 20/20 | epoch 1 | loss D ')
        log.contains('trained 20 steps in ')
    }

    def "a trial is reused after only the comments of its script changed, and refused after its code changed"() {
        given: "a benchmark of one trial that has run"
        def edited = folder.resolve('edited/mixture-tiny.gan')
        Files.createDirectories(edited.parent)
        Files.writeString(edited, TINY)
        def out = folder.resolve('edited-out')
        String[] command = ['bench', 'mixtures', '--trials', '1', '--data', 'ring', '--variants', edited.toString(),
                            '--out', out.toString()]
        def first = gan(command)
        def trained = trainedGenerator(out, 1)

        when: "a comment line is added to the script and the command runs again"
        Files.writeString(edited, "// the tiny variant, commented later\n" + TINY.replace('latent 2', 'latent 2   // 2-D noise'))
        def commented = gan(command)

        then: "the trial is reused as it was"
        first.code == 0 && commented.code == 0
        commented.out.contains('earlier run reused')
        trainedGenerator(out, 1) == trained

        when: "the script's batch size changes"
        Files.writeString(edited, TINY.replace('batch 50', 'batch 40'))
        def changed = gan(command)

        then: "the benchmark refuses, naming the trial's folder, and keeps the trial"
        changed.code == 1
        changed.err.contains("${out.resolve('runs/tiny-ring-seed1')} holds a finished run of a different version of mixture-tiny.gan")
        trainedGenerator(out, 1) == trained
    }

    def "an interrupted trial is trained again, the finished one beside it is reused"() {
        given: "a finished benchmark whose second trial lost the mark of a finished run"
        def out = folder.resolve('interrupted')
        String[] command = ['bench', 'mixtures', '--trials', '2', '--data', 'ring', '--variants', script.toString(),
                            '--out', out.toString()]
        assert gan(command).code == 0
        Files.delete(out.resolve('runs/tiny-ring-seed2/run.properties'))

        when:
        def r = gan(command)

        then: "trial 1 is reused, trial 2 trained afresh to the same run"
        r.code == 0
        r.out.readLines().find { it.contains('trial 1:') }.contains('earlier run reused')
        !r.out.readLines().find { it.contains('trial 2:') }.contains('earlier run reused')
        Files.isRegularFile(out.resolve('runs/tiny-ring-seed2/run.properties'))
    }

    def "a trial stopped part-way resumes from its last checkpoint, in a process of its own with --jobs 2"() {
        given: "a variant with epochs of 100 steps (batch 1,000) trained for 250 steps, trial 1 then made to look killed after step 250"
        def epochs = folder.resolve('mixture-epochs.gan')
        Files.writeString(epochs, TINY.replace('batch 50', 'batch 1000').replace('steps 20', 'steps 250'))
        def out = folder.resolve('resumed')
        String[] command = ['bench', 'mixtures', '--trials', '2', '--data', 'ring', '--variants', epochs.toString(),
                            '--jobs', '2', '--out', out.toString()]
        assert gan(command).code == 0
        def run = out.resolve('runs/epochs-ring-seed1')
        def properties = run.resolve('run.properties')
        Files.write(properties, Files.readAllLines(properties).findAll { !it.startsWith('finished=') })

        when: "the same command runs again"
        def r = gan(command)
        def log = Files.readString(out.resolve('runs/epochs-ring-seed1.log'))

        then: "trial 1 resumed from its checkpoint at the end of epoch 2, and trial 2 was reused"
        r.code == 0
        r.out.contains('epochs     ring trial 1: resuming from its checkpoint in its own process')
        r.out.readLines().find { it.contains('trial 2:') }.contains('earlier run reused')

        and: "its log has the first process's 250 steps, then the 50 after the checkpoint"
        log.contains('trained 250 steps')
        log.contains('resuming at step 200 of 250 (checkpoint of epoch 2)')
        log.contains('trained 50 steps')

        and: "metrics.csv has each step once"
        dev.ganymede.engine.output.CsvLog.read(run.resolve('metrics.csv'))*.step() == (1L..250L).toList()
    }

    def "--jobs 2 trains the trials in two processes, to the same generators as one after the other"() {
        given: "the 2 trials trained one after the other in this process"
        def inProcess = folder.resolve('in-process')
        def sequential = gan('bench', 'mixtures', '--trials', '2', '--data', 'ring', '--variants', script.toString(),
                '--out', inProcess.toString())

        when: "the same trials train 2 at a time"
        def parallel = folder.resolve('parallel')
        def r = gan('bench', 'mixtures', '--trials', '2', '--data', 'ring', '--variants', script.toString(),
                '--jobs', '2', '--out', parallel.toString())

        then: "each trial had its own process and log, and each seed gave the same generator, byte for byte"
        sequential.code == 0 && r.code == 0
        r.out.contains('2 at a time')
        r.out.count('training in its own process') == 2
        (1..2).every { Files.readString(parallel.resolve("runs/tiny-ring-seed${it}.log")).contains('trained 20 steps') }
        (1..2).every { trainedGenerator(parallel, it) == trainedGenerator(inProcess, it) }
        table(r.out) == table(sequential.out)
    }

    def "a trial that fails does not stop the others, their table is printed, and the same command then trains only it"() {
        given: "a variant whose trial 2 fails as its process starts while a marker file exists (the benchmark's own check of the script passes)"
        def marker = Files.createFile(folder.resolve('trial-2-fails'))
        def fragile = folder.resolve('mixture-fragile.gan')
        Files.writeString(fragile, """if (params.seed == '2' && new File('${marker}').exists()) {
    throw new IllegalStateException('trial 2 fails on purpose')
}
""" + TINY)
        def out = folder.resolve('one-fails')
        String[] command = ['bench', 'mixtures', '--trials', '3', '--data', 'ring', '--variants', fragile.toString(),
                            '--jobs', '2', '--out', out.toString()]

        when: "three trials train two at a time"
        def r = gan(command)

        then: "the command fails, naming the trial, its exit code and its log"
        r.code == 1
        r.out.contains("fragile ring trial 2 failed (exit code 1); the end of its log ${out.resolve('runs/fragile-ring-seed2.log')}")
        r.out.contains('trial 2 fails on purpose')
        r.err.contains('1 of 3 trials failed (their logs are above); the finished ones are kept and the same command trains only the others again')

        and: "trials 1 and 3 trained to the end and were scored"
        [1, 3].every { Files.isRegularFile(out.resolve("runs/fragile-ring-seed${it}/generator.params")) }
        r.out.readLines().count { it =~ /fragile +ring trial [13]: \d+\/8 modes/ } == 2

        and: "their table is printed before the error, the row saying it has 2 of the 3 trials"
        r.out.contains('The trials that finished:')
        r.out.readLines().find { it.startsWith('| fragile (2 of 3 trials) | ring | ') && it =~ /\d\.\d ± \d\.\d/ }

        when: "the cause is gone and the same command runs again"
        Files.delete(marker)
        def again = gan(command)

        then: "trials 1 and 3 are reused, trial 2 trains, and the table has all three"
        again.code == 0
        again.out.readLines().findAll { it.contains('earlier run reused') }.size() == 2
        again.out.readLines().find { it =~ /fragile +ring trial 2: \d+\/8 modes/ }
        again.out.contains('| fragile | ring |')
    }

    def "a trial folder holding #what is refused before anything trains"() {
        given: "a folder where trial 1's run would go"
        def out = folder.resolve("in-the-way-${what.hashCode()}")
        putInTheWay(what, out.resolve('runs/tiny-ring-seed1'))

        when:
        def r = gan('bench', 'mixtures', '--trials', '1', '--data', 'ring', '--variants', script.toString(),
                '--out', out.toString())

        then: "the message names the folder and what to do, and the folder is left as it was"
        r.code == 1
        r.err.contains(out.resolve('runs/tiny-ring-seed1').toString())
        r.err.contains(message)
        Files.isRegularFile(out.resolve('runs/tiny-ring-seed1/keep.txt'))

        where:
        what                                 || message
        'files that are not a run'           || 'it is not a run folder. Move it away or give the benchmark another --out'
        'a finished run with other settings' || 'holds a finished run of other settings (data=ring lr.g=0.5 seed=1 instead of data=ring seed=1)'
    }

    def "--seeds #given trains #trained, and the table says '#footer'"() {
        expect:
        MixtureBenchmark.parseSeeds(given) == trained
        MixtureBenchmark.describeSeeds(trained) == footer

        where:
        given    || trained       | footer
        '2'      || [2]           | 'seed 2'
        '4-6'    || [4, 5, 6]     | 'seeds 4 to 6'
        '1..3'   || [1, 2, 3]     | 'seeds 1 to 3'
        '1-3,7'  || [1, 2, 3, 7]  | 'seeds 1, 2, 3, 7'
        '5, 2'   || [5, 2]        | 'seeds 5, 2'
    }

    def "a table built one seed at a time is the table of one run of both seeds"() {
        given: "seed 2 trained alone, then seed 1 into the same folder"
        def out = folder.resolve('seed-by-seed')
        def second = gan('bench', 'mixtures', '--seeds', '2', '--data', 'ring', '--variants', script.toString(), '--out', out.toString())
        def first = gan('bench', 'mixtures', '--seeds', '1', '--data', 'ring', '--variants', script.toString(), '--out', out.toString())

        when: "the two seeds are asked for together"
        def both = gan('bench', 'mixtures', '--trials', '2', '--data', 'ring', '--variants', script.toString(), '--out', out.toString())

        and: "the same two seeds train in one run elsewhere"
        def together = folder.resolve('seeds-together')
        def direct = gan('bench', 'mixtures', '--seeds', '1-2', '--data', 'ring', '--variants', script.toString(), '--out', together.toString())

        then: "seed 2 alone was trial 2 of its table, with a scatter plot of its own"
        second.code == 0 && first.code == 0 && both.code == 0 && direct.code == 0
        second.out.contains('1 trial(s) (seed 2) of 1 variant(s) on ring')
        second.out.readLines().find { it =~ /tiny +ring trial 2: \d+\/8 modes/ }
        second.out.contains('One trial (seed 2), 2,500 samples scored.')
        Files.isRegularFile(out.resolve('tiny-ring.png'))

        and: "asked for together, both seeds were reused, and their table is the one trained in one run"
        both.out.count('earlier run reused') == 2
        both.out.contains('Mean ± standard deviation over 2 trials (seeds 1 to 2), 2,500 samples scored per trial.')
        (1..2).every { trainedGenerator(out, it) == trainedGenerator(together, it) }
        table(both.out) == table(direct.out)
    }

    def "--seeds #given is refused: #problem"() {
        when:
        def r = gan(['bench', 'mixtures', '--variants', script.toString(), '--seeds', given] + more as String[])

        then: "nothing trains, and the message says what to write"
        r.code != 0
        r.err.contains(message)
        !r.out.contains('training in this process')

        where:
        problem                   | given   | more             || message
        'not a seed'              | 'two'   | []               || "--seeds takes seeds and ranges separated by commas (2, 2,5 or 4-6), got 'two'"
        'a range backwards'       | '3-1'   | []               || "--seeds range '3-1' runs backwards: write 1-3"
        'a seed named twice'      | '1-3,2' | []               || '--seeds names seed 2 twice'
        'given with --trials'     | '4'     | ['--trials', '2'] || '--trials 2 and --seeds 4 both choose the trials: give one (--trials N is --seeds 1-N)'
    }

    def "--jobs 0 is refused"() {
        when:
        def r = gan('bench', 'mixtures', '--variants', script.toString(), '--jobs', '0')

        then:
        r.code != 0
        r.err.contains('--jobs must be at least 1, got 0')
    }

    def "the table shows the published means of #variant on the #mixture beside ours: #published"() {
        given: "one trial of the variant, all modes captured"
        def trial = new dev.ganymede.engine.metrics.ModeCoverage(modes, modes, 0.95d, 0.1d, new int[modes], 2500)
        def result = new MixtureBenchmark.Result(variant, mixture, [trial], 60d)

        when:
        def row = MixtureBenchmark.table([result], [1], [:]).readLines()[2]

        then: "the published column holds modes / high quality % / reverse KL and the source; — where the source gives none"
        row.split(/ \| /)[5] == published

        where: "PacGAN's table 1 for its three variants; VEEGAN's table 1, which has no KL, for the unrolled GAN"
        variant                 | mixture | modes || published
        'gan'                   | 'ring'  | 8     || '6.3 / 98.2 / 0.45 (PacGAN table 1)'
        'gan'                   | 'grid'  | 25    || '17.3 / 94.8 / 0.70 (PacGAN table 1)'
        'pacgan2'               | 'grid'  | 25    || '23.8 / 91.3 / 0.13 (PacGAN table 1)'
        'pacgan4'               | 'grid'  | 25    || '24.8 / 93.6 / 0.04 (PacGAN table 1)'
        'unrolled'              | 'ring'  | 8     || '7.6 / 35.6 / — (VEEGAN table 1)'
        'unrolled-second-order' | 'grid'  | 25    || '23.6 / 16.0 / — (VEEGAN table 1)'
        'mixture-tiny'          | 'ring'  | 8     || '—'
    }

    /** The table's rows, without the time column (training times differ between runs). */
    static List<String> table(String out) {
        out.readLines().findAll { it.startsWith('| tiny') }.collect { it.substring(0, it.lastIndexOf('|', it.length() - 2)) }
    }

    /** Something in a trial's folder that the benchmark did not make for this trial. */
    void putInTheWay(String what, Path f) {
        if (what == 'a finished run with other settings') {
            assert gan('run', script.toString(), '--out', f.toString(), '--set', 'data=ring', '--set', 'seed=1',
                    '--set', 'lr.g=0.5').code == 0
        } else {
            Files.createDirectories(f)
        }
        Files.writeString(f.resolve('keep.txt'), 'the user\'s')
    }
}
