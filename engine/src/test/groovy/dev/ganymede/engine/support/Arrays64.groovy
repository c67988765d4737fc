package dev.ganymede.engine.support

/** Small helpers the specs share: reproducible random data and tolerant comparison. */
class Arrays64 {

    static float[] random(int n, long seed, double scale = 1.0) {
        def r = new Random(seed)
        float[] a = new float[n]
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale)
        }
        a
    }

    /** Largest |a - b| / (1 + |b|) over the arrays. */
    static double maxRelativeError(float[] actual, double[] expected) {
        assert actual.length == expected.length
        double worst = 0
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])))
        }
        worst
    }
}
