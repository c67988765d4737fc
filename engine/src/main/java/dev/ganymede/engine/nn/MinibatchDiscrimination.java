package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Minibatch discrimination (Salimans et al., "Improved Techniques for Training GANs", 2016): the
 * discriminator sees how close each sample is to the others of its batch, so a generator that
 * produces the same sample again and again is easy to spot.
 *
 * <p>For a batch of feature vectors x_i (A features), a learned tensor T of shape (A, B·C) maps
 * each sample to B rows of C values, M_i = x_i T viewed as (B, C). For every kernel b the
 * closeness of two samples is c_b(i, j) = exp(−‖M_i,b − M_j,b‖₁), and sample i gets
 * o(x_i)_b = Σ_{j≠i} c_b(i, j). The output is x_i followed by its B closeness values: (A + B).
 * T is a weight whose fan-in is A, so it starts as the network's scheme starts weights (PyTorch's
 * U(±1/√A) by default, close to the N(0, 0.05) of the paper's code for a few hundred features).
 * Like BatchNorm, the result of a sample depends on the rest of its batch; the cost grows with
 * the square of the batch size.
 */
public final class MinibatchDiscrimination extends Layer {

    private final int kernels;
    private final int kernelDims;
    private int inFeatures;
    private Parameter tensor;

    /** B kernels of C dimensions each (the paper's experiments: 100 kernels of 5). */
    public MinibatchDiscrimination(int kernels, int kernelDims) {
        if (kernels <= 0 || kernelDims <= 0) {
            throw new IllegalArgumentException("minibatch discrimination needs a positive number of kernels and"
                    + " of dimensions per kernel, got " + kernels + " and " + kernelDims);
        }
        this.kernels = kernels;
        this.kernelDims = kernelDims;
    }

    /** Spectral normalisation of T, seen as an (A, B·C) matrix: see {@link SpectralNorm}. */
    public MinibatchDiscrimination spectralNorm() {
        return SpectralNorm.of(this);
    }

    public int kernels() {
        return kernels;
    }

    public int kernelDims() {
        return kernelDims;
    }

    @Override
    public String typeName() {
        return "MinibatchDiscrimination";
    }

    @Override
    public String describe() {
        return "MinibatchDiscrimination(in_features=" + inFeatures + ", kernels=" + kernels + ", kernel_dims=" + kernelDims + ")";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() != 1) {
            throw shapeError(input, "expects a vector of features (add `flatten` before it)");
        }
        return new Shape(input.get(0) + kernels);
    }

    @Override
    protected void declareParameters(Shape input) {
        inFeatures = (int) input.get(0);
        tensor = declare("T", new Shape(inFeatures, (long) kernels * kernelDims), Parameter.Role.WEIGHT,
                inFeatures, kernels * kernelDims);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        long n = x.getShape().get(0);
        // x first: every result belongs to the step's manager
        NDArray m = x.matMul(context.value(tensor)).reshape(n, 1, kernels, kernelDims);
        NDArray distances = m.sub(m.reshape(1, n, kernels, kernelDims)).abs().sum(new int[] {3});
        // the sum over j includes j = i, whose term is exp(-0) = 1 exactly
        NDArray closeness = Torch.sub(distances.neg().exp().sum(new int[] {1}), 1);
        return NDArrays.concat(new NDList(x, closeness), 1);
    }
}
