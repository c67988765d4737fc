package dev.ganymede.engine.metrics;

/**
 * The mean and covariance of a set of feature vectors, in double precision: the Gaussian the
 * Fréchet distance fits to them. The covariance is the unbiased one (divided by n - 1), as
 * numpy's {@code cov} and pytorch-fid compute it.
 */
public record FeatureStatistics(double[] mean, double[][] covariance, int count) {

    public FeatureStatistics {
        if (count < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + count);
        }
        if (covariance.length != mean.length) {
            throw new IllegalArgumentException("a mean of " + mean.length + " and a " + covariance.length
                    + "-row covariance");
        }
    }

    /** The statistics of {@code features} (their activations). */
    public static FeatureStatistics of(Features features) {
        int n = features.count();
        int d = features.dimension();
        float[] a = features.activations();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += a[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = a[i * d + j] - mean[j];
            }
            for (int j = 0; j < d; j++) {
                double cj = centred[j];
                if (cj == 0) {
                    continue; // ReLU features are often exactly 0
                }
                double[] row = cov[j];
                for (int k = j; k < d; k++) {
                    row[k] += cj * centred[k];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = j; k < d; k++) {
                cov[j][k] /= n - 1;
                cov[k][j] = cov[j][k];
            }
        }
        return new FeatureStatistics(mean, cov, n);
    }

    /** The dimension of the features. */
    public int dimension() {
        return mean.length;
    }
}
