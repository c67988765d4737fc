package dev.ganymede.engine.metrics

import dev.ganymede.engine.GanymedeException
import dev.ganymede.engine.data.Gaussian1D
import dev.ganymede.engine.data.GaussianMixture2D
import dev.ganymede.engine.data.SyntheticDigits
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Measuring generators of the toy data: modes of a 2-D mixture, moments and W1 of the 1-D Gaussian")
@Narrative("""
On the toy data the true distribution is known, so no feature network is needed. On the ring and
the grid, a sample is of high quality within 3 standard deviations of a mode, a mode is captured
when it has one, and the reverse KL compares the histogram over modes with the uniform one (the
PacGAN paper's protocol). On the 1-D Gaussian N(4, 1.25²), the samples' mean and standard
deviation are reported beside the 1-D Wasserstein distance W1 to as many true points: the mean
absolute difference of the two sorted samples. Between N(a, σ²) and N(b, σ²) W1 is |a - b|.
""")
class ToyEvaluatorSpec extends Specification {

    static float[] points(GaussianMixture2D data) {
        float[] out = new float[data.size() * 2]
        for (int i = 0; i < data.size(); i++) {
            data.copySample(i, out, 2 * i)
        }
        out
    }

    def "real points of the #name score the floor: every mode, about 98.9 % of high quality, reverse KL near 0"() {
        given: "the evaluator of 2,500 points and the floor: 2,500 fresh points of the same mixture"
        def evaluator = ToyEvaluator.of(data, 2_500, 1)

        when:
        def floor = evaluator.heldOutBaseline()
        println floor

        then: "all modes; within 3 std of its mode falls 1 - exp(-4.5) = 98.9 % of a 2-D Gaussian"
        floor.metrics().modes == modes
        Math.abs(floor.metrics().high_quality - 0.9889) < 0.01
        floor.metrics().reverse_kl < 0.02

        where:
        name   | data                                  || modes
        'ring' | GaussianMixture2D.ring(1_000, 1)      || 8
        'grid' | GaussianMixture2D.grid(1_000, 1)      || 25
    }

    def "points on #what of the ring: #modes modes, #percent % of high quality"() {
        given:
        def ring = GaussianMixture2D.ring(1_000, 1)
        def evaluator = ToyEvaluator.of(ring, 2_500, 1)

        when:
        def result = evaluator.score(pointsOf(ring), what)

        then:
        result.metrics().modes == modes
        Math.abs(100 * result.metrics().high_quality - percent) < 1
        reverseKl == null ? result.metrics().reverse_kl < 0.02 : result.metrics().reverse_kl == reverseKl

        where: "mode 0 is (1, 0); the midpoint between modes 0 and 1 is 0.39 from each, far beyond 3 std (0.03)"
        what                      | pointsOf                                       || modes | percent | reverseKl
        'mode 0 only'             | { d -> ([1f, 0f] * 100) as float[] }           || 1     | 100     | Math.log(8)
        'midpoints between modes' | { d -> ([0.924f, 0.383f] * 100) as float[] }   || 0     | 0       | Double.POSITIVE_INFINITY
        'every real point'        | { d -> points(d) }                             || 8     | 98.9    | null
    }

    def "W1 between N(#a, 1) and N(#b, 1) samples is |a - b| = #expected (within 0.05)"() {
        given: "20,000 points of each"
        def x = Gaussian1D.of(20_000, a, 1, 11)
        def y = Gaussian1D.of(20_000, b, 1, 12)

        expect:
        Math.abs(ToyEvaluator.wasserstein1(values(x), values(y)) - expected) < 0.05

        where:
        a | b   || expected
        0 | 0   || 0
        0 | 0.5 || 0.5
        4 | 1   || 3
    }

    static float[] values(Gaussian1D data) {
        (0..<data.size()).collect { data.value(it) } as float[]
    }

    def "real points of N(4, 1.25²) score the floor: mean 4, std 1.25, W1 near 0"() {
        given:
        def evaluator = ToyEvaluator.of(Gaussian1D.standard(1_000, 1), 10_000, 1)

        when:
        def floor = evaluator.heldOutBaseline().metrics()

        then:
        Math.abs(floor.mean - 4) < 0.05
        Math.abs(floor.std - 1.25) < 0.05
        floor.w1 < 0.05
    }

    def "image data is refused with a message that names the data"() {
        when:
        ToyEvaluator.of(SyntheticDigits.generate(10, 1), 100, 1)

        then:
        def e = thrown(GanymedeException)
        e.message == "the toy metrics need a 2-D Gaussian mixture (ring, grid) or the 1-D Gaussian, not 'digits'"
    }
}
