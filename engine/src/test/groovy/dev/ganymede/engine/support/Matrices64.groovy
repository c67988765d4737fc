package dev.ganymede.engine.support

import groovy.transform.CompileStatic

/** Reference linear algebra in doubles for the specs, written from the definitions. */
@CompileStatic
class Matrices64 {

    /**
     * The weight as the matrix spectral normalisation sees: axis {@code dim} of the weight indexes
     * the rows, the other axes (in order) are flattened into the columns.
     */
    static double[][] asMatrix(float[] w, List<Long> shape, int dim) {
        int rows = shape[dim] as int
        int total = w.length
        int cols = total.intdiv(rows) as int
        long before = 1
        for (int a = 0; a < dim; a++) before *= shape[a]
        long after = ((long) total).intdiv(before * rows) as long
        double[][] m = new double[rows][cols]
        // element (b, r, a) of the weight viewed as (before, rows, after) goes to row r, column b·after + a
        for (int b = 0; b < before; b++) {
            for (int r = 0; r < rows; r++) {
                for (int a = 0; a < after; a++) {
                    m[r][(int) (b * after + a)] = w[(int) ((b * rows + r) * after + a)]
                }
            }
        }
        m
    }

    /** The largest singular value: power iteration on AᵀA in doubles, run until it no longer moves. */
    static double topSingularValue(double[][] a) {
        int cols = a[0].length
        def r = new Random(99)
        double[] v = new double[cols]
        for (int j = 0; j < cols; j++) v[j] = r.nextGaussian()
        double sigma = 0
        for (int it = 0; it < 100_000; it++) {
            double[] av = times(a, v)
            double[] atav = transposeTimes(a, av)
            double n = norm(atav)
            for (int j = 0; j < cols; j++) v[j] = atav[j] / n
            double next = norm(times(a, v))
            if (Math.abs(next - sigma) <= 1e-14 * next) {
                return next
            }
            sigma = next
        }
        sigma
    }

    static double[] times(double[][] a, double[] x) {
        double[] y = new double[a.length]
        for (int i = 0; i < a.length; i++) {
            double s = 0
            for (int j = 0; j < x.length; j++) s += a[i][j] * x[j]
            y[i] = s
        }
        y
    }

    static double[] transposeTimes(double[][] a, double[] x) {
        double[] y = new double[a[0].length]
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < y.length; j++) y[j] += a[i][j] * x[i]
        }
        y
    }

    static double norm(double[] x) {
        double s = 0
        for (double d : x) s += d * d
        Math.sqrt(s)
    }

    static double[][] scaled(double[][] a, double f) {
        double[][] m = new double[a.length][]
        for (int i = 0; i < a.length; i++) {
            m[i] = new double[a[i].length]
            for (int j = 0; j < a[i].length; j++) m[i][j] = a[i][j] * f
        }
        m
    }
}
