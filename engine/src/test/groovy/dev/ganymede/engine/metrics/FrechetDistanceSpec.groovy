package dev.ganymede.engine.metrics

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

import static GaussianSamples.*

@Title("The Fréchet distance between two Gaussians, and the square root it needs")
@Narrative("""
FD (FID when the features are Inception's) fits a Gaussian to each set of features and measures
FD = |μ1 - μ2|² + tr Σ1 + tr Σ2 - 2 tr √(Σ1 Σ2), the squared 2-Wasserstein distance between them.
Lower is better; 0 means the same statistics. Its delicate part is √(Σ1 Σ2): the product of two
covariances is not symmetric, and pytorch-fid's scipy sqrtm returns complex numbers or fails on
nearly singular covariances, which ReLU features (with units that never fire) produce. Ganymede
takes the symmetric route √Σ1 Σ2 √Σ1, whose eigenvalues are those of Σ1 Σ2, with symmetric
eigendecompositions in double precision.

Checked here against closed forms: for diagonal covariances FD = Σ (μ1ᵢ - μ2ᵢ)² + Σ (σ1ᵢ - σ2ᵢ)²;
for any 2x2 covariances tr √(Σ1 Σ2) = √(tr(Σ1 Σ2) + 2 √(det Σ1 det Σ2)), because the two
eigenvalues λ of Σ1 Σ2 are positive and (√λ1 + √λ2)² = λ1 + λ2 + 2 √(λ1 λ2).
""")
class FrechetDistanceSpec extends Specification {

    static final int D = 4

    /** Statistics of N(mean, std² I) in D dimensions, exactly. */
    static FeatureStatistics isotropic(double mean, double std) {
        exact([mean] * D, (0..<D).collect { i -> (0..<D).collect { j -> i == j ? std * std : 0d } })
    }

    /** FD between two 2-D Gaussians from the 2x2 identity for tr √(Σ1 Σ2). */
    static double closedForm2d(List<Double> m1, List<List<Double>> s1, List<Double> m2, List<List<Double>> s2) {
        double trProduct = s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0] + s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1]
        double det1 = s1[0][0] * s1[1][1] - s1[0][1] * s1[1][0]
        double det2 = s2[0][0] * s2[1][1] - s2[0][1] * s2[1][0]
        double meanTerm = (m1[0] - m2[0]) ** 2 + (m1[1] - m2[1]) ** 2
        meanTerm + s1[0][0] + s1[1][1] + s2[0][0] + s2[1][1] - 2 * Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2))
    }

    def "FD between N(0, I) and N(#mean, #std² I) in 4 dimensions is #expected, the closed form 4 (μ² + (σ - 1)²)"() {
        expect:
        Math.abs(FrechetDistance.between(isotropic(0, 1), isotropic(mean, std)) - expected) < 1e-9

        where:
        mean | std || expected
        0    | 1   || 0
        1    | 1   || 4
        0    | 2   || 4
        0    | 0.5 || 1
        0.5  | 3   || 17
        -2   | 1.5 || 17
    }

    def "FD between correlated 2-D Gaussians equals the closed form, exactly and from 50,000 samples each"() {
        given: "two Gaussians whose covariances do not commute, so Σ1 Σ2 is not symmetric"
        def m1 = [0d, 0d]
        def s1 = [[2d, 1d], [1d, 2d]]
        def m2 = [1d, -0.5d]
        def s2 = [[1d, -0.5d], [-0.5d, 3d]]
        double expected = closedForm2d(m1, s1, m2, s2)

        expect: "the exact statistics give the closed form to rounding"
        Math.abs(FrechetDistance.between(exact(m1, s1), exact(m2, s2)) - expected) < 1e-12
        expected > 2 // 2.110

        when: "50,000 draws of each are measured"
        double sampled = FrechetDistance.between(correlated(50_000, m1, s1, 1), correlated(50_000, m2, s2, 2))
        println String.format(Locale.ROOT, "closed form %.4f, from 50,000 samples each %.4f", expected, sampled)

        then: "the estimate is within 2 % of it"
        Math.abs(sampled - expected) < 0.02 * expected
    }

    def "two samples of the same Gaussian have an FD near 0: #n draws each in 8 dimensions give about (2d + d(d+1)/2) / n = #bias"() {
        when:
        double fd = FrechetDistance.between(diagonal(n, 8, 0, 1, 11), diagonal(n, 8, 0, 1, 12))
        println String.format(Locale.ROOT, "n = %,d: FD %.5f, expected bias %.5f", n, fd, bias)

        then: "FD is positive (it is biased upwards with finite samples) and within a factor 2 of the bias"
        fd > bias / 2
        fd < bias * 2

        where: "the bias, 2d/n from the means and about d(d+1)/(2n) from the covariances, falls as 1/n: compare FDs of equal n"
        n      || bias
        1_000  || (2 * 8 + 8 * 9 / 2) / 1_000d
        10_000 || (2 * 8 + 8 * 9 / 2) / 10_000d
    }

    def "a feature that never fires (a dead ReLU unit, zero variance) leaves FD finite and exact"() {
        given: "two Gaussians in 4 dimensions whose last dimension is always 0"
        def a = exact([0d, 0d, 0d, 0d], [[1d, 0d, 0d, 0d], [0d, 1d, 0d, 0d], [0d, 0d, 1d, 0d], [0d, 0d, 0d, 0d]])
        def b = exact([1d, 0d, 0d, 0d], [[4d, 0d, 0d, 0d], [0d, 1d, 0d, 0d], [0d, 0d, 1d, 0d], [0d, 0d, 0d, 0d]])

        expect: "the singular covariances need no ε added to their diagonal: FD = 1² + (2 - 1)² = 2"
        Math.abs(FrechetDistance.between(a, b) - 2) < 1e-12
        FrechetDistance.between(a, a) < 1e-12
    }

    def "the square root of a non-symmetric product A·B of 6x6 covariances squares back to A·B"() {
        given: "two random symmetric positive definite matrices"
        def a = spd(6, 1)
        def b = spd(6, 2)
        def product = Linalg.multiply(a, b)

        expect: "their product is not symmetric"
        Math.abs(product[0][1] - product[1][0]) > 0.01

        when:
        def root = Linalg.sqrtProduct(a, b)

        then: "S·S = A·B to 1e-10 relative"
        relativeError(Linalg.multiply(root, root), product) < 1e-10

        and: "its trace is the one FD uses, computed without forming S"
        Math.abs(Linalg.trace(root) - Linalg.traceSqrtProduct(a, b)) < 1e-10 * Linalg.trace(root)
    }

    def "the symmetric eigendecomposition of a 64x64 covariance rebuilds it and its eigenvectors are orthonormal"() {
        given:
        def a = spd(64, 3)

        when:
        def e = Linalg.symmetricEigen(a)
        double[][] v = e.vectors()
        double[][] vt = (0..<64).collect { i -> (0..<64).collect { j -> v[j][i] } as double[] } as double[][]
        double[][] lambda = (0..<64).collect { i -> (0..<64).collect { j -> i == j ? e.values()[i] : 0d } as double[] } as double[][]
        double[][] rebuilt = Linalg.multiply(Linalg.multiply(v, lambda), vt)
        double[][] gram = Linalg.multiply(vt, v)

        then: "V Λ Vᵀ = A and Vᵀ V = I to 1e-12, with eigenvalues ascending and positive"
        relativeError(rebuilt, a) < 1e-12
        relativeError(gram, Linalg.identity(64)) < 1e-12
        (0..<63).every { e.values()[it] <= e.values()[it + 1] }
        e.values()[0] > 0
    }
}
