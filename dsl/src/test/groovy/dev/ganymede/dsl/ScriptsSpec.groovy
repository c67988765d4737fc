package dev.ganymede.dsl

import ai.djl.Device
import dev.ganymede.engine.output.CsvLog
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

@Title("Every script in scripts/ loads, passes its shape check and trains")
@Narrative("""
The scripts are the seed GANs written in the .gan language. Each must build networks with the
parameter counts of the seed checklist and train a few steps on the CPU, writing its run folder.
The sample image each one leaves (dsl/target/script-samples/NAME.png) illustrates its page in docs/.
""")
class ScriptsSpec extends Specification {

    @Shared Path root = Path.of(System.getProperty('ganymede.root', '..')).toAbsolutePath().normalize()
    @Shared Path samples = root.resolve('dsl/target/script-samples')

    def setupSpec() {
        Files.createDirectories(samples)
    }

    def "#script builds G with #gParams and D with #dParams parameters and trains #steps steps"() {
        given: "the script, loaded with a short duration"
        def file = root.resolve('scripts').resolve(script)
        def out = Files.createTempDirectory('ganymede-script')
        def session = GanSession.open(file, [steps: steps.toString()], Device.cpu())

        expect: "the parameter counts of the seed checklist"
        session.gan.generator().parameterCount() == gParams
        session.gan.discriminator().parameterCount() == dParams

        when: "it trains"
        session.useRunFolder(out)
        def finished = session.train()

        then: "every step is logged with finite losses, and samples and networks are written"
        finished
        def records = CsvLog.read(out.resolve('metrics.csv'))
        records.size() == steps
        records.every { Double.isFinite(it.lossD()) && Double.isFinite(it.lossG()) }
        Files.exists(out.resolve('samples/final.png'))
        Files.size(out.resolve('generator.params')) > gParams * 4

        cleanup:
        session?.close()
        if (out != null && Files.exists(out.resolve('samples/final.png'))) {
            Files.copy(out.resolve('samples/final.png'), samples.resolve(script.replace('.gan', '.png')), StandardCopyOption.REPLACE_EXISTING)
        }

        where: """the parameter counts come from the seed checklist, section 5.3; for the loss scripts, by hand
        (a Linear(n, m) holds n·m + m): seed 001 ch. 2.6's G 25,856 + 131,584 + 402,192 = 559,632 and its
        critic 401,920 + 131,328 + 257 = 533,505; the KL-WGAN G 300 + 10,100 + 202 = 10,602 and critic
        300 + 10,100 + 101 = 10,501; a D without its sigmoid keeps its count (kl-gan's DCGAN, fgan's toy)"""
        script                | steps || gParams   | dParams
        'gaussian-1d.gan'     | 300   || 13_057    | 385
        'vanilla-mlp.gan'     | 30    || 1_486_352 | 1_460_225
        'dcgan.gan'           | 20    || 312_256   | 109_440
        'dcgan-compact.gan'   | 20    || 1_793_536 | 659_457
        'cgan-onehot.gan'     | 30    || 1_488_912 | 538_625
        'cgan-embedding.gan'  | 30    || 582_644   | 538_725
        'lsgan.gan'           | 30    || 559_632   | 533_505
        'hinge.gan'           | 30    || 559_632   | 533_505
        'kl-gan.gan'          | 20    || 312_256   | 109_440
        'kl-wgan.gan'         | 100   || 10_602    | 10_501
        'fgan.gan'            | 300   || 13_057    | 385
        'loss-comparison.gan' | 30    || 559_632   | 533_505
    }

    def "every script in scripts/ is covered by this spec"() {
        expect:
        Files.list(root.resolve('scripts')).withCloseable { s -> s.map { it.fileName.toString() }.filter { it.endsWith('.gan') }.sorted().toList() } ==
                ['cgan-embedding.gan', 'cgan-onehot.gan', 'dcgan-compact.gan', 'dcgan.gan', 'fgan.gan', 'gaussian-1d.gan',
                 'hinge.gan', 'kl-gan.gan', 'kl-wgan.gan', 'loss-comparison.gan', 'lsgan.gan', 'vanilla-mlp.gan']
    }
}
