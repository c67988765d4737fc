package dev.ganymede.engine.metrics

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("The classifier score and the class histogram: what the classifier makes of the samples")
@Narrative("""
The classifier score is the Inception score with the feature network as the classifier:
exp(E_x KL(p(y|x) || p(y))). It is high when every sample is classified confidently and the
classes are used evenly: at most the number of classes K, at least 1. It looks only at generated
samples, so it cannot tell samples that resemble the data from confident nonsense; it is computed
on 10 splits of the samples (as torchmetrics), with their mean and standard deviation.

The class histogram counts the samples the classifier puts in each class. Its KL divergence from
the uniform histogram, Σ h log(K h), is 0 when every class is drawn equally often and log K when a
single class is drawn: the plainest reading of mode dropping on a labelled data set.
""")
class ClassifierScoreSpec extends Specification {

    /** {@code n} samples, sample i certain of class {@code classOf(i)}, over {@code k} classes. */
    static Features confident(int n, int k, Closure<Integer> classOf) {
        float[] p = new float[n * k]
        for (int i = 0; i < n; i++) {
            p[i * k + classOf(i)] = 1f
        }
        Features.probabilities(p, n, k)
    }

    def "perfectly confident predictions spread evenly over #k classes score exactly #k"() {
        when: "1,000 samples, sample i certain of class i mod K, so every split of 100 holds each class equally often"
        def score = ClassifierScore.of(confident(1_000, k, { int i -> i % k }))

        then:
        Math.abs(score.mean() - k) < 1e-9
        score.std() < 1e-9
        score.splits() == 10

        where:
        k << [10, 5, 2]
    }

    def "a single class scores 1, whether the classifier is sure of it or not"() {
        expect: "every sample certain of class 3"
        Math.abs(ClassifierScore.of(confident(1_000, 10, { 3 })).mean() - 1) < 1e-9

        and: "every sample undecided, p(y|x) = 1/10 for every class: p(y|x) = p(y), the KL is 0"
        float[] flat = new float[1_000 * 10]
        Arrays.fill(flat, 0.1f)
        Math.abs(ClassifierScore.of(Features.probabilities(flat, 1_000, 10)).mean() - 1) < 1e-6
    }

    def "confident predictions over #used of 10 classes score #used: the score counts the classes in use"() {
        expect:
        Math.abs(ClassifierScore.of(confident(1_000, 10, { int i -> i % used })).mean() - used) < 1e-9

        where:
        used << [1, 2, 5]
    }

    def "the class histogram of samples drawn from #drawn of 10 classes evenly has KL #expected to uniform"() {
        when:
        def histogram = ClassHistogram.of(confident(1_000, 10, { int i -> i % drawn }))

        then: "KL = log(10 / m) when m classes are drawn evenly: 0 for all ten, log 10 = 2.303 for one"
        Math.abs(histogram.klToUniform() - expected) < 1e-12
        histogram.classesAbove(0.5) == drawn
        histogram.total() == 1_000

        where:
        drawn || expected
        10    || 0
        5     || Math.log(2)
        2     || Math.log(5)
        1     || Math.log(10)
    }

    def "an uneven histogram over 4 classes gives Σ h log(4 h)"() {
        given: "counts 40, 30, 20, 10"
        def histogram = ClassHistogram.ofLabels(([0] * 40 + [1] * 30 + [2] * 20 + [3] * 10) as int[], 4)
        double expected = [0.4, 0.3, 0.2, 0.1].sum { double h -> Math.log(4 * h) * h } // (h * ... would read as a Spock interaction)

        expect: "0.4 log 1.6 + 0.3 log 1.2 + 0.2 log 0.8 + 0.1 log 0.4 = 0.106"
        histogram.counts() == [40, 30, 20, 10] as int[]
        Math.abs(histogram.klToUniform() - expected) < 1e-12
        Math.abs(expected - 0.106) < 0.001
    }
}
