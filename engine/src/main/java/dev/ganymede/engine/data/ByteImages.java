package dev.ganymede.engine.data;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Images kept as unsigned bytes (0 = background, 255 = full ink), a quarter of the memory of
 * floats, and scaled on the way out through a 256-entry table: to [-1, 1] by default, or to
 * [0, 1]. Shared by the IDX reader and the synthetic digits.
 */
abstract class ByteImages implements Dataset {

    private final String name;
    private final Shape sampleShape;
    private final int sampleSize;
    private final byte[] pixels;
    private final int[] labels;
    private final int numClasses;
    private final boolean zeroToOne;
    private final float[] table = new float[256];

    ByteImages(String name, int channels, int height, int width, byte[] pixels, int[] labels,
            int numClasses, boolean zeroToOne) {
        this.name = name;
        this.sampleShape = new Shape(channels, height, width);
        this.sampleSize = channels * height * width;
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
        this.zeroToOne = zeroToOne;
        for (int v = 0; v < 256; v++) {
            table[v] = zeroToOne ? v / 255f : v / 127.5f - 1f;
        }
        if (pixels.length % sampleSize != 0) {
            throw new IllegalArgumentException(pixels.length + " bytes are not a whole number of "
                    + sampleShape + " images");
        }
        if (labels != null && labels.length != pixels.length / sampleSize) {
            throw new IllegalArgumentException(labels.length + " labels for "
                    + pixels.length / sampleSize + " images");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public int size() {
        return pixels.length / sampleSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public void copySample(int index, float[] dest, int offset) {
        Objects.checkIndex(index, size());
        int base = index * sampleSize;
        for (int k = 0; k < sampleSize; k++) {
            dest[offset + k] = table[pixels[base + k] & 0xFF];
        }
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, size());
        return labels == null ? -1 : labels[index];
    }

    @Override
    public float[] valueRange() {
        return zeroToOne ? new float[] {0f, 1f} : new float[] {-1f, 1f};
    }

    /** The raw byte of pixel {@code pixel} of sample {@code index}: 0 background .. 255 ink. */
    public int rawPixel(int index, int pixel) {
        return pixels[index * sampleSize + pixel] & 0xFF;
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images of " + sampleShape
                + (numClasses > 0 ? ", " + numClasses + " classes" : ", unlabelled");
    }
}
