package dev.ganymede.engine.data;

import ai.djl.ndarray.types.Shape;

/**
 * One batch as plain Java arrays, ready to be copied to the device.
 *
 * @param data the samples one after the other, {@code size * sampleShape.size()} floats
 * @param labels the class of each sample, or {@code null} for unlabelled data
 * @param size the number of samples (the last batch of an epoch may be smaller without drop-last)
 * @param sampleShape the shape of one sample, without the batch axis
 * @param epoch the epoch this batch belongs to, counting from 0
 * @param indexInEpoch the position of this batch in its epoch, counting from 0
 */
public record HostBatch(float[] data, int[] labels, int size, Shape sampleShape, int epoch, int indexInEpoch) {

    /** The shape of {@link #data()} as a tensor: (size, sample dimensions...). */
    public Shape shape() {
        return new Shape(size).addAll(sampleShape);
    }

    /** The number of floats in one sample. */
    public int sampleSize() {
        return (int) sampleShape.size();
    }

    /** True when the batch carries labels. */
    public boolean labelled() {
        return labels != null;
    }

    @Override
    public String toString() {
        return "HostBatch[" + size + " x " + sampleShape + (labels != null ? ", labelled" : "")
                + ", epoch " + epoch + ", batch " + indexInEpoch + "]";
    }
}
