package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Concatenates the batch's class condition to the features, as conditional GANs do: a one-hot
 * vector or a learned embedding (PyTorch's {@code nn.Embedding}, initialised N(0, 1)), appended to
 * a feature vector, or replicated over height and width as extra channels of a feature map.
 */
public final class LabelConcat extends Layer {

    private final int numClasses;
    private final int embeddingDim;
    private Parameter table;
    private boolean maps;

    /** One-hot condition of {@code numClasses} entries. */
    public static LabelConcat oneHot(int numClasses) {
        return new LabelConcat(numClasses, 0);
    }

    /** Learned embedding of each class into {@code dim} values. */
    public static LabelConcat embedding(int numClasses, int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("label embedding size must be positive, got " + dim);
        }
        return new LabelConcat(numClasses, dim);
    }

    private LabelConcat(int numClasses, int embeddingDim) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a condition needs at least 2 classes, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.embeddingDim = embeddingDim;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Whether the condition is a learned embedding (a weight), not a fixed one-hot vector. */
    public boolean learned() {
        return embeddingDim > 0;
    }

    /**
     * Spectral normalisation of the learned embedding table (one row per class), as BigGAN's
     * discriminator normalises its class embedding: see {@link SpectralNorm}. A one-hot label has
     * no weight and is refused.
     */
    public LabelConcat spectralNorm() {
        return SpectralNorm.of(this);
    }

    private int conditionSize() {
        return embeddingDim > 0 ? embeddingDim : numClasses;
    }

    @Override
    public String typeName() {
        return embeddingDim > 0 ? "Embedding" : "OneHot";
    }

    @Override
    public String describe() {
        String what = embeddingDim > 0 ? "Embedding(" + numClasses + ", " + embeddingDim + ")" : "OneHot(" + numClasses + ")";
        return what + (maps ? " as channel maps" : "") + ", concatenated";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() == 1) {
            maps = false;
            return new Shape(input.get(0) + conditionSize());
        }
        if (input.dimension() == 3) {
            maps = true;
            return new Shape(input.get(0) + conditionSize(), input.get(1), input.get(2));
        }
        throw shapeError(input, "expects a feature vector or a (channels, height, width) map");
    }

    @Override
    protected void declareParameters(Shape input) {
        if (embeddingDim > 0) {
            table = declare("weight", new Shape(numClasses, embeddingDim), Parameter.Role.EMBEDDING, numClasses, embeddingDim);
        }
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        NDArray labels = context.labels();
        if (labels == null) {
            throw new ShapeException(describe() + " needs class labels, but the batch has none:"
                    + " give the data set labels (a conditional GAN) or remove the condition");
        }
        long batch = x.getShape().get(0);
        NDArray cond;
        if (table != null) {
            cond = JniUtils.embedding(Torch.pt(labels.toType(DataType.INT64, false)), Torch.pt(context.use(table)), false);
        } else {
            cond = labels.toType(DataType.INT64, false).oneHot(numClasses).toType(x.getDataType(), false);
        }
        if (maps) {
            Shape s = x.getShape();
            cond = cond.reshape(batch, conditionSize(), 1, 1).broadcast(new Shape(batch, conditionSize(), s.get(2), s.get(3)));
        }
        return NDArrays.concat(new NDList(x, cond), 1);
    }
}
