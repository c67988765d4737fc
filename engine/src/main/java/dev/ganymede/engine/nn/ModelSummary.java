package dev.ganymede.engine.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table a GAN person reads first: every layer, its output shape and parameter count, and totals. */
public final class ModelSummary {

    /** One row of the table. */
    public static final class Row {
        public final String layer;
        public final String outputShape;
        public final long parameters;

        Row(String layer, String outputShape, long parameters) {
            this.layer = layer;
            this.outputShape = outputShape;
            this.parameters = parameters;
        }
    }

    private final String name;
    private final String input;
    private final List<Row> rows;
    private final long total;
    private final long buffers;
    private final String bufferKinds;

    private ModelSummary(String name, String input, List<Row> rows, long total, long buffers, String bufferKinds) {
        this.name = name;
        this.input = input;
        this.rows = rows;
        this.total = total;
        this.buffers = buffers;
        this.bufferKinds = bufferKinds;
    }

    static ModelSummary of(Network network) {
        List<Row> rows = new ArrayList<>();
        addRows(network.body(), "", rows);
        long buffers = 0;
        java.util.Set<String> kinds = new java.util.LinkedHashSet<>();
        for (Parameter p : network.namedParameters().values()) {
            if (!p.trainable()) {
                buffers += p.size();
                kinds.add(p.role() == Parameter.Role.STATE ? "power-iteration vectors of spectral norm" : "BatchNorm running statistics");
            }
        }
        return new ModelSummary(network.name(), Shapes.withBatch(network.inputShape()), rows, network.parameterCount(), buffers,
                String.join(", ", kinds));
    }

    private static void addRows(Layer layer, String prefix, List<Row> rows) {
        List<Layer> children = layer.children();
        for (int i = 0; i < children.size(); i++) {
            Layer child = children.get(i);
            String label = prefix + i;
            if (!child.children().isEmpty()) {
                addRows(child, label + ".", rows);
            } else {
                rows.add(new Row(label + " " + child.summaryName(), Shapes.withBatch(child.outputShape()), child.ownParameterCount()));
            }
        }
    }

    public String name() {
        return name;
    }

    public List<Row> rows() {
        return rows;
    }

    public long totalParameters() {
        return total;
    }

    public long bufferValues() {
        return buffers;
    }

    @Override
    public String toString() {
        int w1 = "Layer".length();
        int w2 = "Output shape".length();
        for (Row r : rows) {
            w1 = Math.max(w1, r.layer.length());
            w2 = Math.max(w2, r.outputShape.length());
        }
        w2 = Math.max(w2, input.length());
        String fmt = "%-" + w1 + "s  %-" + w2 + "s  %,12d%n";
        String head = "%-" + w1 + "s  %-" + w2 + "s  %12s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(name).append('\n');
        String rule = "-".repeat(w1 + w2 + 16) + "\n";
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, head, "Layer", "Output shape", "Params"));
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, head, "input", input, ""));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.layer, r.outputShape, r.parameters));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, "Total parameters: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable parameters: %,d%n", total));
        if (buffers > 0) {
            sb.append(String.format(Locale.ROOT, "Buffers (%s): %,d%n", bufferKinds, buffers));
        }
        return sb.toString();
    }
}
