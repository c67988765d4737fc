package dev.ganymede.engine.metrics;

/**
 * The little dense linear algebra the metrics need, in plain Java doubles: matrices are
 * {@code double[rows][columns]}, small (the feature dimension, about 128), so clarity beats speed.
 *
 * <p>The one delicate piece is the square root of a covariance product for the Fréchet distance.
 * pytorch-fid calls scipy's {@code sqrtm} on the non-symmetric product Σ1·Σ2 and gets complex
 * values and an error when it is near singular; torchmetrics takes the eigenvalues of Σ1·Σ2. Here
 * the product is never formed: Σ1·Σ2 is similar to the symmetric positive semi-definite matrix
 * M = √Σ1 · Σ2 · √Σ1 (√Σ1 · M · √Σ1⁻¹ = Σ1·Σ2 when Σ1 is invertible), so both have the same
 * eigenvalues and tr √(Σ1·Σ2) = tr √M = Σ √λᵢ(M). Both square roots come from symmetric
 * eigendecompositions (cyclic Jacobi rotations, accurate to rounding), and eigenvalues that
 * rounding pushes below zero are clamped to zero: nothing complex, nothing singular.
 */
public final class Linalg {

    private Linalg() {}

    /**
     * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix: {@code a = V
     * diag(values) Vᵀ}, the eigenvector of {@code values[k]} being column k of {@code vectors}.
     */
    public record Eigen(double[] values, double[][] vectors) {}

    /**
     * The eigendecomposition of a symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan,
     * §8.5): sweeps of rotations that zero each off-diagonal entry in turn until the off-diagonal
     * mass is below 1e-30 of the total (at most 100 sweeps; 128x128 covariances need about 8).
     * Only the upper triangle of {@code a} is read; {@code a} is not modified.
     */
    public static Eigen symmetricEigen(double[][] a) {
        int n = checkSquare(a, "symmetricEigen");
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                m[i][j] = a[i][j];
                m[j][i] = a[i][j];
            }
        }
        double[][] v = identity(n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                total += m[i][j] * m[i][j];
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += m[i][j] * m[i][j];
                }
            }
            if (off <= 1e-30 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    // the rotation (c, s) that zeroes m[p][q]: t = tan θ, the smaller root of t² + 2τt - 1 = 0
                    double tau = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
                    if (tau == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    m[p][q] = 0;
                    m[q][p] = 0;
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        // sort ascending, eigenvectors with their values
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[][] mm = m;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(mm[x][x], mm[y][y]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vectors[i][k] = v[i][order[k]];
            }
        }
        return new Eigen(values, vectors);
    }

    /** The symmetric square root of a symmetric positive semi-definite matrix; negative eigenvalues count as 0. */
    public static double[][] sqrtPsd(double[][] a) {
        return spectralFunction(symmetricEigen(a), Math::sqrt);
    }

    /** V f(Λ) Vᵀ, with f applied to max(λ, 0). */
    private static double[][] spectralFunction(Eigen e, java.util.function.DoubleUnaryOperator f) {
        int n = e.values().length;
        double[] fl = new double[n];
        for (int k = 0; k < n; k++) {
            fl[k] = f.applyAsDouble(Math.max(0, e.values()[k]));
        }
        double[][] v = e.vectors();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[i][k] * fl[k] * v[j][k];
                }
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }

    /**
     * tr √(A·B) for symmetric positive semi-definite A and B (covariances), computed as
     * Σ √λᵢ(√A · B · √A), which never forms the non-symmetric product. This is the term of the
     * Fréchet distance that couples the two covariances.
     */
    public static double traceSqrtProduct(double[][] a, double[][] b) {
        int n = checkSquare(a, "traceSqrtProduct");
        if (checkSquare(b, "traceSqrtProduct") != n) {
            throw new IllegalArgumentException("traceSqrtProduct: " + n + "x" + n + " and " + b.length + "x"
                    + b.length + " matrices");
        }
        double[][] root = sqrtPsd(a);
        double[][] m = symmetrise(multiply(multiply(root, b), root));
        double trace = 0;
        for (double lambda : symmetricEigen(m).values()) {
            trace += Math.sqrt(Math.max(0, lambda));
        }
        return trace;
    }

    /**
     * The square root S of the product A·B of two symmetric positive definite matrices: the matrix
     * with S·S = A·B and eigenvalues √λᵢ(A·B) ≥ 0, although A·B itself is not symmetric. It is
     * √A · √M · √A⁻¹ with M = √A · B · √A (then S·S = √A · M · √A⁻¹ = A·B). The metrics only need
     * its trace ({@link #traceSqrtProduct}); this full form is there to check that trace.
     */
    public static double[][] sqrtProduct(double[][] a, double[][] b) {
        Eigen ea = symmetricEigen(a);
        if (ea.values()[0] <= 0) {
            throw new IllegalArgumentException("sqrtProduct needs a positive definite first matrix; its smallest"
                    + " eigenvalue is " + ea.values()[0]);
        }
        double[][] root = spectralFunction(ea, Math::sqrt);
        double[][] inverseRoot = spectralFunction(ea, x -> 1 / Math.sqrt(x));
        double[][] m = symmetrise(multiply(multiply(root, b), root));
        return multiply(multiply(root, sqrtPsd(m)), inverseRoot);
    }

    /** The matrix product a·b. */
    public static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int inner = b.length;
        int m = b[0].length;
        if (a[0].length != inner) {
            throw new IllegalArgumentException("cannot multiply " + n + "x" + a[0].length + " by " + inner + "x" + m);
        }
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] row = out[i];
            for (int k = 0; k < inner; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < m; j++) {
                    row[j] += aik * bk[j];
                }
            }
        }
        return out;
    }

    /** The sum of the diagonal. */
    public static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i][i];
        }
        return t;
    }

    /** The n x n identity. */
    public static double[][] identity(int n) {
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            out[i][i] = 1;
        }
        return out;
    }

    /** (a + aᵀ) / 2: removes the rounding asymmetry of a product that is symmetric in exact arithmetic. */
    static double[][] symmetrise(double[][] a) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = (a[i][j] + a[j][i]) / 2;
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }

    private static int checkSquare(double[][] a, String what) {
        int n = a.length;
        for (double[] row : a) {
            if (row.length != n) {
                throw new IllegalArgumentException(what + " needs a square matrix, got " + n + " rows of " + row.length);
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(what + " needs a non-empty matrix");
        }
        return n;
    }
}
