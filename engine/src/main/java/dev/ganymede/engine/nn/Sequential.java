package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Layers applied one after the other; shape errors name the position and both neighbours. */
public final class Sequential extends Layer {

    private final List<Layer> layers = new ArrayList<>();
    private final String label;

    public Sequential() {
        this("Sequential");
    }

    public Sequential(String label) {
        this.label = label;
    }

    public Sequential add(Layer layer) {
        if (isBuilt()) {
            throw new IllegalStateException("cannot add " + layer.typeName() + ": " + label + " is already built");
        }
        layers.add(layer);
        return this;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public List<Layer> children() {
        return layers();
    }

    @Override
    public String typeName() {
        return label;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(label).append("(\n");
        for (int i = 0; i < layers.size(); i++) {
            String inner = layers.get(i).listing().replace("\n", "\n  ");
            sb.append("  (").append(i).append("): ").append(inner).append('\n');
        }
        return sb.append(')').toString();
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        Shape current = input;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            try {
                current = layer.build(current);
            } catch (ShapeException e) {
                String where = layer.origin() == null ? "" : " (" + layer.origin() + ")";
                String after = i == 0 ? "the input " + Shapes.format(input)
                        : "layer " + (i - 1) + " " + layers.get(i - 1).typeName() + " with output " + Shapes.format(current);
                throw new ShapeException("layer " + i + " " + layer.typeName() + where + " cannot follow " + after
                        + ": " + e.getMessage());
            }
        }
        return current;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        NDArray current = x;
        for (Layer layer : layers) {
            current = layer.forward(current, context);
        }
        return current;
    }
}
