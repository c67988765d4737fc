package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import java.lang.management.ManagementFactory
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("SyntheticDigits: handwritten-looking digits drawn from pen strokes, MNIST without a download")
@Narrative("""
Each digit is a handful of strokes (lines, arcs, Bézier curves) in a unit box. Every sample jitters
the strokes and picks its own stroke width, slant, rotation, size and position, then renders the
strokes anti-aliased on a 28x28 canvas. Like MNIST, the result is a 1x28x28 gray image with ten
balanced classes; unlike MNIST it needs no file and no network, and a seed reproduces it exactly.
Pixels are in [-1, 1] with the background at -1, the scale a tanh generator produces.
""")
class SyntheticDigitsSpec extends Specification {

    @Shared long generationCpuNanos
    @Shared SyntheticDigits digits

    def setupSpec() {
        def threads = ManagementFactory.threadMXBean
        long start = threads.currentThreadCpuTime
        digits = SyntheticDigits.generate(60_000, 1)
        generationCpuNanos = threads.currentThreadCpuTime - start
    }

    def "60,000 digits are generated in well under two seconds of one core's time"() {
        expect: "about 0.6 s of CPU time (the bound leaves room for a slow or busy machine)"
        generationCpuNanos / 1e9 < 2.0
    }

    def "a digit is a 1x28x28 gray image of one of ten classes"() {
        expect:
        digits.name() == "digits"
        digits.size() == 60_000
        digits.sampleShape() == new Shape(1, 28, 28)
        digits.numClasses() == 10
        (0..9).collect { digits.className(it) } == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
        digits.valueRange() == [-1f, 1f] as float[]
    }

    def "pixels lie in [-1, 1]: the background is -1 and the middle of a stroke is fully inked"() {
        when: "the first thousand digits are read"
        float[] values = Samples.read(digits, 0, 1000)
        double[] stats = Samples.minMaxMean(values)

        then: "no pixel leaves [-1, 1], and both ends of the range occur"
        stats[0] == -1
        stats[1] == 1

        and: "there are shades in between from anti-aliasing"
        Samples.countBetween(values, -0.9f, 0.9f) > 10_000

        and: "about an eighth of the canvas is ink, as in MNIST (13 %)"
        double ink = (stats[2] + 1) / 2
        ink > 0.07 && ink < 0.2
    }

    def "every digit stays clear of the border and has its ink centred within a few pixels, as MNIST's are"() {
        when: "the border and the centre of the ink of 2,000 digits are inspected"
        def offenders = (0..<2000).findAll { i ->
            float[] image = Samples.read(digits, i, 1)
            double[] centre = Samples.centreOfInk(image)
            !Samples.clearBorder(image) || Math.abs(centre[0] - 14) > 4.5 || Math.abs(centre[1] - 14) > 4.5
        }

        then: "none touches the outermost pixels or has its ink centre more than 4.5 pixels from the middle"
        offenders == []
    }

    def "the classes are balanced: each block of ten samples holds every digit once"() {
        when:
        int[] counts = new int[10]
        (0..<digits.size()).each { counts[digits.label(it)]++ }

        then:
        counts.every { it == 6000 }

        and:
        (0..<100).every { block -> (0..9).collect { digits.label(block * 10 + it) }.toSet() == (0..9).toSet() }

        and: "the order inside a block is random, so labels do not simply cycle 0, 1, 2, ..."
        (0..<100).collect { digits.label(it) } != (0..<100).collect { it % 10 }
    }

    def "with a count that is not a multiple of ten the classes differ by at most one sample"() {
        when:
        def few = SyntheticDigits.generate(1005, 3)
        def counts = (0..<few.size()).countBy { few.label(it) }

        then:
        counts.keySet() == (0..9).toSet()
        counts.values().every { it == 100 || it == 101 }
    }

    def "the same seed draws the same digits, another seed different ones"() {
        expect: "a smaller set with the same seed is a prefix of the bigger one"
        def again = SyntheticDigits.generate(500, 1)
        Samples.read(again, 0, 500) == Samples.read(digits, 0, 500)
        (0..<500).every { again.label(it) == digits.label(it) }

        and:
        def other = SyntheticDigits.generate(500, 2)
        Samples.read(other, 0, 500) != Samples.read(digits, 0, 500)
    }

    def "the same digit is never drawn twice the same way"() {
        when: "the first fifty 7s are compared with each other"
        def sevens = (0..<1000).findAll { digits.label(it) == 7 }.take(50).collect { Samples.list(digits, it, 1) }

        then:
        sevens.toSet().size() == 50
    }

    def "digits of different classes look different: a nearest-mean classifier tells them apart"() {
        given: "the mean image of each digit over 3,000 training samples"
        def centroids = Samples.meanImages(digits, 0, 3000)

        when: "the next 1,000 samples are classified by their nearest mean image"
        double accuracy = Samples.nearestMeanAccuracy(digits, centroids, 3000, 4000)

        then: "most are right (MNIST itself gives about 82 % with this classifier)"
        accuracy > 0.7
    }

    def "with zeroToOne the same digits come scaled to [0, 1]"() {
        given:
        def signed = SyntheticDigits.generate(50, 9)
        def unit = SyntheticDigits.generate(50, 9, true)

        expect:
        unit.valueRange() == [0f, 1f] as float[]
        float[] a = Samples.read(signed, 0, 50)
        float[] b = Samples.read(unit, 0, 50)
        (0..<a.length).every { Math.abs((a[it] + 1) / 2 - b[it]) < 1e-6 }
    }

    def "a count of #count is refused"() {
        when:
        SyntheticDigits.generate(count, 1)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "the number of digits must be positive, got $count"

        where:
        count << [0, -5]
    }
}
