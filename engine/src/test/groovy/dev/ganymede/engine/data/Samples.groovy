package dev.ganymede.engine.data

import groovy.transform.CompileStatic

/** Statically compiled loops over data sets, so that specs over 100,000 samples stay fast. */
@CompileStatic
class Samples {

    /** Samples from .. from + count - 1, one after the other. */
    static float[] read(Dataset data, int from, int count) {
        int n = (int) data.sampleShape().size()
        float[] out = new float[count * n]
        for (int i = 0; i < count; i++) {
            data.copySample(from + i, out, i * n)
        }
        out
    }

    /** The same, as a list, for comparing with ==. */
    static List<Float> list(Dataset data, int from, int count) {
        read(data, from, count) as List<Float>
    }

    /** [mean, sample standard deviation] of an array. */
    static double[] meanAndStd(float[] values) {
        double sum = 0
        for (float v : values) {
            sum += v
        }
        double mean = sum / values.length
        double squares = 0
        for (float v : values) {
            squares += (v - mean) * (v - mean)
        }
        [mean, Math.sqrt(squares / (values.length - 1))] as double[]
    }

    /** [smallest, largest, mean] of an array. */
    static double[] minMaxMean(float[] values) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE, sum = 0
        for (float v : values) {
            lo = Math.min(lo, v)
            hi = Math.max(hi, v)
            sum += v
        }
        [lo, hi, sum / values.length] as double[]
    }

    /** How many values lie strictly between lo and hi. */
    static int countBetween(float[] values, float lo, float hi) {
        int n = 0
        for (float v : values) {
            if (v > lo && v < hi) {
                n++
            }
        }
        n
    }

    /** True when every pixel of the outermost rows and columns of a 28x28 image is -1. */
    static boolean clearBorder(float[] image) {
        for (int k = 0; k < 28; k++) {
            if (image[k] != -1f || image[27 * 28 + k] != -1f || image[k * 28] != -1f || image[k * 28 + 27] != -1f) {
                return false
            }
        }
        true
    }

    /** The centre of the ink (pixel + 1) / 2 of a 28x28 image, as (x, y) in pixels. */
    static double[] centreOfInk(float[] image) {
        double total = 0, x = 0, y = 0
        for (int p = 0; p < 784; p++) {
            double ink = (image[p] + 1) / 2
            total += ink
            x += ink * (p % 28 + 0.5)
            y += ink * (p.intdiv(28) + 0.5)
        }
        [x / total, y / total] as double[]
    }

    /** The mean image of each of the ten classes over samples from .. to - 1. */
    static double[][] meanImages(Dataset data, int from, int to) {
        double[][] sums = new double[10][784]
        int[] counts = new int[10]
        float[] image = new float[784]
        for (int i = from; i < to; i++) {
            data.copySample(i, image, 0)
            int label = data.label(i)
            counts[label]++
            double[] sum = sums[label]
            for (int p = 0; p < 784; p++) {
                sum[p] += image[p]
            }
        }
        for (int c = 0; c < 10; c++) {
            for (int p = 0; p < 784; p++) {
                sums[c][p] /= counts[c]
            }
        }
        sums
    }

    /** The share of samples from .. to - 1 whose nearest mean image is that of their own class. */
    static double nearestMeanAccuracy(Dataset data, double[][] means, int from, int to) {
        float[] image = new float[784]
        int right = 0
        for (int i = from; i < to; i++) {
            data.copySample(i, image, 0)
            int best = -1
            double bestDistance = Double.MAX_VALUE
            for (int c = 0; c < 10; c++) {
                double[] mean = means[c]
                double d = 0
                for (int p = 0; p < 784; p++) {
                    double e = image[p] - mean[p]
                    d += e * e
                }
                if (d < bestDistance) {
                    bestDistance = d
                    best = c
                }
            }
            if (best == data.label(i)) {
                right++
            }
        }
        right / (double) (to - from)
    }

    /**
     * For a mixture: [root mean square distance per coordinate of each point from the centre of
     * its own mode, 1 if every point's nearest centre is its own mode else 0], and the number of
     * points of each mode in {@code counts}.
     */
    static double[] mixtureStats(GaussianMixture2D data, int[] counts) {
        double[][] modes = data.modes()
        float[] point = new float[2]
        double squares = 0
        boolean allNearest = true
        for (int i = 0; i < data.size(); i++) {
            data.copySample(i, point, 0)
            int k = data.modeOf(i)
            counts[k]++
            double dx = point[0] - modes[k][0]
            double dy = point[1] - modes[k][1]
            squares += dx * dx + dy * dy
            allNearest &= data.nearestMode(point[0], point[1]) == k
        }
        [Math.sqrt(squares / (2 * data.size())), allNearest ? 1 : 0] as double[]
    }
}
