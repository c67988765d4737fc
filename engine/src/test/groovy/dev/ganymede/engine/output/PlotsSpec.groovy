package dev.ganymede.engine.output

import groovy.transform.CompileStatic
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

import javax.imageio.ImageIO
import java.nio.file.Path

@Title("Plots: the figures of a run as 800 × 500 PNG charts, drawn off-screen")
@Narrative("""
Losses and discriminator outputs against the step (smoothed over max(1, n/100) steps, the raw
curve faint behind), the comparison of loss functions, and the two toy benchmarks: generated 2D
points over the mixture's modes, and a 1D histogram under the target density. Every chart is
written as PNG on a white background, without a display.
""")
class PlotsSpec extends Specification {

    @TempDir Path dir

    @Shared List<StepRecord> run = synthetic(2000, 20, 1)
    @Shared List<StepRecord> critic = synthetic(600, 1, 2)*.with {
        new StepRecord(step(), epoch(), -lossD(), lossG() - 1, 3 * dReal(), -2 * dFake(), 0, 0)
    }

    def "#name is written as an 800 × 500 PNG on white"() {
        when: "the chart is drawn"
        def file = dir.resolve("charts/${name}.png")
        draw(file)
        def png = ImageIO.read(file.toFile())

        then: "it reads back as a PNG of the expected size"
        png != null
        png.width == Plots.WIDTH && png.width == 800
        png.height == Plots.HEIGHT && png.height == 500

        and: "its corner is white and it is not blank"
        (png.getRGB(1, 1) & 0xFFFFFF) == 0xFFFFFF
        colours(png) > 20

        where:
        name                    | draw
        "losses"                | { Path f -> Plots.losses(run, f) }
        "D outputs"             | { Path f -> Plots.discriminatorOutputs(run, f, true) }
        "critic scores"         | { Path f -> Plots.discriminatorOutputs(critic, f, false) }
        "comparison by epoch"   | { Path f -> Plots.lossComparison([BCE: run, Wasserstein: synthetic(2000, 20, 3), hinge: synthetic(2000, 20, 4)], f) }
        "comparison by step"    | { Path f -> Plots.lossComparison([BCE: critic, hinge: synthetic(600, 1, 5)], f) }
        "2D scatter"            | { Path f -> Plots.scatter2d(ring(1000), modes(8), f, "Ring of 8") }
        "1D histogram"          | { Path f -> Plots.histogram1d(gaussian(5000, 4, 1.25), 4, 1.25, f) }
        "metric with errors"    | { Path f -> Plots.metric("KID", "kid", [10, 20, 40] as double[], [0.3, 0.2, 0.15] as double[], [0.02, 0.01, 0.01] as double[], f) }
        "1D interpolation"      | { Path f -> Plots.interpolation1d([[3f, 3.5f, 4f] as float[], [5f, 4.5f, 4.2f] as float[]] as float[][], 4, 1.25, "paths", f) }
        "2D interpolation"      | { Path f -> Plots.interpolation2d([[0f, 0f, 0.5f, 1f, 1f, 2f] as float[]] as float[][], modes(8), "paths", f) }
    }

    def "awkward runs still plot: #description"() {
        when:
        def file = dir.resolve("awkward.png")
        Plots.losses(records, file)
        Plots.discriminatorOutputs(records, file, false)

        then:
        ImageIO.read(file.toFile()).width == 800

        where:
        description                    | records
        "a single step"                | [new StepRecord(1, 1, 0.7, 0.7, 0.5, 0.5, 10, 1)]
        "a diverged loss"              | synthetic(300, 1, 6) + [new StepRecord(301, 1, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, 0, 0)]
        "a long run, thinned to draw"  | synthetic(20_000, 10, 7)
        "no finite value at all"       | (1..50).collect { new StepRecord(it, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0) }
    }

    def "the moving average over #window values of #values is #expected"() {
        expect:
        Plots.movingAverage(values as double[], window) == expected as double[]

        where: "the window is centred and shrinks at the ends; NaNs are left out"
        values                  | window || expected
        [1, 2, 3, 4, 5]         | 1      || [1, 2, 3, 4, 5]
        [1, 2, 3, 4, 5]         | 3      || [1.5, 2, 3, 4, 4.5]
        [0, 0, 6, 0, 0]         | 2      || [0, 3, 3, 0, 0]
        [1, Double.NaN, 3]      | 3      || [1, 2, 3]
    }

    def "a loss comparison of runs of #epochs epochs plots against the #axis"() {
        expect: "per-epoch means as the seed's figure over 100 epochs, but only when every run has enough epochs to draw a curve"
        Plots.comparesByEpoch([synthetic(2000, epochs, 1), synthetic(2000, 20, 2)]) == (axis == 'epoch')

        where:
        epochs || axis
        1      || 'step (40 means)'
        3      || 'step (40 means)'
        9      || 'step (40 means)'
        10     || 'epoch'
        100    || 'epoch'
    }

    def "per-epoch means average each epoch's steps"() {
        given:
        def records = [
                new StepRecord(1, 1, 1, 0, 0, 0, 0, 0),
                new StepRecord(2, 1, 3, 0, 0, 0, 0, 0),
                new StepRecord(3, 2, 10, 0, 0, 0, 0, 0),
                new StepRecord(4, 2, Double.NaN, 0, 0, 0, 0, 0)]

        expect:
        Plots.epochMeans(records, { it.lossD() }) == [[1, 2], [2, 10]] as double[][]
    }

    def "#description is refused"() {
        when:
        action()

        then:
        thrown(IllegalArgumentException)

        where:
        description                   | action
        "an empty loss plot"          | { Plots.losses([], Path.of("unused.png")) }
        "an odd number of 2D values"  | { Plots.scatter2d([1, 2, 3] as float[], modes(8), Path.of("unused.png"), null) }
        "a zero standard deviation"   | { Plots.histogram1d([1, 2] as float[], 0, 0, Path.of("unused.png")) }
        "no runs to compare"          | { Plots.lossComparison([:], Path.of("unused.png")) }
    }

    // ---------------------------------------------------------------- synthetic data

    /** Plausible GAN curves: D's loss falls from ln 4, G's rises from ln 2, with noise. */
    @CompileStatic
    static List<StepRecord> synthetic(int steps, int epochs, long seed) {
        def random = new Random(seed)
        List<StepRecord> records = new ArrayList<>(steps)
        for (int s = 1; s <= steps; s++) {
            double progress = 1 - Math.exp(-6.0d * s / steps)
            records << new StepRecord(s, 1 + (int) ((s - 1L) * epochs).intdiv(steps),
                    1.386d - 0.5d * progress + 0.1d * random.nextGaussian(),
                    0.693d + 1.2d * progress + 0.25d * random.nextGaussian(),
                    0.5d + 0.25d * progress + 0.05d * random.nextGaussian(),
                    0.5d - 0.25d * progress + 0.05d * random.nextGaussian(),
                    900d, 0.05d * s)
        }
        records
    }

    static double[][] modes(int k) {
        (0..<k).collect { [2 * Math.cos(2 * Math.PI * it / k), 2 * Math.sin(2 * Math.PI * it / k)] as double[] } as double[][]
    }

    static float[] ring(int n) {
        def random = new Random(8)
        def m = modes(8)
        float[] points = new float[2 * n]
        for (int i = 0; i < n; i++) {
            def mode = m[random.nextInt(8)]
            points[2 * i] = (float) (mode[0] + 0.05 * random.nextGaussian())
            points[2 * i + 1] = (float) (mode[1] + 0.05 * random.nextGaussian())
        }
        points
    }

    static float[] gaussian(int n, double mean, double std) {
        def random = new Random(9)
        float[] values = new float[n]
        for (int i = 0; i < n; i++) {
            values[i] = (float) (mean + std * random.nextGaussian())
        }
        values
    }

    static int colours(image) {
        def seen = new HashSet<Integer>()
        for (int y = 0; y < image.height; y += 3) {
            for (int x = 0; x < image.width; x += 3) {
                seen << image.getRGB(x, y)
            }
        }
        seen.size()
    }
}
