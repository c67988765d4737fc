package dev.ganymede.engine.data;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.Random;

/**
 * Points in the plane drawn from a mixture of equally likely, isotropic Gaussians: the toy
 * problems on which mode collapse is measured (PacGAN, VEEGAN, Unrolled GAN).
 *
 * <ul>
 *   <li>{@link #ring}: 8 modes evenly spaced on the unit circle, std 0.01;
 *   <li>{@link #grid}: 25 modes at {-4, -2, 0, 2, 4}², std 0.05.
 * </ul>
 *
 * Each sample picks a mode uniformly at random. The data set is unlabelled for training, but
 * {@link #modes()}, {@link #std()}, {@link #modeOf(int)} and {@link #nearestMode} let metrics
 * count how many modes a generator covers.
 */
public final class GaussianMixture2D implements Dataset {

    private static final Shape SHAPE = new Shape(2);

    private final String name;
    private final double[][] modes;
    private final double std;
    private final float[] points;
    private final int[] modeOf;

    private GaussianMixture2D(String name, double[][] modes, double std, float[] points, int[] modeOf) {
        this.name = name;
        this.modes = modes;
        this.std = std;
        this.points = points;
        this.modeOf = modeOf;
    }

    /** 8 Gaussians of std 0.01 evenly spaced on a circle of radius 1, the first at (1, 0). */
    public static GaussianMixture2D ring(int count, long seed) {
        double[][] modes = new double[8][];
        for (int k = 0; k < 8; k++) {
            double angle = 2 * Math.PI * k / 8;
            modes[k] = new double[] {Math.cos(angle), Math.sin(angle)};
        }
        return of("ring", modes, 0.01, count, seed);
    }

    /** 25 Gaussians of std 0.05 at (x, y) for x, y in {-4, -2, 0, 2, 4}, row by row. */
    public static GaussianMixture2D grid(int count, long seed) {
        double[][] modes = new double[25][];
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 5; col++) {
                modes[row * 5 + col] = new double[] {-4 + 2 * col, -4 + 2 * row};
            }
        }
        return of("grid", modes, 0.05, count, seed);
    }

    /** Any mixture of equally likely Gaussians with the same isotropic {@code std}. */
    public static GaussianMixture2D of(String name, double[][] modes, double std, int count, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("the number of samples must be positive, got " + count);
        }
        if (modes.length == 0) {
            throw new IllegalArgumentException("a mixture needs at least one mode");
        }
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("the std of the modes must be positive, got " + std);
        }
        double[][] copy = new double[modes.length][];
        for (int k = 0; k < modes.length; k++) {
            if (modes[k].length != 2) {
                throw new IllegalArgumentException("mode " + k + " has " + modes[k].length
                        + " coordinates; a 2D mixture needs 2");
            }
            copy[k] = modes[k].clone();
        }
        Random random = new Random(seed);
        float[] points = new float[2 * count];
        int[] modeOf = new int[count];
        for (int i = 0; i < count; i++) {
            int k = random.nextInt(copy.length);
            modeOf[i] = k;
            points[2 * i] = (float) (copy[k][0] + std * random.nextGaussian());
            points[2 * i + 1] = (float) (copy[k][1] + std * random.nextGaussian());
        }
        return new GaussianMixture2D(name, copy, std, points, modeOf);
    }

    /** The centres of the modes, one (x, y) pair per mode (a copy). */
    public double[][] modes() {
        double[][] copy = new double[modes.length][];
        for (int k = 0; k < modes.length; k++) {
            copy[k] = modes[k].clone();
        }
        return copy;
    }

    /** The standard deviation of every mode, in each coordinate. */
    public double std() {
        return std;
    }

    /** The number of modes. */
    public int numModes() {
        return modes.length;
    }

    /** The mode sample {@code index} was drawn from. */
    public int modeOf(int index) {
        Objects.checkIndex(index, modeOf.length);
        return modeOf[index];
    }

    /** The index of the mode centre closest to (x, y). */
    public int nearestMode(double x, double y) {
        int best = 0;
        double bestD2 = Double.MAX_VALUE;
        for (int k = 0; k < modes.length; k++) {
            double dx = x - modes[k][0];
            double dy = y - modes[k][1];
            double d2 = dx * dx + dy * dy;
            if (d2 < bestD2) {
                bestD2 = d2;
                best = k;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape sampleShape() {
        return SHAPE;
    }

    @Override
    public int size() {
        return modeOf.length;
    }

    @Override
    public int numClasses() {
        return 0;
    }

    @Override
    public void copySample(int index, float[] dest, int offset) {
        Objects.checkIndex(index, modeOf.length);
        dest[offset] = points[2 * index];
        dest[offset + 1] = points[2 * index + 1];
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, modeOf.length);
        return -1;
    }

    /** The smallest and largest coordinate of any mode centre, widened by 4 std. */
    @Override
    public float[] valueRange() {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double[] m : modes) {
            lo = Math.min(lo, Math.min(m[0], m[1]));
            hi = Math.max(hi, Math.max(m[0], m[1]));
        }
        return new float[] {(float) (lo - 4 * std), (float) (hi + 4 * std)};
    }

    @Override
    public String toString() {
        return name + ": " + size() + " points from " + modes.length + " Gaussians of std " + std;
    }
}
