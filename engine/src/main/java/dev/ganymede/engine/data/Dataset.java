package dev.ganymede.engine.data;

import ai.djl.ndarray.types.Shape;

/**
 * A finite, in-memory data set of fixed-shape samples, already scaled the way the networks will
 * see them (images in [-1, 1] unless a data set says otherwise). Samples are plain floats so that
 * batches can be assembled off the training thread; the trainer copies them to the device.
 */
public interface Dataset {

    /** A short name for logs and reports: "digits", "fashion-mnist", "gaussian-1d". */
    String name();

    /** Per-sample shape, without the batch axis: (1, 28, 28), (2,) or (1,). */
    Shape sampleShape();

    /** Number of samples. */
    int size();

    /** Number of classes when samples are labelled, 0 otherwise. */
    int numClasses();

    /** Copies sample {@code index} into {@code dest} starting at {@code offset} (sampleShape().size() floats). */
    void copySample(int index, float[] dest, int offset);

    /** The class of sample {@code index}, or -1 for unlabelled data. */
    int label(int index);

    /** Human-readable names of the classes (size numClasses()), for reports; default "0".."n-1". */
    default String className(int label) {
        return Integer.toString(label);
    }

    /** Values a sample takes, for documentation and checks: e.g. {-1, 1} for images. */
    default float[] valueRange() {
        return new float[] {-1f, 1f};
    }
}
