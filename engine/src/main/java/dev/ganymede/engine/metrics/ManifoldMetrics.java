package dev.ganymede.engine.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.nn.Torch;

/**
 * Fidelity and diversity measured separately, from k-nearest-neighbour balls in feature space.
 * Every real sample gets a ball reaching to its k-th nearest real neighbour; the union of these
 * balls is an estimate of the real manifold (and likewise for the generated samples).
 *
 * <ul>
 *   <li><b>precision</b> (Kynkäänniemi et al. 2019): the fraction of generated samples inside the
 *       real manifold - how many samples look real;
 *   <li><b>recall</b>: the fraction of real samples inside the generated manifold - how much of the
 *       data the generator can produce;
 *   <li><b>density</b> (Naeem et al. 2020): how many real balls contain a generated sample, on
 *       average, divided by k - about 1 when samples are spread like the data, above 1 when they
 *       crowd where the data is dense; robust to real outliers, which inflate precision;
 *   <li><b>coverage</b>: the fraction of real balls that contain at least one generated sample - a
 *       recall that outlying generated samples cannot inflate.
 * </ul>
 *
 * One k for all four, k = 5, as Naeem et al.'s {@code prdc} package and StudioGAN compute them
 * (Kynkäänniemi et al. used k = 3 for precision and recall). Balls are closed (a sample on the
 * boundary is inside), as the papers define them. The distances are Euclidean, computed in blocks
 * of 500 rows with PyTorch's matrix product (|x|² + |y|² - 2 x·y) in single precision, as prdc and
 * StudioGAN do on their float32 features, so 10,000 x 10,000 comparisons need neither 400 MB at
 * once nor a Java triple loop: one evaluation of 10,000 samples against 10,000 real ones (the k-NN
 * radii of both sets and the cross distances, 3 x 10⁸ distances) takes about 5 s on 2 shared CPU
 * cores; in double precision it took 14 s and gave the same four numbers on the digits.
 *
 * @param precision fraction of generated samples within some real sample's k-NN ball
 * @param recall fraction of real samples within some generated sample's k-NN ball
 * @param density mean number of real balls containing a generated sample, divided by k
 * @param coverage fraction of real balls containing at least one generated sample
 * @param k the neighbour whose distance makes a ball's radius
 */
public record ManifoldMetrics(double precision, double recall, double density, double coverage, int k) {

    /** Naeem et al.'s and StudioGAN's k. */
    public static final int DEFAULT_K = 5;

    /** Rows of a distance block: 500 x 10,000 floats are 20 MB. */
    static final int BLOCK = 500;

    /** The four metrics with k = 5. */
    public static ManifoldMetrics between(Features real, Features generated) {
        return between(real, generated, DEFAULT_K);
    }

    /** The four metrics with k-th neighbour balls. */
    public static ManifoldMetrics between(Features real, Features generated, int k) {
        return between(real, radii(real, k), generated, k);
    }

    /**
     * The four metrics, with the real balls' squared radii already known ({@link #radii}): an
     * evaluator computes them once for its reference set.
     */
    static ManifoldMetrics between(Features real, double[] realRadii, Features generated, int k) {
        if (real.dimension() != generated.dimension()) {
            throw new IllegalArgumentException("features of dimension " + real.dimension() + " and "
                    + generated.dimension() + " cannot be compared");
        }
        double[] fakeRadii = radii(generated, k);
        int n = real.count();
        int m = generated.count();
        // per real sample j: the smallest d²(y, xⱼ) - r²(xⱼ) over generated y (coverage: <= 0 when
        // some y is in xⱼ's ball), and the smallest d²(y, xⱼ) - r²(y) (recall: <= 0 when xⱼ is in
        // some y's ball), each over all generated samples, block after block
        double[] nearestInBall = new double[n];
        double[] nearestBall = new double[n];
        java.util.Arrays.fill(nearestInBall, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(nearestBall, Double.POSITIVE_INFINITY);
        long inside = 0;
        int precise = 0;
        try (NDManager manager = Backend.engine().newBaseManager()) {
            NDArray reals = manager.create(real.activations(), new Shape(n, real.dimension()));
            NDArray realsT = reals.transpose();
            NDArray realNorms = squaredNorms(reals).reshape(1, n);
            NDArray realBalls = manager.create(toFloat(realRadii)).reshape(1, n);
            for (int from = 0; from < m; from += BLOCK) {
                int to = Math.min(m, from + BLOCK);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray block = scope.create(rows(generated, from, to), new Shape(to - from, real.dimension()));
                    NDArray d2 = squaredDistances(block, realsT, realNorms); // (generated in block) x (real)
                    NDArray beyondReal = d2.sub(realBalls); // <= 0: generated row i inside real ball j
                    for (float v : beyondReal.min(new int[] {1}).toFloatArray()) {
                        if (v <= 0) {
                            precise++;
                        }
                    }
                    inside += beyondReal.lte(0).countNonzero().toType(DataType.INT64, false).getLong();
                    keepMin(nearestInBall, beyondReal.min(new int[] {0}).toFloatArray());
                    float[] balls = toFloat(java.util.Arrays.copyOfRange(fakeRadii, from, to));
                    NDArray beyondFake = d2.subi(scope.create(balls).reshape(to - from, 1)); // <= 0: real j inside ball i
                    keepMin(nearestBall, beyondFake.min(new int[] {0}).toFloatArray());
                }
            }
        }
        return new ManifoldMetrics((double) precise / m, countNonPositive(nearestBall) / (double) n,
                inside / ((double) k * m), countNonPositive(nearestInBall) / (double) n, k);
    }

    /**
     * The squared distance of every sample to its k-th nearest other sample of the same set (the
     * sample itself, at distance 0, is the 0-th).
     */
    static double[] radii(Features set, int k) {
        int n = set.count();
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k-nearest-neighbour balls need 1 <= k < the number of samples ("
                    + n + "), got k = " + k);
        }
        double[] radii = new double[n];
        try (NDManager manager = Backend.engine().newBaseManager()) {
            NDArray all = manager.create(set.activations(), new Shape(n, set.dimension()));
            NDArray allT = all.transpose();
            NDArray norms = squaredNorms(all).reshape(1, n);
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray block = scope.create(rows(set, from, to), new Shape(to - from, set.dimension()));
                    NDArray d2 = squaredDistances(block, allT, norms);
                    NDArray nearest = d2.topK(k + 1, 1, false, true).get(0);
                    float[] kth = nearest.get(":, " + k).toFloatArray();
                    for (int i = 0; i < kth.length; i++) {
                        radii[from + i] = kth[i];
                    }
                }
            }
        }
        return radii;
    }

    /**
     * (rows of a) x (rows of b) squared distances, clamped at 0 against rounding, given b transposed
     * and its squared norms as a row; the result belongs to a's manager.
     */
    private static NDArray squaredDistances(NDArray a, NDArray bTransposed, NDArray bNormsRow) {
        NDArray aNorms = squaredNorms(a).reshape(a.getShape().get(0), 1);
        NDArray cross = a.matMul(bTransposed);
        return Torch.maximum(Torch.muli(cross, -2).addi(aNorms).addi(bNormsRow), 0);
    }

    private static NDArray squaredNorms(NDArray rows) {
        return rows.mul(rows).sum(new int[] {1});
    }

    private static void keepMin(double[] into, float[] values) {
        for (int j = 0; j < values.length; j++) {
            into[j] = Math.min(into[j], values[j]);
        }
    }

    private static int countNonPositive(double[] values) {
        int c = 0;
        for (double v : values) {
            if (v <= 0) {
                c++;
            }
        }
        return c;
    }

    private static float[] rows(Features f, int from, int to) {
        int d = f.dimension();
        return java.util.Arrays.copyOfRange(f.activations(), from * d, to * d);
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
