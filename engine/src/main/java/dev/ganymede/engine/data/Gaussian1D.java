package dev.ganymede.engine.data;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.Random;

/**
 * Samples of a one-dimensional normal distribution, the target of the classic "learn a Gaussian"
 * GAN demonstration: by default mean 4 and standard deviation 1.25. Values are not rescaled, so a
 * generator must learn to produce numbers around 4; unlabelled.
 */
public final class Gaussian1D implements Dataset {

    /** The mean of {@link #standard}. */
    public static final double STANDARD_MEAN = 4.0;

    /** The standard deviation of {@link #standard}. */
    public static final double STANDARD_STD = 1.25;

    private static final Shape SHAPE = new Shape(1);

    private final float[] values;
    private final double mean;
    private final double std;

    private Gaussian1D(float[] values, double mean, double std) {
        this.values = values;
        this.mean = mean;
        this.std = std;
    }

    /** {@code count} draws from N(mean, std²), reproducible from {@code seed}. */
    public static Gaussian1D of(int count, double mean, double std, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("the number of samples must be positive, got " + count);
        }
        if (!(std > 0) || Double.isInfinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("a Gaussian needs a finite mean and a positive std, got mean "
                    + mean + " and std " + std);
        }
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (mean + std * random.nextGaussian());
        }
        return new Gaussian1D(values, mean, std);
    }

    /** {@code count} draws from N(4, 1.25²). */
    public static Gaussian1D standard(int count, long seed) {
        return of(count, STANDARD_MEAN, STANDARD_STD, seed);
    }

    /** The mean the samples were drawn with. */
    public double mean() {
        return mean;
    }

    /** The standard deviation the samples were drawn with. */
    public double std() {
        return std;
    }

    /** The value of sample {@code index}. */
    public float value(int index) {
        Objects.checkIndex(index, values.length);
        return values[index];
    }

    @Override
    public String name() {
        return "gaussian-1d";
    }

    @Override
    public Shape sampleShape() {
        return SHAPE;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public int numClasses() {
        return 0;
    }

    @Override
    public void copySample(int index, float[] dest, int offset) {
        Objects.checkIndex(index, values.length);
        dest[offset] = values[index];
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, values.length);
        return -1;
    }

    /** mean ± 4 std: where all but about 6 in 100,000 samples fall. */
    @Override
    public float[] valueRange() {
        return new float[] {(float) (mean - 4 * std), (float) (mean + 4 * std)};
    }

    @Override
    public String toString() {
        return "gaussian-1d: " + values.length + " samples of N(" + mean + ", " + std + "²)";
    }
}
