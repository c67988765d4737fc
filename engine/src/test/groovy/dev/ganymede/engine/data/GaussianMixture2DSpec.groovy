package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("GaussianMixture2D: the ring and the grid on which mode collapse is counted")
@Narrative("""
PacGAN and its predecessors measure mode collapse on points in the plane drawn from a mixture of
small Gaussians: a generator that covers the data visits every mode, a collapsed one only a few.

  ring: 8 modes evenly spaced on a circle of radius 1, std 0.01
  grid: 25 modes at (x, y) for x, y in {-4, -2, 0, 2, 4}, std 0.05

Each sample picks a mode uniformly. The data is unlabelled for training; modes(), std(), modeOf()
and nearestMode() are there so that metrics can count the modes a generator captures.
""")
class GaussianMixture2DSpec extends Specification {

    def "the ring's 8 modes lie on the unit circle, 45° apart, with std 0.01"() {
        when:
        def ring = GaussianMixture2D.ring(1000, 1)
        def modes = ring.modes()

        then:
        ring.numModes() == 8
        ring.std() == 0.01
        modes.every { Math.abs(Math.hypot(it[0], it[1]) - 1) < 1e-12 }
        (0..<8).every { k ->
            Math.abs(modes[k][0] - Math.cos(k * Math.PI / 4)) < 1e-12 && Math.abs(modes[k][1] - Math.sin(k * Math.PI / 4)) < 1e-12
        }
    }

    def "the grid's 25 modes are {-4, -2, 0, 2, 4}², with std 0.05"() {
        when:
        def grid = GaussianMixture2D.grid(1000, 1)

        then:
        grid.numModes() == 25
        grid.std() == 0.05
        grid.modes().collect { it as List }.toSet() ==
                [[-4, -2, 0, 2, 4], [-4, -2, 0, 2, 4]].combinations().collect { it*.doubleValue() }.toSet()
    }

    def "#name: every mode gets its share of the samples, and the points scatter around it with the right std"() {
        given: "100,000 points"
        def data = factory(100_000, 3)

        when: "each point is compared with the centre of the mode it was drawn from"
        int[] perMode = new int[count]
        def (double measuredStd, double allNearest) = Samples.mixtureStats(data, perMode)

        then: "each mode holds about 1/#count of the points"
        perMode.every { Math.abs(it - 100_000 / count) < 0.1 * 100_000 / count }

        and: "the spread around the centre is the std of the mixture, within 2 %"
        Math.abs(measuredStd / std - 1) < 0.02

        and: "the modes are far enough apart that a point's nearest centre is its own mode"
        allNearest == 1

        and: "the samples are 2D and unlabelled"
        data.name() == name
        data.sampleShape() == new Shape(2)
        data.numClasses() == 0
        data.label(0) == -1

        where:
        name   | factory                        | count | std
        "ring" | GaussianMixture2D.&ring        | 8     | 0.01
        "grid" | GaussianMixture2D.&grid        | 25    | 0.05
    }

    def "the value range covers the modes with 4 std to spare"() {
        expect:
        GaussianMixture2D.ring(10, 1).valueRange() == [-1.04f, 1.04f] as float[]
        GaussianMixture2D.grid(10, 1).valueRange() == [-4.2f, 4.2f] as float[]
    }

    def "modes() hands out a copy: the mixture cannot be changed from outside"() {
        given:
        def ring = GaussianMixture2D.ring(10, 1)

        when:
        ring.modes()[0][0] = 42

        then:
        ring.modes()[0][0] == 1.0
    }

    def "the same seed draws the same points, another seed different ones"() {
        given:
        def points = { GaussianMixture2D mix -> Samples.list(mix, 0, mix.size()) }

        expect:
        points(GaussianMixture2D.grid(200, 5)) == points(GaussianMixture2D.grid(200, 5))
        points(GaussianMixture2D.grid(200, 5)) != points(GaussianMixture2D.grid(200, 6))
    }

    def "a mixture of your own: any modes and std"() {
        when:
        def pair = GaussianMixture2D.of("pair", [[0, 0], [10, 0]] as double[][], 0.1, 1000, 1)

        then:
        pair.name() == "pair"
        pair.numModes() == 2
        pair.nearestMode(9, 1) == 1
    }

    def "a mode with #n coordinates is refused"() {
        when:
        GaussianMixture2D.of("bad", [[0, 0], coordinates] as double[][], 0.1, 10, 1)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "mode 1 has $n coordinates; a 2D mixture needs 2"

        where:
        coordinates | n
        [1]         | 1
        [1, 2, 3]   | 3
    }
}
