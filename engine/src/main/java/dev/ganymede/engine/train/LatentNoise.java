package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.nn.Shapes;
import java.util.Random;

/** The generator's input distribution: N(0, 1) or U(low, high), drawn with PyTorch's generator. */
public final class LatentNoise {

    private final boolean uniform;
    private final double low;
    private final double high;
    private final Shape shape;

    private LatentNoise(Shape shape, boolean uniform, double low, double high) {
        this.shape = shape;
        this.uniform = uniform;
        this.low = low;
        this.high = high;
    }

    /** Standard normal noise of the given per-sample shape, e.g. normal(100). */
    public static LatentNoise normal(long... dims) {
        return new LatentNoise(check(dims), false, 0, 1);
    }

    /** Uniform noise in [low, high), e.g. uniform(-1, 1, 100) as seed 002 trains with. */
    public static LatentNoise uniform(double low, double high, long... dims) {
        if (!(high > low)) {
            throw new IllegalArgumentException("uniform noise needs low < high, got (" + low + ", " + high + ")");
        }
        return new LatentNoise(check(dims), true, low, high);
    }

    private static Shape check(long... dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("the latent space needs a size, e.g. latent 100");
        }
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("latent sizes must be positive, got " + java.util.Arrays.toString(dims));
            }
        }
        return new Shape(dims);
    }

    public Shape shape() {
        return shape;
    }

    public boolean isUniform() {
        return uniform;
    }

    /** A batch of noise in {@code manager}, on its device. */
    public NDArray sample(NDManager manager, long batch) {
        Shape s = Shapes.batched(batch, shape);
        if (uniform) {
            return manager.randomUniform((float) low, (float) high, s, DataType.FLOAT32);
        }
        return manager.randomNormal(0f, 1f, s, DataType.FLOAT32);
    }

    /**
     * A reproducible batch drawn with Java's generator, independent of training's random stream:
     * the fixed latent batch that sample grids are drawn from every epoch.
     */
    public float[] fixedBatch(int batch, long seed) {
        Random r = new Random(seed);
        float[] out = new float[(int) (batch * shape.size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = uniform ? (float) (low + (high - low) * r.nextDouble()) : (float) r.nextGaussian();
        }
        return out;
    }

    @Override
    public String toString() {
        return (uniform ? "U(" + low + ", " + high + ")" : "N(0, 1)") + " " + Shapes.format(shape);
    }
}
