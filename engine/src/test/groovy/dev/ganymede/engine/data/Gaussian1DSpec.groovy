package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Gaussian1D: the one-dimensional normal distribution a first GAN learns to imitate")
@Narrative("""
The simplest GAN seed trains a generator to turn noise into numbers distributed like N(4, 1.25²).
Each sample is a single float; there are no labels, and the values are not rescaled: the
generator has to learn to produce numbers around 4.
""")
class Gaussian1DSpec extends Specification {

    def "the standard set draws from N(4, 1.25²): its sample mean and std are close to 4 and 1.25"() {
        given: "100,000 samples"
        def data = Gaussian1D.standard(100_000, 7)

        when:
        def (double mean, double std) = Samples.meanAndStd(Samples.read(data, 0, data.size()))

        then: "both are within about five standard errors of the truth"
        Math.abs(mean - 4.0) < 0.02
        Math.abs(std - 1.25) < 0.02

        and: "the parameters are kept for reports"
        data.mean() == 4.0
        data.std() == 1.25
    }

    def "a sample is one unscaled float, without a label"() {
        given:
        def data = Gaussian1D.standard(1000, 1)
        float[] dest = new float[3]

        when: "sample 5 is copied to position 1 of a buffer"
        data.copySample(5, dest, 1)

        then:
        dest[1] == data.value(5)
        dest[0] == 0f && dest[2] == 0f

        and:
        data.name() == "gaussian-1d"
        data.sampleShape() == new Shape(1)
        data.size() == 1000
        data.numClasses() == 0
        data.label(5) == -1
    }

    def "the value range is mean ± 4 std, not [-1, 1]"() {
        expect:
        Gaussian1D.standard(10, 1).valueRange() == [-1f, 9f] as float[]
        Gaussian1D.of(10, 0, 2, 1).valueRange() == [-8f, 8f] as float[]
    }

    def "any mean and std can be asked for"() {
        given:
        def data = Gaussian1D.of(50_000, -3, 0.5, 11)

        when:
        double mean = Samples.meanAndStd(Samples.read(data, 0, data.size()))[0]

        then:
        Math.abs(mean + 3) < 0.02
    }

    def "the same seed draws the same numbers, another seed different ones"() {
        given:
        def a = Gaussian1D.standard(100, 1)
        def b = Gaussian1D.standard(100, 1)
        def c = Gaussian1D.standard(100, 2)

        expect:
        (0..<100).collect { a.value(it) } == (0..<100).collect { b.value(it) }
        (0..<100).collect { a.value(it) } != (0..<100).collect { c.value(it) }
    }

    def "a std of #std is refused"() {
        when:
        Gaussian1D.of(10, 4, std, 1)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("positive std, got mean 4.0 and std $std")

        where:
        std << [0.0, -1.0, Double.NaN]
    }
}
