package dev.ganymede.engine.metrics;

import java.util.Arrays;

/**
 * What a feature network makes of a set of images: for each image a feature vector (the
 * activations of its penultimate layer, 128 numbers for {@link FeatureNetwork}) and the class
 * probabilities of its softmax. Every metric of this package is computed from these.
 *
 * <p>Row-major float arrays: feature j of sample i is {@code activations[i * dimension + j]}, the
 * probability of class c is {@code probabilities[i * classes + c]}. Sets of points that did not
 * come from a classifier (a test's Gaussian samples) have no probabilities: {@code classes} is 0.
 */
public final class Features {

    private final float[] activations;
    private final int count;
    private final int dimension;
    private final float[] probabilities;
    private final int classes;

    private Features(float[] activations, int count, int dimension, float[] probabilities, int classes) {
        if (count <= 0 || dimension <= 0) {
            throw new IllegalArgumentException("features need at least one sample of at least one dimension, got "
                    + count + " x " + dimension);
        }
        if (activations.length != (long) count * dimension) {
            throw new IllegalArgumentException(activations.length + " activations are not " + count + " samples of "
                    + dimension);
        }
        if (classes > 0 && (probabilities == null || probabilities.length != (long) count * classes)) {
            throw new IllegalArgumentException("expected " + count + " x " + classes + " class probabilities, got "
                    + (probabilities == null ? "none" : Integer.toString(probabilities.length)));
        }
        this.activations = activations;
        this.count = count;
        this.dimension = dimension;
        this.probabilities = classes > 0 ? probabilities : null;
        this.classes = classes;
    }

    /** Feature vectors with class probabilities ({@code classes} per sample). */
    public static Features of(float[] activations, int count, float[] probabilities, int classes) {
        return new Features(activations, count, dimension(activations, count), probabilities, classes);
    }

    /** Points without class probabilities, e.g. draws of a Gaussian: {@code count} rows of the array. */
    public static Features points(float[] values, int count) {
        return new Features(values, count, dimension(values, count), null, 0);
    }

    /** Points given as rows. */
    public static Features points(double[][] rows) {
        int d = rows[0].length;
        float[] values = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                values[i * d + j] = (float) rows[i][j];
            }
        }
        return new Features(values, rows.length, d, null, 0);
    }

    /** Class probabilities alone (a classifier's verdicts), with no feature vectors worth the name. */
    public static Features probabilities(float[] probabilities, int count, int classes) {
        return new Features(probabilities.clone(), count, classes, probabilities, classes);
    }

    private static int dimension(float[] values, int count) {
        if (count <= 0 || values.length % count != 0) {
            throw new IllegalArgumentException(values.length + " values are not a whole number of " + count + " samples");
        }
        return values.length / count;
    }

    /** Number of samples. */
    public int count() {
        return count;
    }

    /** Length of one feature vector. */
    public int dimension() {
        return dimension;
    }

    /** Number of classes of the probabilities, 0 without them. */
    public int classes() {
        return classes;
    }

    public boolean hasProbabilities() {
        return classes > 0;
    }

    /** The feature vectors, row-major (not a copy: do not modify). */
    public float[] activations() {
        return activations;
    }

    /** The class probabilities, row-major (not a copy), or null. */
    public float[] probabilityArray() {
        return probabilities;
    }

    /** Feature j of sample i. */
    public float value(int i, int j) {
        return activations[i * dimension + j];
    }

    /** Probability of class c for sample i. */
    public float probability(int i, int c) {
        requireProbabilities("probability");
        return probabilities[i * classes + c];
    }

    /** The most probable class of each sample (the first one on ties). */
    public int[] predictedClasses() {
        requireProbabilities("predictedClasses");
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probabilities[i * classes + c] > probabilities[i * classes + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public Features slice(int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + count + " samples");
        }
        float[] a = Arrays.copyOfRange(activations, from * dimension, to * dimension);
        float[] p = classes > 0 ? Arrays.copyOfRange(probabilities, from * classes, to * classes) : null;
        return new Features(a, to - from, dimension, p, classes);
    }

    /** The samples at {@code indices}, in that order. */
    public Features select(int[] indices) {
        float[] a = new float[indices.length * dimension];
        float[] p = classes > 0 ? new float[indices.length * classes] : null;
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(activations, indices[k] * dimension, a, k * dimension, dimension);
            if (p != null) {
                System.arraycopy(probabilities, indices[k] * classes, p, k * classes, classes);
            }
        }
        return new Features(a, indices.length, dimension, p, classes);
    }

    /** The features as doubles, one row per sample. */
    public double[][] rows() {
        double[][] out = new double[count][dimension];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dimension; j++) {
                out[i][j] = activations[i * dimension + j];
            }
        }
        return out;
    }

    private void requireProbabilities(String what) {
        if (classes == 0) {
            throw new IllegalStateException(what + " needs class probabilities, and these features have none");
        }
    }

    @Override
    public String toString() {
        return "Features[" + count + " x " + dimension + (classes > 0 ? ", " + classes + " classes" : "") + "]";
    }
}
