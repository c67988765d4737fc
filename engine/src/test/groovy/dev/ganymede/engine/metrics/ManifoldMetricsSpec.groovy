package dev.ganymede.engine.metrics

import groovy.transform.CompileStatic
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

import static GaussianSamples.diagonal

@Title("Precision, recall, density and coverage: fidelity and diversity told apart")
@Narrative("""
FD and KID mix two failures in one number: samples that look wrong, and data the generator never
draws. The manifold metrics separate them. Around every real sample lies a ball reaching to its
k-th nearest real neighbour (k = 5); the union of the balls estimates where real data lives.
Precision is the fraction of generated samples inside it (they look real), recall the fraction
of real samples inside the generated samples' own balls (the data the generator can produce)
(Kynkäänniemi et al. 2019). Density counts how many real balls hold each generated sample, over
k, and coverage is the fraction of real balls holding at least one (Naeem et al. 2020); both
resist outliers that fool precision and recall. Distances are computed in blocks of 500 rows,
so the cases below use sets larger than one block.
""")
class ManifoldMetricsSpec extends Specification {

    /** Two Gaussian blobs, at -5 and +5 in every dimension, half the samples each. */
    static Features twoBlobs(int n, int d, long seed, boolean onlyFirst) {
        def r = new Random(seed)
        float[] values = new float[n * d]
        for (int i = 0; i < n; i++) {
            double centre = onlyFirst || i % 2 == 0 ? -5 : 5
            for (int j = 0; j < d; j++) {
                values[i * d + j] = (float) (centre + r.nextGaussian())
            }
        }
        Features.points(values, n)
    }

    /** The four metrics straight from their definitions, with every distance computed directly. */
    @CompileStatic
    static double[] bruteForce(Features real, Features fake, int k) {
        double[] realRadius = kthNeighbour(real, k)
        double[] fakeRadius = kthNeighbour(fake, k)
        int n = real.count()
        int m = fake.count()
        int precise = 0
        long inside = 0
        boolean[] covered = new boolean[n]
        boolean[] recalled = new boolean[n]
        for (int f = 0; f < m; f++) {
            boolean any = false
            for (int r = 0; r < n; r++) {
                double d2 = distance2(fake, f, real, r)
                if (d2 <= realRadius[r]) {
                    any = true
                    inside++
                    covered[r] = true
                }
                if (d2 <= fakeRadius[f]) {
                    recalled[r] = true
                }
            }
            if (any) {
                precise++
            }
        }
        [precise / (double) m, trues(recalled) / (double) n, inside / (double) (k * m), trues(covered) / (double) n] as double[]
    }

    @CompileStatic
    static int trues(boolean[] flags) {
        int c = 0
        for (boolean f : flags) {
            if (f) {
                c++
            }
        }
        c
    }

    @CompileStatic
    static double[] kthNeighbour(Features set, int k) {
        int n = set.count()
        double[] out = new double[n]
        for (int i = 0; i < n; i++) {
            double[] d = new double[n]
            for (int j = 0; j < n; j++) {
                d[j] = distance2(set, i, set, j)
            }
            Arrays.sort(d)
            out[i] = d[k] // d[0] is the sample itself
        }
        out
    }

    @CompileStatic
    static double distance2(Features a, int i, Features b, int j) {
        double s = 0
        for (int c = 0; c < a.dimension(); c++) {
            double diff = (double) a.value(i, c) - (double) b.value(j, c)
            s += diff * diff
        }
        s
    }

    def "a set measured against itself: precision, recall and coverage 1, density about (k + 1) / k = #density with k = #k"() {
        given: "1,200 points of N(0, I) in 8 dimensions"
        def x = diagonal(1_200, 8, 0, 1, 1)

        when:
        def m = ManifoldMetrics.between(x, x, k)

        then: "each point lies in its own ball and in those of the k points that count it among their k nearest: k + 1 balls on average"
        m.precision() == 1
        m.recall() == 1
        m.coverage() == 1

        and: "about: the k-th neighbour sits exactly on the edge of the ball, where float rounding puts it in or out (prdc's open balls give exactly 1)"
        Math.abs(m.density() - density) < 0.1 / k

        where:
        k || density
        3 || 4 / 3
        5 || 6 / 5
    }

    def "sets far apart score 0 on all four"() {
        when: "1,000 points of N(0, I) against 1,000 of N(100, I) in 8 dimensions"
        def m = ManifoldMetrics.between(diagonal(1_000, 8, 0, 1, 2), diagonal(1_000, 8, 100, 1, 3))

        then:
        m.precision() == 0
        m.recall() == 0
        m.density() == 0
        m.coverage() == 0
    }

    def "#generated against #real in 4 dimensions: #what"() {
        given: "2,000 real samples and 2,000 generated ones"
        def r = realSet()
        def g = generatedSet()

        when:
        def m = ManifoldMetrics.between(r, g)
        println String.format(Locale.ROOT, "%s: precision %.3f, recall %.3f, density %.3f, coverage %.3f",
                generated, m.precision(), m.recall(), m.density(), m.coverage())

        then:
        check(m)

        where:
        real            | generated                   | realSet                                   | generatedSet                              || what | check
        'N(0, I)'       | 'another sample of N(0, I)' | { diagonal(2_000, 4, 0, 1, 4) }           | { diagonal(2_000, 4, 0, 1, 5) }           || 'all four about 1 (above 0.9, density within 0.1)' | { ManifoldMetrics x -> x.precision() > 0.9 && x.recall() > 0.9 && Math.abs(x.density() - 1) < 0.1 && x.coverage() > 0.9 }
        'two blobs'     | 'only the first blob'       | { twoBlobs(2_000, 4, 6, false) }          | { twoBlobs(2_000, 4, 7, true) }           || 'mode dropping: precision about 1, recall and coverage about 0.5' | { ManifoldMetrics x -> x.precision() > 0.9 && Math.abs(x.recall() - 0.5) < 0.05 && Math.abs(x.coverage() - 0.5) < 0.05 }
        'N(0, I)'       | 'N(0, 0.3² I)'              | { diagonal(2_000, 4, 0, 1, 8) }           | { diagonal(2_000, 4, 0, 0.3, 9) }         || 'too little variety (truncation): precision about 1, recall and coverage low, density above 1' | { ManifoldMetrics x -> x.precision() > 0.95 && x.recall() < 0.5 && x.coverage() < 0.5 && x.density() > 1 }
        'N(0, I)'       | 'N(0, 3² I)'                | { diagonal(2_000, 4, 0, 1, 10) }          | { diagonal(2_000, 4, 0, 3, 11) }          || 'too spread out: recall about 1, precision and density low' | { ManifoldMetrics x -> x.recall() > 0.95 && x.precision() < 0.5 && x.density() < 0.5 }
    }

    def "the blocked computation gives exactly the numbers of the definitions"() {
        given: "700 real and 650 generated points in 3 dimensions, more than one block of 500 rows"
        def real = diagonal(700, 3, 0, 1, 12)
        def fake = diagonal(650, 3, 0.3, 1.2, 13)

        when:
        def m = ManifoldMetrics.between(real, fake, 5)
        def expected = bruteForce(real, fake, 5)
        println String.format(Locale.ROOT, "precision %.4f, recall %.4f, density %.4f, coverage %.4f", m.precision(), m.recall(), m.density(), m.coverage())

        then: "(the blocks compute distances as |x|² + |y|² - 2 x·y in floats, which differs in the last bits; no point sits that close to a ball's edge here)"
        [m.precision(), m.recall(), m.density(), m.coverage()] == expected as List
    }
}
