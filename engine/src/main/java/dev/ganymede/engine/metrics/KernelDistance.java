package dev.ganymede.engine.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.nn.Torch;
import java.util.SplittableRandom;

/**
 * The kernel distance ("KID" with Inception features; Bińkowski et al. 2018): the squared maximum
 * mean discrepancy between the real and the generated features under the cubic polynomial kernel
 * k(x, y) = (x·y / d + 1)³, estimated without bias, as torchmetrics and StudioGAN compute it.
 *
 * <p>It is averaged over {@code subsets} random subsets of {@code subsetSize} real and as many
 * generated samples (torchmetrics: 100 subsets of 1000), each drawn without replacement; the
 * standard deviation over subsets (with Bessel's correction, as {@code torch.std}) says how much
 * the estimate moves. For one subset of m real x and m generated y:
 *
 * <pre>
 *   MMD² = Σ_{i≠j} k(xᵢ, xⱼ) / (m(m-1)) + Σ_{i≠j} k(yᵢ, yⱼ) / (m(m-1)) - 2 Σ_{i,j} k(xᵢ, yⱼ) / m²
 * </pre>
 *
 * Unlike the Fréchet distance it is unbiased: about 0 (it can be slightly negative) for two
 * samples of the same distribution whatever their size. The kernel matrices are computed with
 * PyTorch's matrix product in double precision; the subsets come from a seeded
 * {@link SplittableRandom}, so the same seed gives the same numbers.
 *
 * @param mean the average MMD² over the subsets
 * @param std its standard deviation over the subsets (0 with one subset)
 * @param subsets the number of subsets
 * @param subsetSize samples per subset and side
 */
public record KernelDistance(double mean, double std, int subsets, int subsetSize) {

    /** torchmetrics' default number of subsets. */
    public static final int DEFAULT_SUBSETS = 100;

    /** torchmetrics' default subset size. */
    public static final int DEFAULT_SUBSET_SIZE = 1000;

    /** KID over 100 subsets of {@link #subsetSize(int, int) 1000 or fewer} samples. */
    public static KernelDistance between(Features real, Features generated, long seed) {
        return between(real, generated, DEFAULT_SUBSETS, subsetSize(DEFAULT_SUBSET_SIZE,
                Math.min(real.count(), generated.count())), seed);
    }

    /**
     * The subset size for sets of {@code n} samples: {@code wanted}, but at most half the samples,
     * so that the subsets differ and their spread means something (with subsets as large as the
     * sets, every subset is the whole set and the standard deviation is 0). 1000 for 2000 samples
     * or more, as torchmetrics; 250 for 500.
     */
    public static int subsetSize(int wanted, int n) {
        return Math.max(2, Math.min(wanted, n / 2));
    }

    /** KID over {@code subsets} random subsets of {@code subsetSize} samples of each set. */
    public static KernelDistance between(Features real, Features generated, int subsets, int subsetSize, long seed) {
        if (real.dimension() != generated.dimension()) {
            throw new IllegalArgumentException("features of dimension " + real.dimension() + " and "
                    + generated.dimension() + " cannot be compared");
        }
        if (subsets < 1) {
            throw new IllegalArgumentException("KID needs at least one subset, got " + subsets);
        }
        if (subsetSize < 2 || subsetSize > real.count() || subsetSize > generated.count()) {
            throw new IllegalArgumentException("a KID subset size must be between 2 and the smaller set ("
                    + Math.min(real.count(), generated.count()) + " samples), got " + subsetSize);
        }
        int d = real.dimension();
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[subsets];
        try (NDManager manager = Backend.engine().newBaseManager()) {
            for (int s = 0; s < subsets; s++) {
                double[] x = subset(real, subsetSize, random);
                double[] y = subset(generated, subsetSize, random);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray xs = scope.create(x, new Shape(subsetSize, d));
                    NDArray ys = scope.create(y, new Shape(subsetSize, d));
                    double kxx = kernelSum(xs, xs, d) - diagonalSum(x, subsetSize, d);
                    double kyy = kernelSum(ys, ys, d) - diagonalSum(y, subsetSize, d);
                    double kxy = kernelSum(xs, ys, d);
                    double m = subsetSize;
                    values[s] = (kxx + kyy) / (m * (m - 1)) - 2 * kxy / (m * m);
                }
            }
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= subsets;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        double std = subsets > 1 ? Math.sqrt(var / (subsets - 1)) : 0;
        return new KernelDistance(mean, std, subsets, subsetSize);
    }

    /** Σ_{i,j} (aᵢ·bⱼ / d + 1)³. */
    private static double kernelSum(NDArray a, NDArray b, int d) {
        NDArray k = Torch.addi(Torch.divi(a.matMul(b.transpose()), d), 1);
        return k.mul(k).muli(k).sum().toType(DataType.FLOAT64, false).getDouble();
    }

    /** Σ_i (xᵢ·xᵢ / d + 1)³, the diagonal that the unbiased estimate leaves out. */
    private static double diagonalSum(double[] x, int m, int d) {
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += x[i * d + j] * x[i * d + j];
            }
            double k = dot / d + 1;
            sum += k * k * k;
        }
        return sum;
    }

    /** {@code size} distinct samples drawn at random (a partial Fisher-Yates shuffle), as doubles. */
    private static double[] subset(Features f, int size, SplittableRandom random) {
        int n = f.count();
        int d = f.dimension();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] out = new double[size * d];
        float[] a = f.activations();
        for (int k = 0; k < size; k++) {
            int j = k + random.nextInt(n - k);
            int t = order[k];
            order[k] = order[j];
            order[j] = t;
            int row = order[k];
            for (int c = 0; c < d; c++) {
                out[k * d + c] = a[row * d + c];
            }
        }
        return out;
    }
}
