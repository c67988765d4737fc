package dev.ganymede.cli

import static dev.ganymede.cli.GanCli.gan

import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("The gan command: run, check and sample from the command line")
@Narrative("""
`gan check SCRIPT` loads a script and prints both networks' summaries without training;
`gan run SCRIPT` trains and ends with the throughput and the run folder; `gan sample RUN_DIR`
draws from the trained generator; `gan bench dcgan --steps N ...` times training (its options are the
benchmark's own). Errors print one located message and exit with status 1 (a wrong option: 2, with the usage);
the Java stack trace appears only with --stacktrace.
""")
class GanCommandSpec extends Specification {

    @Shared Path root = Path.of(System.getProperty('ganymede.root', '..')).toAbsolutePath().normalize()

    def "gan check prints the summary table of seed 002's networks"() {
        when:
        def r = gan('check', root.resolve('scripts/dcgan.gan').toString())

        then: "it succeeds without training and shows every layer with its output shape and parameters"
        r.code == 0
        r.out.contains('0 ConvTranspose2d  [-1, 128, 4, 4]        204,800')
        r.out.contains('9 ConvTranspose2d  [-1, 1, 28, 28]            512')
        r.out.contains('Total parameters: 312,256')
        r.out.contains('Total parameters: 109,440')
        r.out.trim().endsWith('dcgan.gan: OK')
    }

    def "a script error exits with 1 and a located message, without a stack trace"() {
        given:
        def script = Files.createTempFile('typo', '.gan')
        Files.writeString(script, 'latent 8\ngenerator {\n    desne 16\n}\ndiscriminator {\n    linear 1\n}\n')

        when:
        def r = gan('check', script.toString())

        then:
        r.code == 1
        r.err.startsWith("Error ${script.fileName}:3:5: unknown word 'desne' (did you mean dense?)")
        r.err.contains('    desne 16')
        !r.err.contains('\tat ')

        when: "the same with --stacktrace"
        def traced = gan('check', script.toString(), '--stacktrace')

        then: "the stack trace follows the message"
        traced.code == 1
        traced.err.contains('\tat ')
    }

    def "a refusal found when the trainer is set up is located like any script error"() {
        given: "a script whose train block asks for second-order unrolling (line 8) after weight clipping"
        def script = Files.createTempFile('clipped', '.gan')
        Files.writeString(script, """\
data 'ring'
latent 2
generator { linear 16; relu; linear 2 }
discriminator { linear 16; leakyRelu 0.2; linear 1 }
loss 'bce-logits'
train {
    clipWeights 0.01
    unrolled 5, secondOrder: true
}
""")

        def runFolder = Files.createTempDirectory('refused').resolve('run')

        when:
        def r = gan('run', script.toString(), '--steps', '1', '--out', runFolder.toString())

        then: "gan run stops before training with the file, line and source line of the refused word"
        r.code == 1
        r.err.startsWith("Error ${script.fileName}:8:")
        r.err.contains('second-order unrolling cannot follow critic weights clipped to [-0.01, 0.01]')
        r.err.contains('    unrolled 5, secondOrder: true')
        !r.err.contains('\tat ')

        and: "it writes no run folder for the run that never started"
        !Files.exists(runFolder)
    }

    def "#what is refused with: #message"() {
        when:
        def r = gan(args as String[])

        then:
        r.code != 0
        (r.err + r.out).contains(message)

        where:
        what                 | args                                                   || message
        'a missing script'   | ['check', 'nowhere.gan']                               || 'nowhere.gan: no such script file'
        'an unknown device'  | ['run', 'scripts/dcgan.gan', '--device', 'tpu']        || "unknown device 'tpu': use cpu, gpu or auto"
        'a GPU where none is'| ['run', 'scripts/dcgan.gan', '--device', 'gpu']        || 'a GPU was asked for (--device gpu) but DJL sees no CUDA device'
        'an unknown command' | ['trian']                                              || "Unmatched argument at index 0: 'trian'"
        'a non-run folder'   | ['sample', '/tmp']                                     || '/tmp is not a run folder with a trained generator'
    }

    def "gan run trains, reports images/s and the run folder, and gan sample draws from it"() {
        given:
        def out = Files.createTempDirectory('ganymede-run')

        when: "the 1D Gaussian script runs 200 steps"
        def r = gan('run', root.resolve('scripts/dcgan-compact.gan').toString(), '--steps', '10', '--batch', '16', '--out', out.toString())

        then: "the last line gives the throughput and the folder"
        r.code == 0
        def last = r.out.trim().readLines().last()
        last ==~ /trained 10 steps in \d+s: [\d.]+ images\/s \| run folder: .*/
        last.endsWith(out.toString())
        r.out.contains('device cpu')

        when: "16 samples are drawn from the trained generator"
        def s = gan('sample', out.toString(), '-n', '16', '--out', out.resolve('grid.png').toString())

        then:
        s.code == 0
        Files.size(out.resolve('grid.png')) > 0
        javax.imageio.ImageIO.read(out.resolve('grid.png').toFile()).width == 2 * (4 * 30 + 2)
    }

    def "gan help #topic explains #what"() {
        when:
        def r = gan((['help'] + topic.split(' ').toList()) as String[])

        then:
        r.code == code
        r.out.contains(expected)

        where:
        topic             | what                                          || code | expected
        'run'             | 'a command'                                   || 0    | 'Train the GAN a script declares and write its run folder.'
        'bench mixtures'  | 'a subcommand'                                || 0    | 'Usage: gan bench mixtures [-hV]'
        'convT'           | 'a word of the language'                      || 0    | 'convT: convT 64, kernel: 4, stride: 2, padding: 1, outputPadding: 0'
        'lable'           | 'nothing, with a guess'                       || 1    | "no help on 'lable' (did you mean label?)"
        'label-smoothing' | 'a technique by its name'                     || 0    | "label-smoothing: one-sided label smoothing (Salimans et al. 2016): loss 'bce', realLabel: 0.9"
        'WGAN-GP'         | 'a technique in any case'                     || 0    | "WGAN-GP: WGAN-GP (Gulrajani et al. 2017): loss 'wasserstein', gradientPenalty 10, dSteps 5"
        'smoothing'       | 'nothing, with the technique it may mean'     || 1    | "no help on 'smoothing' (did you mean label-smoothing?)"
        'gradient'        | 'nothing, and no guess between two names'     || 1    | "no help on 'gradient'\n"
        'bench mixture'   | 'no subcommand, with the ones there are'      || 1    | "no help on 'bench mixture': gan bench has mixtures, dcgan (did you mean mixtures?)"
        'run fast'        | 'nothing: run has no subcommands'             || 1    | "no help on 'run fast': gan run has no subcommands"
        'conv kernel'     | 'nothing: a word of the language is one word' || 1    | "no help on 'conv kernel': 'conv' is not a command"
    }

    def "gan #command --help shows its usage and trains nothing"() {
        when:
        def r = gan((command.split(' ') + ['--help']) as String[])

        then: "the usage of that command, not a complaint about a missing argument"
        r.code == 0
        r.out.startsWith("Usage: gan ${command} [-hV]")
        r.err.isEmpty()

        where:
        command << ['run', 'check', 'sample', 'eval', 'report', 'bench mixtures', 'bench dcgan', 'docs']
    }

    def "gan bench dcgan takes the benchmark's own options and compares only with the variants it ran"() {
        when: "the engine alone is timed for 4 steps of seed 004's DCGAN on the built-in digits (--steps=4 as --steps 4)"
        def r = gan('bench', 'dcgan', '--steps=4', '--warmup', '1', '--rounds', '2', '--data', 'digits',
                '--only', 'ours', '--no-renice')

        then: "the table has the engine's images per second and the variants not run say so"
        r.code == 0
        r.out =~ /Ganymede engine\s+\d+\.\d/
        r.out =~ /naive DJL \(zero-insertion ConvT\)\s+not run/
        r.out =~ /PyTorch \(python3-torch, CPU\)\s+not run/

        and: "no ratio to a variant that did not run (it was printed as NaNx)"
        !r.out.contains('NaN')
        !r.out.contains('ours / PyTorch')
        !r.out.contains('ours / naive DJL')
    }

    def "gan bench dcgan #options is refused before any training with: #message"() {
        when:
        def r = gan((['bench', 'dcgan'] + options) as String[])

        then: "a usage error: the problem, then the command's usage with every option"
        r.code == 2
        r.err.startsWith(message)
        r.err.contains('Usage: gan bench dcgan [-hV] [OPTION...]')
        r.err.contains('--no-pytorch')

        where:
        options                      || message
        ['--steps', '0']             || '--steps must be positive'
        ['--stepz', '3']             || 'unknown option --stepz (did you mean --steps?)'
        ['--no-pytroch']             || 'unknown option --no-pytroch (did you mean --no-pytorch?)'
        ['--colour', 'red']          || 'unknown option --colour\n'
        ['-steps', '3']              || 'unknown option -steps (did you mean --steps?)'
        ['--stepz=3']                || 'unknown option --stepz (did you mean --steps?)'
        ['--steps=0']                || '--steps must be positive'
        ['--data', 'cifar10']        || '--data takes fashion-mnist or digits, got cifar10'
        ['--steps', '4', '--rounds'] || '--rounds needs a value'
    }

    def "gan --version names the engine"() {
        expect:
        gan('--version').out.startsWith('Ganymede 0.1.0-SNAPSHOT (DJL 0.29.0, PyTorch 2.3.1')
    }
}
