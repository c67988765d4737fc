package dev.ganymede.engine.metrics;

import dev.ganymede.engine.data.GaussianMixture2D;

/**
 * How well 2-D samples cover a mixture of Gaussians, by the protocol of the PacGAN paper (Lin et
 * al. 2018, table 1, after VEEGAN): a sample is of high quality when it lies within 3 standard
 * deviations of a mode (it is then assigned to the nearest one); a mode is captured when at least
 * one high-quality sample is assigned to it; the reverse KL is KL(P_gen ‖ P_real) between the
 * histogram of high-quality samples over the modes and the real, uniform one, which is
 * log K − H(histogram) for K modes.
 *
 * @param modes number of modes of the mixture
 * @param captured modes with at least one high-quality sample
 * @param highQuality fraction of samples within 3 std of a mode
 * @param reverseKl KL(generated mode histogram ‖ uniform), in nats; infinite with no high-quality sample
 * @param counts high-quality samples per mode
 * @param samples number of samples scored
 */
public record ModeCoverage(int modes, int captured, double highQuality, double reverseKl, int[] counts, int samples) {

    /** Distance threshold, in standard deviations. */
    public static final double THRESHOLD = 3;

    /** Scores {@code points} (x0, y0, x1, y1, ...) against the mixture's modes. */
    public static ModeCoverage of(float[] points, GaussianMixture2D mixture) {
        return of(points, mixture.modes(), mixture.std());
    }

    /** Scores {@code points} (x0, y0, x1, y1, ...) against {@code modes} of isotropic std {@code std}. */
    public static ModeCoverage of(float[] points, double[][] modes, double std) {
        if (points.length % 2 != 0) {
            throw new IllegalArgumentException("2-D points come in pairs; got " + points.length + " numbers");
        }
        int n = points.length / 2;
        int[] counts = new int[modes.length];
        int good = 0;
        double limit = THRESHOLD * std;
        for (int i = 0; i < n; i++) {
            double x = points[2 * i];
            double y = points[2 * i + 1];
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int k = 0; k < modes.length; k++) {
                double d = Math.hypot(x - modes[k][0], y - modes[k][1]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            if (bestDistance < limit) {
                counts[best]++;
                good++;
            }
        }
        int captured = 0;
        double entropy = 0;
        for (int c : counts) {
            if (c > 0) {
                captured++;
                double p = (double) c / good;
                entropy -= p * Math.log(p);
            }
        }
        double reverseKl = good == 0 ? Double.POSITIVE_INFINITY : Math.log(modes.length) - entropy;
        return new ModeCoverage(modes.length, captured, n == 0 ? 0 : (double) good / n, reverseKl, counts, n);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d/%d modes, %.1f %% high quality, reverse KL %.3f (%d samples)",
                captured, modes, 100 * highQuality, reverseKl, samples);
    }
}
