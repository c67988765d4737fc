package dev.ganymede.engine.output;

/**
 * Paths through the latent space between two latent vectors, for the interpolation strips of a run
 * report: walking from z₀ to z₁ in equal steps and drawing G at every point shows whether the
 * generator maps nearby latents to nearby samples (a smooth morph) or memorises a few outputs (sudden
 * jumps).
 *
 * <p>Two paths are offered:
 * <ul>
 *   <li>{@link Method#LINEAR}: {@code z(t) = (1 − t) z₀ + t z₁}. Right for uniform noise, whose support
 *       (a box) contains every straight segment between two of its points.
 *   <li>{@link Method#SPHERICAL} (slerp, T. White, "Sampling Generative Networks", 2016): with θ the
 *       angle between z₀ and z₁, {@code z(t) = sin((1 − t)θ)/sin θ · z₀ + sin(tθ)/sin θ · z₁}. Right
 *       for Gaussian noise: in d dimensions almost all of N(0, I) lies near the sphere of radius √d,
 *       and the midpoint of a straight line between two such vectors has a norm of only about √(d/2),
 *       a latent the generator has practically never seen. The spherical path keeps the norm when both
 *       ends have the same one. Nearly parallel ends (sin θ &lt; 1e-6) fall back to the straight line.
 * </ul>
 * Both paths start exactly at z₀ ({@code t = 0}) and end exactly at z₁ ({@code t = 1}).
 */
public final class LatentInterpolation {

    /** How to walk between two latent vectors. */
    public enum Method {
        LINEAR("linear"),
        SPHERICAL("spherical (slerp)");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /** "linear" or "spherical (slerp)", for captions. */
        public String label() {
            return label;
        }
    }

    private LatentInterpolation() {}

    /** The path that suits the noise: linear for uniform noise, spherical for Gaussian noise. */
    public static Method suitedTo(boolean uniformNoise) {
        return uniformNoise ? Method.LINEAR : Method.SPHERICAL;
    }

    /**
     * {@code steps} points from {@code from} to {@code to} inclusive, at t = 0, 1/(steps − 1), …, 1,
     * as one array of {@code steps × from.length} values, point after point.
     */
    public static float[] between(float[] from, float[] to, int steps, Method method) {
        if (from.length != to.length || from.length == 0) {
            throw new IllegalArgumentException("both ends need the same, non-zero size, got "
                    + from.length + " and " + to.length);
        }
        if (steps < 2) {
            throw new IllegalArgumentException("a path needs at least 2 points, got " + steps);
        }
        int d = from.length;
        float[] out = new float[steps * d];
        double theta = 0;
        double sinTheta = 0;
        if (method == Method.SPHERICAL) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < d; i++) {
                dot += (double) from[i] * to[i];
                na += (double) from[i] * from[i];
                nb += (double) to[i] * to[i];
            }
            double cos = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))) : 1;
            theta = Math.acos(cos);
            sinTheta = Math.sin(theta);
        }
        boolean straight = method == Method.LINEAR || Math.abs(sinTheta) < 1e-6;
        for (int s = 0; s < steps; s++) {
            double t = s / (double) (steps - 1);
            double a;
            double b;
            if (straight) {
                a = 1 - t;
                b = t;
            } else {
                a = Math.sin((1 - t) * theta) / sinTheta;
                b = Math.sin(t * theta) / sinTheta;
            }
            if (s == 0) {
                a = 1;
                b = 0;
            } else if (s == steps - 1) {
                a = 0;
                b = 1;
            }
            for (int i = 0; i < d; i++) {
                out[s * d + i] = (float) (a * from[i] + b * to[i]);
            }
        }
        return out;
    }

    /**
     * One path per row between consecutive pairs of {@code latents} (vectors of {@code size} values,
     * one after another): row r runs from vector 2r to vector 2r + 1. Returns {@code rows × steps}
     * vectors, row after row.
     */
    public static float[] pairs(float[] latents, int size, int rows, int steps, Method method) {
        if (size < 1 || rows < 1) {
            throw new IllegalArgumentException("size and rows must be at least 1, got " + size + " and " + rows);
        }
        if (latents.length < 2L * rows * size) {
            throw new IllegalArgumentException(rows + " rows need " + 2 * rows + " latent vectors of " + size
                    + " values, got " + latents.length + " values");
        }
        float[] out = new float[rows * steps * size];
        float[] a = new float[size];
        float[] b = new float[size];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(latents, 2 * r * size, a, 0, size);
            System.arraycopy(latents, (2 * r + 1) * size, b, 0, size);
            float[] path = between(a, b, steps, method);
            System.arraycopy(path, 0, out, r * steps * size, path.length);
        }
        return out;
    }

    /** The Euclidean norm of vector {@code index} of {@code size} values in {@code vectors}. */
    public static double norm(float[] vectors, int size, int index) {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double v = vectors[index * size + i];
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
