package dev.ganymede.cli

import static dev.ganymede.cli.GanCli.gan

import dev.ganymede.dsl.ScriptException
import dev.ganymede.dsl.ScriptRunner
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Stepwise
@Title("Metrics from a script and from the command line: every(...) { metrics } and gan eval")
@Narrative("""
A script asks for metrics while training with `every(1.epoch) { metrics fd: 5000 }`: FD, the
classifier score and the class histogram's KL to uniform are appended to RUN_DIR/evaluation.csv
before the first step and at every interval (`kid: true` and `prdc: true` add KID and
precision, recall, density and coverage; `keepBest: true` keeps generator-best.params). On the
toy data `metrics modes: 2500` (the ring, the grid) writes the PacGAN protocol's modes captured,
high-quality fraction and reverse KL instead, and `metrics w1: 2500` (the 1-D Gaussian) the
samples' mean, std and W1: the numbers gan eval prints for them.
`gan eval RUN_DIR` measures a finished run with 10,000 samples by default (a run stopped before
its end, from its last checkpoint, with a note saying so) and prints the numbers beside the floor (held-out real images) and the ceiling (the untrained generator), then writes
RUN_DIR/evaluation.json. Both use a feature network trained on the run's data once and cached
(here in dsl/target/feature-cache; by default in ~/.ganymede/features).

The run here is seed 002's DCGAN (scripts/dcgan.gan) for 10 steps of batch 16, measured with 500
samples: far too short to draw digits, long enough to produce every file.
""")
class GanEvalSpec extends Specification {

    @Shared Path root = Path.of(System.getProperty('ganymede.root', '..')).toAbsolutePath().normalize()
    @Shared Path run = Files.createTempDirectory('ganymede-eval').resolve('run')
    @Shared String previousFolder = System.getProperty('ganymede.features')

    def setupSpec() {
        System.setProperty('ganymede.features', root.resolve('dsl/target/feature-cache').toString())
    }

    def cleanupSpec() {
        if (previousFolder == null) {
            System.clearProperty('ganymede.features')
        } else {
            System.setProperty('ganymede.features', previousFolder)
        }
    }

    /** A number of one column of evaluation.json (flat objects, one per column). */
    static double number(String json, String column, String metric) {
        def object = (json =~ /"${column}": \{([^}]*)\}/)[0][1]
        (object =~ /"${metric}": ([-\d.eE]+)/)[0][1].toDouble()
    }

    def "a run whose script asks for metrics writes evaluation.csv: step 0 and the last step"() {
        given: "scripts/dcgan.gan, its outputs replaced by FD of 500 samples, keeping the best generator"
        def source = Files.readString(root.resolve('scripts/dcgan.gan'))
        def script = Files.createTempDirectory('ganymede-eval').resolve('dcgan-metrics.gan')
        Files.writeString(script, source.replaceAll(/(?s)every\(1\.epoch\) \{.*\}/,
                'every(1.epoch) {\n    samples 16\n    metrics fd: 500, keepBest: true\n}\n'))

        when: "it trains 10 steps, less than an epoch"
        def r = gan('run', script.toString(), '--steps', '10', '--batch', '16', '--out', run.toString())
        println r.out
        def lines = Files.readAllLines(run.resolve('evaluation.csv'))

        then: "FD, classifier score and class KL of the untrained generator (step 0) and of the end of the run (step 10)"
        r.code == 0
        lines[0] == 'step,epoch,metric,value'
        lines.drop(1).collect { it.split(',')[0..2].join(',') } == [
                '0,0,fd', '0,0,classifier_score', '0,0,classifier_score_std', '0,0,class_kl',
                '10,1,fd', '10,1,classifier_score', '10,1,classifier_score_std', '10,1,class_kl']

        and: "the generator of the lower FD is kept"
        Files.exists(run.resolve('generator-best.params'))
    }

    def "gan eval prints every metric beside the floor and the ceiling and writes evaluation.json"() {
        when:
        def r = gan('eval', run.toString(), '--n', '500')
        println r.out

        then: "a table with a column per evaluation, the best generator included, and the sample count"
        r.code == 0
        def header = r.out.readLines().find { it.startsWith('metric') }
        header ==~ /metric +generator +best G \(by FD\) +floor: held-out real +ceiling: untrained G +better/
        ['FD', 'KID', 'precision', 'recall', 'density', 'coverage', 'classifier score', 'class KL to uniform'].every { m ->
            r.out.readLines().any { it.startsWith(m + ' ') }
        }
        r.out.readLines().any { it ==~ /samples +500 +500 +500 +500/ }
        r.out.contains('feature network: ')

        and: "evaluation.json holds the numbers of each column"
        def json = Files.readString(run.resolve('evaluation.json'))
        json.contains('"samples": 500,')
        ['generator', 'best', 'floor', 'ceiling'].every { json.contains("\"${it}\": {\"subject\": ") }
        number(json, 'floor', 'fd') < number(json, 'ceiling', 'fd')
        (json =~ /"generator": \{[^}]*"class_histogram": \[([\d, ]+)\]/)[0][1].split(', ')*.toInteger().sum() == 500
        (json =~ /"testAccuracy": ([\d.]+)/)[0][1].toDouble() > 0.99
    }

    def "gan eval --seed gives the same numbers for the same seed"() {
        when:
        def a = gan('eval', run.toString(), '--n', '500', '--seed', '4', '--no-baselines')
        def first = Files.readString(run.resolve('evaluation.json'))
        def b = gan('eval', run.toString(), '--n', '500', '--seed', '4', '--no-baselines')
        def second = Files.readString(run.resolve('evaluation.json'))

        then: "identical apart from the time taken"
        a.code == 0 && b.code == 0
        first.replaceAll(/"seconds": [^,}]+/, '') == second.replaceAll(/"seconds": [^,}]+/, '')
        !first.contains('"floor"')
    }

    def "a run stopped before its end is measured and sampled from its last generator.params, and both commands say so"() {
        given: "a copy of the run as a killed process leaves it: the parameters of its last checkpoint, no finish time in run.properties"
        def stopped = Files.createTempDirectory('ganymede-eval-stopped').resolve('run')
        Files.createDirectories(stopped)
        ['script.gan', 'settings.properties', 'generator.params', 'discriminator.params'].each {
            Files.copy(run.resolve(it), stopped.resolve(it))
        }
        Files.write(stopped.resolve('run.properties'),
                Files.readAllLines(run.resolve('run.properties')).findAll { !it.startsWith('finished=') })
        def note = "note: ${stopped} was stopped before the end of its training (run.properties has no finish time); its generator.params is the last checkpoint"

        when:
        def eval = gan('eval', stopped.toString(), '--n', '500', '--no-baselines')
        def sample = gan('sample', stopped.toString(), '-n', '4')

        then: "both work and print the note first"
        eval.code == 0 && sample.code == 0
        eval.out.readLines()[0] == note
        sample.out.readLines()[0] == note
        Files.exists(stopped.resolve('evaluation.json')) && Files.exists(stopped.resolve('sample.png'))

        and: "the finished run gets no note"
        !gan('sample', run.toString(), '-n', '4').out.contains('note:')
    }

    def "gan help #topic explains #what"() {
        when:
        def r = gan('help', topic)

        then:
        r.code == 0
        r.out.contains(expected)

        where:
        topic     | what                  || expected
        'eval'    | 'the command'         || 'Measure a trained generator: FD, KID, precision, recall, density, coverage'
        'eval'    | 'its sample count'    || '--n=<count>'
        'metrics' | 'the word'            || 'metrics: metrics fd: 5000 (inside every { })'
    }

    def "gan eval of a #script run measures what the toy data allows: #rows, beside the floor and the ceiling"() {
        given: "the script trained #steps steps"
        def folder = Files.createTempDirectory('ganymede-eval-toy').resolve('run')
        def trained = gan('run', root.resolve("scripts/${script}").toString(), '--steps', "${steps}", '--out', folder.toString())

        when: "it is measured with 2,500 samples, the PacGAN protocol's count"
        def r = gan('eval', folder.toString(), '--n', '2500')
        println r.out
        def json = Files.readString(folder.resolve('evaluation.json'))

        then: "the toy metrics, with no feature network: the true distribution is known"
        trained.code == 0 && r.code == 0
        rows.every { r.out.contains(it) }
        !r.out.contains('feature network')

        and: "real points score the floor"
        floor(json)

        where:
        script            | steps || rows                                                                | floor
        'mixture-gan.gan' | 20    || ['modes captured', 'high-quality fraction', 'reverse KL of modes'] | { number(it, 'floor', 'modes') == 8 && number(it, 'floor', 'high_quality') > 0.98 }
        'gaussian-1d.gan' | 200   || ['mean', 'std', 'W1 to the data']                                   | { Math.abs(number(it, 'floor', 'mean') - 4) < 0.1 && number(it, 'floor', 'w1') < 0.1 }
    }

    def "#what is refused with: #message"() {
        when:
        def r = gan(args as String[])

        then:
        r.code != 0
        (r.err + r.out).contains(message)

        where:
        what                  | args                                  || message
        'a non-run folder'    | ['eval', '/tmp']                      || '/tmp is not a run folder with a trained generator'
        'too few samples'     | ['eval', '/tmp', '--n', '50']         || '--n must be between 100 and 50,000, got 50'
    }

    def "the metrics word checks its options: #line"() {
        when:
        new ScriptRunner().evaluate(Files.readString(root.resolve('scripts/dcgan.gan')) + '\n' + line + '\n', 'm.gan')

        then:
        def e = thrown(ScriptException)
        e.message.contains(message)

        where:
        line                                           || message
        'every(1.epoch) { metrics fd: 50 }'            || 'metrics fd: takes 100 to 50,000 samples (5,000 or 10,000 are usual), got 50'
        'every(1.epoch) { metrics fd: 5000, kdi: true }' || "metrics does not take 'kdi:' (did you mean kid?)"
        'every(1.epoch) { metrics fd: 5000, kid: 1 }'  || 'metrics kid: must be true or false, got 1'
    }

    def "on toy data `#line` is refused at its every line: #why"() {
        given: "the mixture GAN's script (the ring) with metrics asked for on a line after its last"
        def source = Files.readString(root.resolve('scripts/mixture-gan.gan')).stripTrailing()
        int at = source.readLines().size() + 2

        when:
        new ScriptRunner().evaluate(source + '\n\n' + line + '\n', 'm.gan')

        then:
        def e = thrown(ScriptException)
        e.errors[0].line == at
        e.errors[0].message.startsWith(message)

        where:
        line                                               | why                    || message
        'every(1.epoch) { metrics fd: 5000 }'              | 'FD measures images'   || "metrics fd: does not fit the data 'ring': its metrics are modes captured, the high-quality fraction and the reverse KL, which measure the 2-D mixtures (ring, grid); write `metrics modes: 2500`"
        'every(1.epoch) { metrics w1: 2500 }'              | 'W1 is the 1-D data\'s' || "metrics w1: does not fit the data 'ring'"
        'every(1.epoch) { metrics modes: 2500, kid: true }' | 'KID measures images'  || "metrics kid: measures images; 'ring' is toy data, whose metrics are modes captured"
        'every(1.epoch) { metrics modes: 2500, fd: 5000 }' | 'one sample count'     || 'metrics takes one of fd:, modes: and w1:, got fd: and modes:'
    }

    def "#script with `#words` writes #metrics from step 0 on"() {
        given: "the toy script with metrics every 20 steps, trained 40 steps"
        def run = Files.createTempDirectory('toy-metrics').resolve('run')
        def source = Files.createTempFile('toy-metrics', '.gan')
        Files.writeString(source, Files.readString(root.resolve("scripts/${script}")).stripTrailing()
                + "\n\nevery(20.steps) { ${words} }\n")

        when:
        def result = gan('run', source.toString(), '--steps', '40', '--out', run.toString())
        def rows = Files.readAllLines(run.resolve('evaluation.csv')).drop(1).collect { it.split(',') }
        println rows*.join(',').join('\n')

        then: "rows at steps 0, 20 and 40, one per metric"
        result.code == 0
        rows.collect { it[0] }.unique() == ['0', '20', '40']
        rows.findAll { it[0] == '40' }.collect { it[2] } == metrics

        and: "the run's report draws a chart of each"
        def report = Files.readString(run.resolve('report.html'))
        metrics.every { report.contains(it) }

        where:
        script            | words                 || metrics
        'mixture-gan.gan' | 'metrics modes: 500'  || ['modes', 'high_quality', 'reverse_kl']
        'gaussian-1d.gan' | 'metrics w1: 500'     || ['mean', 'std', 'w1']
        'gaussian-1d.gan' | 'metrics'             || ['mean', 'std', 'w1']
    }
}
