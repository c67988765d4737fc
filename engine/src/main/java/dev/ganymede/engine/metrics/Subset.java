package dev.ganymede.engine.metrics;

import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.data.Dataset;

/** Some samples of a data set, in a given order, seen as a data set of their own. */
final class Subset implements Dataset {

    private final Dataset base;
    private final int[] indices;
    private final String name;

    Subset(Dataset base, int[] indices, String name) {
        this.base = base;
        this.indices = indices.clone();
        this.name = name;
        for (int i : indices) {
            java.util.Objects.checkIndex(i, base.size());
        }
    }

    /** The samples whose index is (not) {@code part} modulo {@code parts}: a deterministic split. */
    static Subset everyNth(Dataset base, int parts, int part, boolean keep, String name) {
        int n = 0;
        for (int i = 0; i < base.size(); i++) {
            if ((i % parts == part) == keep) {
                n++;
            }
        }
        int[] idx = new int[n];
        int k = 0;
        for (int i = 0; i < base.size(); i++) {
            if ((i % parts == part) == keep) {
                idx[k++] = i;
            }
        }
        return new Subset(base, idx, name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape sampleShape() {
        return base.sampleShape();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int numClasses() {
        return base.numClasses();
    }

    @Override
    public void copySample(int index, float[] dest, int offset) {
        base.copySample(indices[index], dest, offset);
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public String className(int label) {
        return base.className(label);
    }

    @Override
    public float[] valueRange() {
        return base.valueRange();
    }

    @Override
    public String toString() {
        return name + ": " + indices.length + " samples of " + base.name();
    }
}
