package dev.ganymede.engine.metrics

/** Reproducible draws of Gaussians as feature sets, for the metric specs. */
class GaussianSamples {

    /** {@code n} draws of N(mean, diag(std²)) in {@code d} dimensions (the same mean and std in each). */
    static Features diagonal(int n, int d, double mean, double std, long seed) {
        def r = new Random(seed)
        float[] values = new float[n * d]
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + std * r.nextGaussian())
        }
        Features.points(values, n)
    }

    /** {@code n} draws of a 2-D N(mean, cov), through the Cholesky factor of cov. */
    static Features correlated(int n, List<Double> mean, List<List<Double>> cov, long seed) {
        double l11 = Math.sqrt(cov[0][0])
        double l21 = cov[1][0] / l11
        double l22 = Math.sqrt(cov[1][1] - l21 * l21)
        def r = new Random(seed)
        float[] values = new float[2 * n]
        for (int i = 0; i < n; i++) {
            double z1 = r.nextGaussian()
            double z2 = r.nextGaussian()
            values[2 * i] = (float) (mean[0] + l11 * z1)
            values[2 * i + 1] = (float) (mean[1] + l21 * z1 + l22 * z2)
        }
        Features.points(values, n)
    }

    /** Exact statistics (no sampling) of N(mean, cov). */
    static FeatureStatistics exact(List<Double> mean, List<List<Double>> cov) {
        new FeatureStatistics(mean as double[], cov.collect { it as double[] } as double[][], Integer.MAX_VALUE)
    }

    /** A random symmetric positive definite n x n matrix X Xᵀ / n + 0.1 I. */
    static double[][] spd(int n, long seed) {
        def r = new Random(seed)
        double[][] x = new double[n][n]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                x[i][j] = r.nextGaussian()
            }
        }
        double[][] a = new double[n][n]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0
                for (int k = 0; k < n; k++) {
                    s += x[i][k] * x[j][k]
                }
                a[i][j] = s / n + (i == j ? 0.1 : 0)
            }
        }
        a
    }

    /** Largest |a - b| over the entries, divided by the largest |b|. */
    static double relativeError(double[][] a, double[][] b) {
        double worst = 0
        double scale = 0
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]))
                scale = Math.max(scale, Math.abs(b[i][j]))
            }
        }
        worst / scale
    }
}
