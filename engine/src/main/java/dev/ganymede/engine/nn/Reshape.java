package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Changes the per-sample shape without touching the data: {@code flatten} (to one vector), or
 * {@code reshape}/{@code Unflatten} to given dimensions (one of which may be -1).
 */
public final class Reshape extends Layer {

    private final long[] target;
    private final boolean flatten;
    private Shape resolved;

    private Reshape(long[] target, boolean flatten) {
        this.target = target;
        this.flatten = flatten;
    }

    public static Reshape flatten() {
        return new Reshape(new long[] {-1}, true);
    }

    public static Reshape to(long... dims) {
        int unknown = 0;
        for (long d : dims) {
            if (d == -1) {
                unknown++;
            } else if (d <= 0) {
                throw new IllegalArgumentException("reshape sizes must be positive (or one -1), got " + java.util.Arrays.toString(dims));
            }
        }
        if (unknown > 1 || dims.length == 0) {
            throw new IllegalArgumentException("reshape takes positive sizes with at most one -1, got " + java.util.Arrays.toString(dims));
        }
        return new Reshape(dims.clone(), false);
    }

    @Override
    public String typeName() {
        return flatten ? "Flatten" : "Unflatten";
    }

    @Override
    public String describe() {
        if (flatten) {
            return "Flatten(start_dim=1, end_dim=-1)";
        }
        return "Unflatten(dim=1, unflattened_size=" + Shapes.format(resolved) + ")";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        long total = input.size();
        long known = 1;
        int unknownAt = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                unknownAt = i;
            } else {
                known *= target[i];
            }
        }
        long[] dims = target.clone();
        if (unknownAt >= 0) {
            if (total % known != 0) {
                throw shapeError(input, "cannot split " + total + " values into " + java.util.Arrays.toString(target));
            }
            dims[unknownAt] = total / known;
        } else if (known != total) {
            throw shapeError(input, "holds " + total + " values per sample and cannot become "
                    + Shapes.format(new Shape(dims)) + " (" + known + " values)");
        }
        resolved = new Shape(dims);
        return resolved;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        return x.reshape(Shapes.batched(x.getShape().get(0), resolved));
    }
}
