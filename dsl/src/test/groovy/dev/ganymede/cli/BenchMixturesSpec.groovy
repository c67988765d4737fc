package dev.ganymede.cli

import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("gan bench mixtures: settings given to every variant with --set")
@Narrative("""
The mode-coverage benchmark trains each variant script on the ring and the grid for several
seeds. `--set KEY=VALUE` reaches every script as `gan run --set` would (a learning rate, a
batch size, a `params.KEY` the scripts read), and the table says which settings were changed, so a
table never passes for the scripts' own protocol when it is not. The benchmark chooses the data
and the seed itself: setting them is refused with the option to use instead.
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

    static Map gan(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = GanCommand.execute(args, new PrintStream(out, true), new PrintStream(err, true))
        [code: code, out: out.toString(), err: err.toString()]
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
        'seed' | '7'    | '--set seed=7: the benchmark sets seed itself (trial n uses seed n; choose how many with --trials)'
    }

    def "--steps and --set steps together are refused"() {
        when:
        def r = gan('bench', 'mixtures', '--variants', script.toString(), '--steps', '10', '--set', 'steps=20')

        then:
        r.code != 0
        r.err.contains('--steps 10 and --set steps=20 say the same thing twice: give one')
    }
}
