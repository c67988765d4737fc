package dev.ganymede.engine.metrics;

import java.util.Arrays;

/**
 * How many samples the feature network puts in each class (its most probable class), and the
 * Kullback-Leibler divergence of that histogram h from the uniform one over K classes:
 *
 * <pre>
 *   KL(h || uniform) = Σ_c h_c log(K h_c)        (0 log 0 = 0)
 * </pre>
 *
 * 0 when every class is drawn equally often, log K (2.303 for 10 classes) when one class takes
 * everything, log(K / m) when m classes are drawn evenly and the others never: a direct reading of
 * mode dropping on labelled data. Real data sets with balanced classes (the digits, Fashion-MNIST)
 * sit near 0.
 *
 * @param counts samples per class
 */
public record ClassHistogram(int[] counts) {

    public ClassHistogram {
        counts = counts.clone();
        if (counts.length == 0) {
            throw new IllegalArgumentException("a class histogram needs at least one class");
        }
    }

    /** The histogram of the predicted classes of {@code features}. */
    public static ClassHistogram of(Features features) {
        int[] counts = new int[features.classes()];
        for (int c : features.predictedClasses()) {
            counts[c]++;
        }
        return new ClassHistogram(counts);
    }

    /** The histogram of given class indices over {@code classes} classes. */
    public static ClassHistogram ofLabels(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int c : labels) {
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("class " + c + " is not one of 0.." + (classes - 1));
            }
            counts[c]++;
        }
        return new ClassHistogram(counts);
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }

    /** The number of classes K. */
    public int classes() {
        return counts.length;
    }

    /** The number of samples. */
    public int total() {
        int t = 0;
        for (int c : counts) {
            t += c;
        }
        return t;
    }

    /** The fraction of samples in class {@code c}. */
    public double fraction(int c) {
        return counts[c] / (double) total();
    }

    /** KL(h || uniform) in nats. */
    public double klToUniform() {
        double total = total();
        double kl = 0;
        for (int c : counts) {
            if (c > 0) {
                double h = c / total;
                kl += h * Math.log(counts.length * h);
            }
        }
        return Math.max(0, kl);
    }

    /** Classes that get at least {@code fraction} of what a uniform histogram would give them. */
    public int classesAbove(double fraction) {
        double expected = total() / (double) counts.length;
        int n = 0;
        for (int c : counts) {
            if (c >= fraction * expected) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassHistogram h && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return Arrays.toString(counts);
    }
}
