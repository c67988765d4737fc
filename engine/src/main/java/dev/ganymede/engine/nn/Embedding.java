package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A lookup table, PyTorch's {@code nn.Embedding(num, dim)}: each integer index in 0..num-1 becomes
 * its learned row of {@code dim} values. Per sample, indices of shape (L, ...) give (L, ..., dim).
 * The table starts N(0, 1), PyTorch's default, under every initialisation scheme. Indices may
 * arrive as integers or as whole-valued floats; anything else, or an index out of range, is
 * refused with the offending value. For class conditioning use {@link LabelConcat}, which looks up
 * the batch's labels and concatenates them to the features.
 */
public final class Embedding extends Layer {

    private final int numEmbeddings;
    private final int dim;
    private Parameter table;

    public Embedding(int numEmbeddings, int dim) {
        if (numEmbeddings <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding needs a positive number of entries and size, got "
                    + numEmbeddings + " and " + dim);
        }
        this.numEmbeddings = numEmbeddings;
        this.dim = dim;
    }

    /** Spectral normalisation of the table (rows = entries), as PyTorch allows: see {@link SpectralNorm}. */
    public Embedding spectralNorm() {
        return SpectralNorm.of(this);
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    public int dim() {
        return dim;
    }

    @Override
    public String typeName() {
        return "Embedding";
    }

    @Override
    public String describe() {
        return "Embedding(" + numEmbeddings + ", " + dim + ")";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        long[] in = input.getShape().clone();
        long[] out = java.util.Arrays.copyOf(in, in.length + 1);
        out[in.length] = dim;
        return new Shape(out);
    }

    @Override
    protected void declareParameters(Shape input) {
        table = declare("weight", new Shape(numEmbeddings, dim), Parameter.Role.EMBEDDING, numEmbeddings, dim);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        NDArray indices = x.getDataType() == DataType.INT64 ? x : x.toType(DataType.INT64, false);
        if (x.getDataType().isFloating() && x.sub(indices.toType(x.getDataType(), false)).abs().max().getFloat() != 0f) {
            float bad = 0;
            for (float value : x.toFloatArray()) {
                if (value != Math.floor(value)) {
                    bad = value;
                    break;
                }
            }
            throw new ShapeException(describe() + " looks up whole-number indices, but was given " + bad);
        }
        long low = indices.min().getLong();
        long high = indices.max().getLong();
        if (low < 0 || high >= numEmbeddings) {
            throw new ShapeException(describe() + " has entries 0.." + (numEmbeddings - 1) + " but was given the index "
                    + (low < 0 ? low : high));
        }
        return JniUtils.embedding(Torch.pt(indices), Torch.pt(context.value(table)), false);
    }
}
