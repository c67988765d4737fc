package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A building block of a network. A layer is declared with its settings, then {@link #build} is
 * given the per-sample input shape (no batch axis): it checks the shape, infers what it can (input
 * channels, features) and declares its parameters. Shapes are known before any data flows.
 */
public abstract class Layer {

    private Shape inputShape;
    private Shape outputShape;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Map<String, Reparametrization> reparametrizations = new LinkedHashMap<>();
    private String origin;

    /** PyTorch's class name of the layer, as a summary prints it: "Conv2d". */
    public abstract String typeName();

    /** PyTorch-style one-line description, valid after build: "Conv2d(1, 32, kernel_size=(4, 4), ...)". */
    public abstract String describe();

    /** Checks the input shape and returns the output shape; throws {@link ShapeException} with a plain reason. */
    protected abstract Shape inferOutputShape(Shape input);

    /** Declares parameters for this input shape (called once, after the shape was accepted). */
    protected void declareParameters(Shape input) {}

    /** Runs the layer on a batch: the first axis of {@code x} is the batch. */
    public abstract NDArray forward(NDArray x, ForwardContext context);

    /** Sub-layers, for containers. */
    public List<Layer> children() {
        return Collections.emptyList();
    }

    /** Builds this layer for a per-sample input shape and returns the per-sample output shape. */
    public final Shape build(Shape input) {
        if (inputShape != null) {
            if (!inputShape.equals(input)) {
                throw new ShapeException(typeName() + " was built for input " + Shapes.format(inputShape)
                        + " and cannot be reused for " + Shapes.format(input));
            }
            return outputShape;
        }
        Shape out = inferOutputShape(input);
        inputShape = input;
        outputShape = out;
        declareParameters(input);
        bindReparametrizations();
        return out;
    }

    /**
     * Makes the named parameter go through {@code r} in every forward pass (see
     * {@link SpectralNorm#of}); the buffers {@code r} keeps become this layer's parameters.
     * Must be called before the layer is built.
     */
    public Layer reparametrize(String parameterName, Reparametrization r) {
        if (inputShape != null) {
            throw new IllegalStateException(typeName() + " is already built: apply " + r.summaryName() + " before building it");
        }
        if (reparametrizations.containsKey(parameterName)) {
            throw new IllegalArgumentException(typeName() + "'s " + parameterName + " already has "
                    + reparametrizations.get(parameterName).summaryName());
        }
        reparametrizations.put(parameterName, r);
        return this;
    }

    /** The reparametrisations of this layer's parameters, by parameter name. */
    public Map<String, Reparametrization> reparametrizations() {
        return Collections.unmodifiableMap(reparametrizations);
    }

    private void bindReparametrizations() {
        for (Map.Entry<String, Reparametrization> e : reparametrizations.entrySet()) {
            Parameter target = null;
            for (Parameter p : parameters) {
                if (p.name().equals(e.getKey())) {
                    target = p;
                }
            }
            if (target == null) {
                throw new IllegalStateException(typeName() + " has no parameter '" + e.getKey() + "' for " + e.getValue().summaryName());
            }
            parameters.addAll(e.getValue().bind(this, target));
            target.reparametrize(e.getValue());
        }
    }

    protected final Parameter declare(String name, Shape shape, Parameter.Role role, int fanIn, int fanOut) {
        Parameter p = new Parameter(name, shape, role, fanIn, fanOut);
        parameters.add(p);
        return p;
    }

    /** This layer's own parameters (not its children's). */
    public List<Parameter> ownParameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** All parameters of this layer and its children, in declaration order. */
    public List<Parameter> allParameters() {
        List<Parameter> all = new ArrayList<>(parameters);
        for (Layer child : children()) {
            all.addAll(child.allParameters());
        }
        return all;
    }

    public boolean isBuilt() {
        return inputShape != null;
    }

    public Shape inputShape() {
        requireBuilt();
        return inputShape;
    }

    public Shape outputShape() {
        requireBuilt();
        return outputShape;
    }

    /** Where the layer was declared (a script line), used in error messages; may be null. */
    public String origin() {
        return origin;
    }

    public Layer origin(String where) {
        this.origin = where;
        return this;
    }

    protected final void requireBuilt() {
        if (inputShape == null) {
            throw new IllegalStateException(typeName() + " is not built yet");
        }
    }

    /** Counts trainable parameters of this layer alone. */
    public long ownParameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            if (p.trainable()) {
                n += p.size();
            }
        }
        return n;
    }

    /**
     * The layer as PyTorch lists it: {@link #describe()}, and for a reparametrised layer the form
     * PyTorch prints for a module with parametrizations (torch.nn.utils.parametrize):
     * <pre>
     * ParametrizedConv2d(
     *   3, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1)
     *   (parametrizations): ModuleDict(
     *     (weight): ParametrizationList(
     *       (0): _SpectralNorm()
     *     )
     *   )
     * )</pre>
     */
    public final String listing() {
        String own = describe();
        if (reparametrizations.isEmpty() || !isBuilt()) {
            return own;
        }
        String head = typeName() + "(";
        String settings = own.startsWith(head) && own.endsWith(")") ? own.substring(head.length(), own.length() - 1) : own;
        StringBuilder sb = new StringBuilder("Parametrized").append(typeName()).append("(\n  ").append(settings)
                .append("\n  (parametrizations): ModuleDict(\n");
        for (Map.Entry<String, Reparametrization> e : reparametrizations.entrySet()) {
            sb.append("    (").append(e.getKey()).append("): ParametrizationList(\n      (0): ")
                    .append(e.getValue().describe()).append("\n    )\n");
        }
        return sb.append("  )\n)").toString();
    }

    /** The layer's name in summary tables: its type, and what reparametrises it ("Conv2d + spectral norm"). */
    public String summaryName() {
        StringBuilder sb = new StringBuilder(typeName());
        for (Reparametrization r : reparametrizations.values()) {
            sb.append(" + ").append(r.summaryName());
        }
        return sb.toString();
    }

    protected ShapeException shapeError(Shape input, String expectation) {
        return new ShapeException(typeName() + " " + expectation + ", but its input is " + Shapes.format(input));
    }

    @Override
    public String toString() {
        return isBuilt() ? listing() : typeName() + "(not built)";
    }
}
