package dev.ganymede.engine.nn;

import ai.djl.ndarray.types.Shape;

/** Shape helpers; per-sample shapes are written like PyTorch tuples: (1, 28, 28). */
public final class Shapes {

    private Shapes() {}

    public static String format(Shape shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.dimension(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape.get(i));
        }
        if (shape.dimension() == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /** The shape with a leading batch axis of unknown size, as summaries print it: [-1, 1, 28, 28]. */
    public static String withBatch(Shape shape) {
        StringBuilder sb = new StringBuilder("[-1");
        for (int i = 0; i < shape.dimension(); i++) {
            sb.append(", ").append(shape.get(i));
        }
        return sb.append(']').toString();
    }

    public static Shape of(long... dims) {
        return new Shape(dims);
    }

    /** Prepends the batch axis. */
    public static Shape batched(long batch, Shape sample) {
        long[] dims = new long[sample.dimension() + 1];
        dims[0] = batch;
        for (int i = 0; i < sample.dimension(); i++) {
            dims[i + 1] = sample.get(i);
        }
        return new Shape(dims);
    }
}
