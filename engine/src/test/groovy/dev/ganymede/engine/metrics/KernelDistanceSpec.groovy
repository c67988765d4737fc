package dev.ganymede.engine.metrics

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

import static GaussianSamples.diagonal

@Title("The kernel distance (KID): an unbiased MMD² with the cubic polynomial kernel")
@Narrative("""
KID (Bińkowski et al. 2018) compares two sets of features with the kernel k(x, y) = (x·y/d + 1)³:
MMD² = mean k(real, real) + mean k(fake, fake) - 2 mean k(real, fake), where the first two means
leave out each sample's kernel with itself. That makes it unbiased: about 0 for two samples of
the same distribution whatever their size, where FD is biased upwards by about (2d + d(d+1)/2)/n.
As torchmetrics and StudioGAN, it is averaged over 100 random subsets of 1,000 samples per side
(fewer when the sets are smaller), and the standard deviation over the subsets comes with it.
Lower is better; it can be slightly negative.
""")
class KernelDistanceSpec extends Specification {

    /** The unbiased MMD² of one pair of sets, term by term in doubles. */
    static double textbook(Features x, Features y) {
        int m = x.count()
        int d = x.dimension()
        def k = { Features a, int i, Features b, int j ->
            double dot = 0
            for (int c = 0; c < d; c++) {
                dot += a.value(i, c) * (double) b.value(j, c)
            }
            Math.pow(dot / d + 1, 3)
        }
        double xx = 0, yy = 0, xy = 0
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    xx += k(x, i, x, j)
                    yy += k(y, i, y, j)
                }
                xy += k(x, i, y, j)
            }
        }
        (xx + yy) / (m * (m - 1)) - 2 * xy / (m * m)
    }

    def "one subset holding every sample gives exactly the textbook unbiased estimate"() {
        given: "60 points of N(0, I) and 60 of N(0.5, I) in 3 dimensions"
        def x = diagonal(60, 3, 0, 1, 1)
        def y = diagonal(60, 3, 0.5, 1, 2)

        when:
        def kid = KernelDistance.between(x, y, 1, 60, 7)

        then:
        Math.abs(kid.mean() - textbook(x, y)) < 1e-9 * Math.abs(textbook(x, y))
        kid.std() == 0
    }

    def "KID between N(0, I) and N(#shift, I) in 8 dimensions, 1,000 samples each: #verdict"() {
        when: "it averages 20 subsets of 500"
        def kid = KernelDistance.between(diagonal(1_000, 8, 0, 1, 3), diagonal(1_000, 8, shift, 1, 4), 20, 500, 5)
        println String.format(Locale.ROOT, "shift %.2f: KID %.5f ± %.5f (%d subsets of %d)", shift as double, kid.mean(), kid.std(), kid.subsets(), kid.subsetSize())

        then:
        check(kid)

        where: "the cubic kernel sees the shift in the means and grows about with its square at first"
        shift || verdict                                          | check
        0     || 'about 0, within one standard deviation'           | { KernelDistance k -> Math.abs(k.mean()) < k.std() }
        0.25  || 'clearly positive, five standard deviations above' | { KernelDistance k -> k.mean() > 5 * k.std() }
        1     || 'far above, fifteen standard deviations'           | { KernelDistance k -> k.mean() > 15 * k.std() }
    }

    def "with 200 samples FD of one distribution is its bias, KID about 0"() {
        given: "two samples of N(0, I) in 8 dimensions, 200 each"
        def a = diagonal(200, 8, 0, 1, 5)
        def b = diagonal(200, 8, 0, 1, 6)

        when: "KID averages 100 subsets of 100 (of 200: with subsets as large as the sets, every subset is the whole set)"
        double fd = FrechetDistance.between(a, b)
        def kid = KernelDistance.between(a, b, 100, 100, 8)
        println String.format(Locale.ROOT, "200 samples of one distribution: FD %.3f, KID %.5f ± %.5f", fd, kid.mean(), kid.std())

        then: "FD is near its bias (2d + d(d+1)/2) / n = 0.26, as large as a real shift of every mean by 0.18 would make it"
        fd > 0.13

        and: "KID is within a standard deviation of 0: unbiased"
        Math.abs(kid.mean()) < kid.std()
    }

    def "the same seed draws the same subsets and gives the same KID"() {
        given:
        def x = diagonal(1_500, 4, 0, 1, 9)
        def y = diagonal(1_500, 4, 0.2, 1, 10)

        expect:
        KernelDistance.between(x, y, 10, 500, 42) == KernelDistance.between(x, y, 10, 500, 42)
        KernelDistance.between(x, y, 10, 500, 42).mean() != KernelDistance.between(x, y, 10, 500, 43).mean()
    }
}
