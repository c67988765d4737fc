package dev.ganymede.cli

import static dev.ganymede.cli.GanCli.gan

import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.output.RunReport
import dev.ganymede.engine.output.SampleGrid
import spock.lang.Narrative
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Title

import javax.imageio.ImageIO
import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.regex.Pattern

@Stepwise
@Title("Every run folder gets report.html: one offline page with the run's provenance, curves, metrics and samples")
@Narrative("""
A GAN run leaves many files; a person wants one page. At the end of every run, RunRecorder writes
report.html into the run folder: a lab-notebook page that opens offline in any browser and can be
mailed as one file, since every figure is embedded as a data: URI and nothing is loaded from
anywhere. `gan report RUN_DIR` (or RunReport.write(runDir) from Java, Kotlin or the REPL) rewrites
it from the folder's files, for instance after evaluation.csv has grown.

The run here is real and short: a small conditional MLP GAN (latent 16, one-hot labels; G and D
with one hidden layer of 64, 52,688 and 50,945 parameters) on 640 built-in digits written as IDX files, 6 epochs of 10 steps with batch 64,
started with `gan run SCRIPT --epochs 6` over a script that says 8. Its page must have every
section — summary, provenance (versions, settings with the override marked, the script),
networks, training curves, metrics, samples (final grid, chosen epochs, one row per class),
latent interpolation, the animated GIF, the files — and, in a real headless browser (Debian's
chromium), every one of its figures must decode. A hand-written evaluation.csv then turns the
"no metrics" note into one chart per metric.
""")
class RunReportSpec extends Specification {

    static final String CHROMIUM = 'chromium'

    @Shared Path work = Files.createTempDirectory('ganymede-report')
    @Shared Path run = work.resolve('run')
    @Shared Map result
    @Shared String html

    static String script(Path data) {
        """\
        // A small conditional GAN for the report spec: 640 digits, one hidden layer in each network.
        data '${data}'
        latent 16

        generator {
            label classes: 10
            linear 64
            leakyRelu 0.2
            linear 784
            tanh
            reshape 1, 28, 28
        }

        discriminator {
            flatten
            label classes: 10
            linear 64
            leakyRelu 0.2
            linear 1
            sigmoid
        }

        loss 'bce'

        train {
            batch 64
            epochs 8
            generator adam(lr: 2e-3, betas: [0.5, 0.999])
            discriminator adam(lr: 2e-3, betas: [0.5, 0.999])
        }

        seed 3

        every(1.epoch) { samples 20; plots }
        """.stripIndent()
    }

    /** 640 built-in digits as uncompressed MNIST-layout IDX files (pixels 0..255, labels 0..9). */
    static Path digitsFolder(Path folder, int count) {
        Files.createDirectories(folder)
        def digits = SyntheticDigits.generate(count, 11)
        def images = ByteBuffer.allocate(16 + count * 784).putInt(0x803).putInt(count).putInt(28).putInt(28)
        def labels = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count)
        float[] pixels = new float[784]
        for (int i = 0; i < count; i++) {
            digits.copySample(i, pixels, 0)
            pixels.each { images.put((byte) Math.round((it + 1f) * 127.5f)) }
            labels.put((byte) digits.label(i))
        }
        Files.write(folder.resolve('train-images-idx3-ubyte'), images.array())
        Files.write(folder.resolve('train-labels-idx1-ubyte'), labels.array())
        folder
    }

    static String section(String page, String id) {
        def m = Pattern.compile("<section id=\"${id}\"[^>]*>(.*?)</section>", Pattern.DOTALL).matcher(page)
        m.find() ? m.group(1) : null
    }

    static boolean chromiumAvailable() {
        try {
            def p = new ProcessBuilder(CHROMIUM, '--version').redirectErrorStream(true).start()
            p.inputStream.text
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0
        } catch (IOException ignored) {
            return false
        }
    }

    /** Runs headless chromium on the page with extra arguments; returns its standard output. */
    String chromium(List<String> args) {
        def profile = Files.createTempDirectory(work, 'chromium-profile')
        def command = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                       '--no-first-run', '--disable-dev-shm-usage', "--user-data-dir=${profile}".toString(), '--virtual-time-budget=10000'] + args +
                [run.resolve('report.html').toUri().toString()]
        def p = new ProcessBuilder(command as List<String>).redirectError(ProcessBuilder.Redirect.DISCARD).start()
        def out = new StringBuilder()
        def reader = Thread.start { out << p.inputStream.text }
        assert p.waitFor(90, TimeUnit.SECONDS): "chromium did not finish within 90 s"
        reader.join()
        out.toString()
    }

    def setupSpec() {
        def data = digitsFolder(work.resolve('digits'), 640)
        def file = work.resolve('small-cgan.gan')
        Files.writeString(file, script(data))
        result = gan('run', file.toString(), '--epochs', '6', '--out', run.toString())
        html = Files.isRegularFile(run.resolve('report.html')) ? Files.readString(run.resolve('report.html')) : ''
    }

    def "a short run ends with report.html in its folder"() {
        expect: "the run succeeded and wrote its report"
        result.code == 0
        result.err == '' || !result.err.contains('Error')
        Files.size(run.resolve('report.html')) > 100_000

        and: "the figures only the final generator can draw are in the folder too"
        Files.isRegularFile(run.resolve('interpolation.png'))
        Files.isRegularFile(run.resolve('classes.png'))
        Files.isRegularFile(run.resolve('progress.gif'))
    }

    def "the report has the section '#heading' with #evidence"() {
        when: "the section is cut out of the page"
        def body = section(html, id)

        then: "it is there, with its heading and its content"
        body != null
        body.contains(heading)
        evidence.every { body.contains(it) }

        where:
        id              | heading                          | evidence
        'summary'       | 'Summary'                        | ['Steps', '60', 'Throughput', 'img/s', 'Final losses', 'Final D(x) · D(G(z))', 'Parameters']
        'provenance'    | 'Provenance'                     | ['DJL', '0.29.0', 'PyTorch 2.3.1', 'cpu', 'seed', 'Adam(lr=0.002, betas=(0.5, 0.999)',
                                                               'class="overridden"', 'epochs=6', 'gan run script.gan --set epochs=6', 'latent 16']
        'networks'      | 'Networks'                       | ['Generator', 'Discriminator', '<code>[-1, 1, 28, 28]</code>', '52,688', '50,945']
        'training'      | 'Training curves'                | ['losses.png', 'd-outputs.png', 'Per epoch', '<td>006</td>']
        'metrics'       | 'Metrics over time'              | ['No metrics were tracked', RunReport.HOW_TO_TRACK]
        'samples'       | 'Samples'                        | ['Final samples', 'One row per class', 'Grids of chosen epochs', 'Epoch progression']
        'interpolation' | 'Latent interpolation'           | ['spherical', 'One row per class, the class fixed along the row']
        'animation'     | 'The fixed batch across training' | ['data:image/gif;base64,', '6 frames']
        'files'         | 'Files of the run'               | ['generator.params', 'metrics.csv', 'run.properties', 'script.gan']
    }

    def "the page is one self-contained file: every image is a data: URI, nothing is fetched"() {
        given: "every src and href of the page"
        def sources = (html =~ /\b(?:src|href)="([^"]*)"/).collect { it[1] }

        expect: "images are embedded and links stay in the page"
        sources.size() >= 14
        sources.every { it.startsWith('data:image/') || it.startsWith('#') }

        and: "no style sheet, script or font is loaded from elsewhere"
        !html.contains('<link')
        !html.contains('@import')
        !html.contains('url(')
        !(html =~ /<script[^>]+src=/)
    }

    def "the interpolation strip has one row per class and 10 points per path"() {
        given:
        def strip = ImageIO.read(run.resolve('interpolation.png').toFile())
        int[] grid = SampleGrid.gridSize(10 * 10, 10, 28, 28, 2)

        expect: "10 rows of 10 enlarged 28 × 28 cells, with a label column to their left"
        strip.height == grid[1]
        strip.width > grid[0]
        Files.readString(run.resolve('interpolation.properties')).contains('method=spherical')
    }

    def "gan report redraws the metrics section from evaluation.csv: one chart per metric"() {
        given: "an evaluation log in long format, as the metric tracker writes it (KID with its standard deviation)"
        Files.writeString(run.resolve('evaluation.csv'), '''\
            step,epoch,metric,value
            10,1,fd,182.5
            10,1,kid,0.21
            10,1,kid_std,0.02
            10,1,precision,0.05
            30,3,fd,121.0
            30,3,kid,0.14
            30,3,kid_std,0.015
            30,3,precision,0.21
            60,6,fd,96.25
            60,6,kid,0.11
            60,6,kid_std,0.01
            60,6,precision,0.18
            '''.stripIndent())

        when:
        def r = gan('report', run.toString())
        html = Files.readString(run.resolve('report.html'))
        def metrics = section(html, 'metrics')

        then: "the command names the page it wrote"
        r.code == 0
        r.out.trim() == "wrote ${run.resolve('report.html')}".toString()

        and: "three charts (KID with error bars, not a chart of its own for kid_std) and the table of best values"
        !metrics.contains('No metrics were tracked')
        (metrics =~ /<img /).size() == 3
        metrics.contains('KID (lower is better) at 3 points of training, with ± one standard deviation (kid_std)')
        metrics.contains('<td>FD ↓</td><td class="num">3</td><td class="num">182.5</td><td class="num">96.25</td><td class="num">96.25</td><td class="num">60</td>')
        metrics.contains('<td>precision ↑</td><td class="num">3</td><td class="num">0.05</td><td class="num">0.18</td><td class="num">0.21</td><td class="num">30</td>')

        and: "the summary box shows the last value of each metric"
        section(html, 'summary').contains('0.11 ± 0.01')
    }

    def "gan report on a folder that does not exist exits with 1 and says so"() {
        when:
        def r = gan('report', work.resolve('no-such-run').toString())

        then:
        r.code == 1
        r.err.trim() == "no run folder at ${work.resolve('no-such-run')}".toString()
    }

    @Requires(value = { RunReportSpec.chromiumAvailable() },
            reason = 'chromium is not installed: apt-get install chromium (Debian\'s package; CI installs it)')
    def "in a real headless browser every figure of the page decodes"() {
        given: "the number of images in the page's source"
        int images = (html =~ /<img /).size()

        when: "chromium loads the page and the page's own script counts the decoded images"
        def dom = chromium(['--dump-dom'])
        def counts = dom =~ /<body[^>]*data-images="(\d+)"[^>]*data-decoded="(\d+)"[^>]*data-failed="([^"]*)"/

        then: "all of them decoded (natural width above 0), none failed"
        counts.find()
        counts.group(1) as int == images
        counts.group(2) as int == images
        counts.group(3) == ''
        images >= 14
        dom.contains("All ${images} figures decoded.")

        when: "a screenshot of the top of the page is taken for the docs"
        def shot = Path.of('target/spec-output/report-screenshot.png').toAbsolutePath()
        Files.createDirectories(shot.parent)
        Files.deleteIfExists(shot)
        chromium(['--window-size=1200,2400', "--screenshot=${shot}".toString()])

        then: "it is a picture of the page's width"
        ImageIO.read(shot.toFile()).width == 1200
    }
}
