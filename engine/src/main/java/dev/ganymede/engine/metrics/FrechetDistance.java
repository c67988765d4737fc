package dev.ganymede.engine.metrics;

/**
 * The Fréchet distance between two sets of features, each summarised by a Gaussian (Heusel et al.
 * 2017; "FID" when the features are Inception-v3's): the squared 2-Wasserstein distance between
 * N(μ1, Σ1) and N(μ2, Σ2),
 *
 * <pre>
 *   FD = |μ1 - μ2|² + tr Σ1 + tr Σ2 - 2 tr √(Σ1 Σ2)
 * </pre>
 *
 * 0 for identical statistics, larger the further apart; in squared feature units, so only
 * comparable between runs measured with the same feature network. The square root of the
 * covariance product is computed stably ({@link Linalg#traceSqrtProduct}). With finite samples the
 * estimate is biased upwards (two samples of the same distribution give FD &gt; 0), more so for
 * fewer samples: compare FDs computed from the same number of samples, and say how many.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /** FD between two fitted Gaussians. */
    public static double between(FeatureStatistics a, FeatureStatistics b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("features of dimension " + a.dimension() + " and " + b.dimension()
                    + " cannot be compared");
        }
        double meanTerm = 0;
        for (int j = 0; j < a.dimension(); j++) {
            double diff = a.mean()[j] - b.mean()[j];
            meanTerm += diff * diff;
        }
        double cross = Linalg.traceSqrtProduct(a.covariance(), b.covariance());
        double fd = meanTerm + Linalg.trace(a.covariance()) + Linalg.trace(b.covariance()) - 2 * cross;
        return Math.max(0, fd); // rounding can leave -1e-13 for identical statistics
    }

    /** FD between two sets of features. */
    public static double between(Features a, Features b) {
        return between(FeatureStatistics.of(a), FeatureStatistics.of(b));
    }
}
