package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * Spectral normalisation (Miyato et al., SNGAN, 2018), as {@code torch.nn.utils.spectral_norm}
 * does it: the layer computes with W / σ(W), σ(W) the largest singular value of the weight seen
 * as a matrix (rows, rest). Rows are the output features: axis 0 of the weight, axis 1 for a
 * transposed convolution, whose weight is (in, out, k, k) (PyTorch's {@code dim=1} for
 * ConvTranspose); for a lookup table (an Embedding, a learned label embedding) the rows are its
 * entries, as PyTorch's default dim=0 on {@code nn.Embedding}; for minibatch discrimination's
 * tensor T, (A, B·C), its A input features (dim=0, as {@code spectral_norm(module, name="T")}
 * would take it; a matrix and its transpose have the same σ). Applied with {@link #of}:
 * {@code SpectralNorm.of(new Conv2d(64, 4).stride(2))} or the layer's own {@code spectralNorm()}.
 *
 * <p>σ is estimated by power iteration, as in PyTorch: each training-mode forward pass does one
 * step, v = normalise(Wᵀ u), u = normalise(W v), without recording gradients, and stores u and v
 * back into their buffers; then σ = uᵀ W v is computed with gradient recording, so the gradient
 * reaches W through σ as well as through the numerator. In evaluation mode the stored u and v are
 * used and left as they are. u and v are buffers (not trained, not counted as parameters) saved
 * with the model as "weight_u" and "weight_v", the names torch.nn.utils.spectral_norm gives them
 * (the weight itself keeps its name, "weight", where PyTorch renames it "weight_orig"). They start as N(0, 1) draws
 * normalised to unit length, and, as with the seed's {@code torch.nn.utils.spectral_norm} (unlike
 * the newer {@code parametrizations.spectral_norm}, which runs 15 iterations at creation), no
 * iteration runs before the first training pass. normalise(x) = x / max(‖x‖, 1e-12).
 */
public final class SpectralNorm implements Reparametrization {

    /** PyTorch's eps: vectors are divided by max(‖x‖, eps). */
    public static final double EPS = 1e-12;

    private final int dim;
    private final int powerIterations;
    private Parameter weight;
    private Parameter u;
    private Parameter v;
    private long rows;
    private long columns;

    private SpectralNorm(int dim, int powerIterations) {
        this.dim = dim;
        this.powerIterations = powerIterations;
    }

    /** Normalises the layer's weight spectrally with one power iteration per training pass; returns the layer. */
    public static <L extends Layer> L of(L layer) {
        return of(layer, 1);
    }

    /** Normalises the layer's weight spectrally with {@code powerIterations} iterations per training pass (PyTorch's n_power_iterations). */
    public static <L extends Layer> L of(L layer, int powerIterations) {
        if (powerIterations < 1) {
            throw new IllegalArgumentException("spectral norm needs at least one power iteration per pass, got " + powerIterations);
        }
        if (layer instanceof LabelConcat label && !label.learned()) {
            throw new IllegalArgumentException("spectral norm needs a weight, and a one-hot label has none:"
                    + " give the label a learned embedding to normalise");
        }
        if (!(layer instanceof Linear || layer instanceof Conv2d || layer instanceof ConvTranspose2d
                || layer instanceof Maxout || layer instanceof Embedding || layer instanceof LabelConcat
                || layer instanceof MinibatchDiscrimination)) {
            throw new IllegalArgumentException("spectral norm applies to a layer with a weight (Linear, Conv2d,"
                    + " ConvTranspose2d, Maxout, Embedding, a learned label embedding, MinibatchDiscrimination),"
                    + " not to " + layer.typeName());
        }
        // PyTorch: dim=1 for transposed convolutions, whose weight is (in, out, k, k); 0 otherwise
        int dim = layer instanceof ConvTranspose2d ? 1 : 0;
        layer.reparametrize(layer instanceof MinibatchDiscrimination ? "T" : "weight", new SpectralNorm(dim, powerIterations));
        return layer;
    }

    /** The weight axis that indexes rows of the normalised matrix: 0, or 1 for ConvTranspose2d. */
    public int dim() {
        return dim;
    }

    public int powerIterations() {
        return powerIterations;
    }

    /** The left singular vector estimate, (rows); a buffer. Valid once the layer is built. */
    public Parameter u() {
        requireBound();
        return u;
    }

    /** The right singular vector estimate, (rest); a buffer. Valid once the layer is built. */
    public Parameter v() {
        requireBound();
        return v;
    }

    @Override
    public List<Parameter> bind(Layer layer, Parameter target) {
        if (weight != null) {
            throw new IllegalStateException("a SpectralNorm belongs to one weight; make a new one for " + layer.typeName());
        }
        weight = target;
        rows = target.shape().get(dim);
        columns = target.size() / rows;
        u = new Parameter(target.name() + "_u", new Shape(rows), Parameter.Role.STATE, (int) rows, (int) columns)
                .ownInitializer(SpectralNorm::randomUnitVector);
        v = new Parameter(target.name() + "_v", new Shape(columns), Parameter.Role.STATE, (int) columns, (int) rows)
                .ownInitializer(SpectralNorm::randomUnitVector);
        return List.of(u, v);
    }

    @Override
    public NDArray apply(NDArray raw, ForwardContext context) {
        NDArray matrix = matrix(raw);
        NDArray uNow;
        NDArray vNow;
        if (context.training()) {
            try (Autograd.Recording paused = Autograd.pause()) {
                // every array here is made from `matrix`, owned by the step: nothing lands in the
                // network's manager; the buffers are only read, then overwritten in place
                NDArray transposed = matrix.transpose();
                uNow = u.value();
                vNow = null;
                for (int i = 0; i < powerIterations; i++) {
                    vNow = normalise(transposed.matMul(uNow));
                    uNow = normalise(matrix.matMul(vNow));
                }
                copyInto(u.value(), uNow);
                copyInto(v.value(), vNow);
            }
        } else {
            // step-owned copies, so a later training pass may update the buffers before this graph's backward
            uNow = context.own(u.value().duplicate());
            vNow = context.own(v.value().duplicate());
        }
        return raw.div(sigma(matrix, uNow, vNow));
    }

    /**
     * σ as evaluation mode uses it: uᵀ W v with the stored vectors and the current weight (no
     * iteration, nothing stored). After enough training passes it is the largest singular value.
     */
    public double sigma() {
        requireBound();
        NDArray w = weight.value();
        try (NDManager scratch = w.getManager().newSubManager(); Autograd.Recording paused = Autograd.pause()) {
            NDArray view = w.reshape(weight.shape());
            view.attach(scratch);
            return sigma(matrix(view), u.value(), v.value()).getFloat();
        }
    }

    /** The weight as the (rows, rest) matrix whose top singular value is σ. */
    private NDArray matrix(NDArray w) {
        return (dim == 0 ? w : w.swapAxes(0, dim)).reshape(rows, columns);
    }

    /** uᵀ (W v), with the matrix as first operand so the result belongs to its manager. */
    private static NDArray sigma(NDArray matrix, NDArray u, NDArray v) {
        return JniUtils.dot(Torch.pt(matrix.matMul(v)), Torch.pt(u));
    }

    private static NDArray normalise(NDArray x) {
        return x.div(Torch.maximum(x.square().sum().sqrt(), EPS));
    }

    private static void copyInto(NDArray target, NDArray source) {
        JniUtils.indexSet(Torch.pt(target), Torch.pt(source), new long[] {0}, new long[] {target.size()}, new long[] {1});
    }

    /** N(0, 1) normalised to unit length, as torch.nn.utils.spectral_norm starts u and v. */
    static NDArray randomUnitVector(Parameter p, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray unit = normalise(scratch.randomNormal(0f, 1f, p.shape(), DataType.FLOAT32));
            unit.attach(manager);
            return unit;
        }
    }

    private void requireBound() {
        if (weight == null) {
            throw new IllegalStateException("spectral norm is bound to its weight when the layer is built: build the network first");
        }
    }

    @Override
    public String describe() {
        return "_SpectralNorm()";
    }

    @Override
    public String summaryName() {
        return "spectral norm";
    }
}
