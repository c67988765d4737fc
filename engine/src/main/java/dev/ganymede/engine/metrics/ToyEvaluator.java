package dev.ganymede.engine.metrics;

import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.data.Gaussian1D;
import dev.ganymede.engine.data.GaussianMixture2D;
import dev.ganymede.engine.train.Gan;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Measures generators of the toy data, where the true distribution is known and no feature
 * network is needed:
 *
 * <ul>
 *   <li>a 2-D mixture of Gaussians (ring, grid): {@link ModeCoverage} by the PacGAN paper's
 *       protocol, as metrics {@code modes} (captured), {@code high_quality} (fraction within 3 std of
 *       a mode) and {@code reverse_kl} (of the mode histogram, in nats);
 *   <li>the 1-D Gaussian: the samples' {@code mean} and {@code std} (the data's are 4 and 1.25) and
 *       {@code w1}, the 1-D Wasserstein distance between the samples and as many points of the true
 *       distribution (the mean absolute difference of the sorted values).
 * </ul>
 *
 * The floor is fresh samples of the true distribution (seed {@link #HELD_OUT_SEED}) scored the
 * same way; the ceiling, as for images, is the untrained generator, scored by {@link #evaluate}.
 * Results are {@link Evaluation}-like maps of named metrics, the names of evaluation.json.
 */
public final class ToyEvaluator {

    /** Seed of the real points that make the floor, and of the 1-D comparison sample. */
    public static final long HELD_OUT_SEED = 0x5EED7E57L;

    private final Dataset data;
    private final int samples;
    private final long seed;

    /**
     * The numbers of one toy evaluation.
     *
     * @param subject what was measured
     * @param samples how many points
     * @param metrics the metrics by name, in a fixed order
     */
    public record Result(String subject, int samples, Map<String, Double> metrics) {
        /** A JSON object with the subject, the sample count and every number (as {@link Evaluation#toJson}). */
        public String toJson() {
            StringBuilder sb = new StringBuilder("{\"subject\": ").append(Evaluation.quote(subject))
                    .append(", \"samples\": ").append(samples);
            Evaluation.appendJson(sb, metrics);
            return sb.append('}').toString();
        }

        @Override
        public String toString() {
            return Evaluation.line(subject, samples, metrics);
        }
    }

    private ToyEvaluator(Dataset data, int samples, long seed) {
        this.data = data;
        this.samples = samples;
        this.seed = seed;
    }

    /** True for the data sets this evaluator knows: a 2-D Gaussian mixture or the 1-D Gaussian. */
    public static boolean supports(Dataset data) {
        return data instanceof GaussianMixture2D || data instanceof Gaussian1D;
    }

    /**
     * An evaluator of {@code samples} points per evaluation (the PacGAN protocol scores 2,500), with
     * latent noise drawn from {@code seed}.
     */
    public static ToyEvaluator of(Dataset data, int samples, long seed) {
        if (!supports(data)) {
            throw new GanymedeException("the toy metrics need a 2-D Gaussian mixture (ring, grid) or the 1-D Gaussian,"
                    + " not '" + data.name() + "'");
        }
        if (samples < 2) {
            throw new GanymedeException("an evaluation needs at least 2 samples, got " + samples);
        }
        return new ToyEvaluator(data, samples, seed);
    }

    /** Points per evaluation. */
    public int samples() {
        return samples;
    }

    /** What the data is: "ring: 8 modes of std 0.01" or "N(4, 1.25²)". */
    public String describeData() {
        if (data instanceof GaussianMixture2D m) {
            return String.format(Locale.ROOT, "%s: %d modes of std %s", m.name(), m.numModes(), m.std());
        }
        Gaussian1D g = (Gaussian1D) data;
        return String.format(Locale.ROOT, "N(%s, %s²)", g.mean(), g.std());
    }

    /** The generator's samples (drawn in evaluation mode from fixed noise of this evaluator's seed), scored. */
    public Result evaluate(Gan gan, String subject) {
        return score(sample(gan), subject);
    }

    /**
     * The points this evaluator scores: {@link #samples()} of the generator's, drawn in evaluation
     * mode (BatchNorm's running statistics) from fixed noise of this evaluator's seed.
     */
    public float[] sample(Gan gan) {
        long width = gan.sampleShape().size();
        long expected = data instanceof GaussianMixture2D ? 2 : 1;
        if (width != expected || gan.isConditional()) {
            throw new GanymedeException("the generator makes samples of shape " + gan.sampleShape()
                    + (gan.isConditional() ? " from class labels" : "") + " but the data '" + data.name()
                    + "' has unconditional points of " + expected + " number" + (expected == 1 ? "" : "s"));
        }
        float[] noise = gan.latent().fixedBatch(samples, seed);
        try (NDManager manager = Backend.engine().newBaseManager(gan.generator().device())) {
            return gan.generate(noise, null, samples, manager);
        }
    }

    /** Fresh points of the true distribution, scored as a generator's: what a perfect generator gets. */
    public Result heldOutBaseline() {
        return score(truePoints(samples, HELD_OUT_SEED), "held-out real points");
    }

    /** Scores {@code points} (x0, y0, x1, y1, ... for 2-D data). */
    public Result score(float[] points, String subject) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (data instanceof GaussianMixture2D mixture) {
            ModeCoverage c = ModeCoverage.of(points, mixture);
            m.put("modes", (double) c.captured());
            m.put("high_quality", c.highQuality());
            m.put("reverse_kl", c.reverseKl());
            return new Result(subject, c.samples(), m);
        }
        double mean = 0;
        for (float v : points) {
            mean += v;
        }
        mean /= points.length;
        double squares = 0;
        for (float v : points) {
            squares += (v - mean) * (v - mean);
        }
        m.put("mean", mean);
        m.put("std", Math.sqrt(squares / (points.length - 1)));
        m.put("w1", wasserstein1(points, truePoints(points.length, HELD_OUT_SEED + 1)));
        return new Result(subject, points.length, m);
    }

    /**
     * The 1-D Wasserstein-1 distance between two samples of equal size: the mean absolute difference
     * of their sorted values (the area between the two empirical distribution functions).
     */
    static double wasserstein1(float[] a, float[] b) {
        float[] x = a.clone();
        float[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.abs(x[i] - y[i]);
        }
        return sum / x.length;
    }

    private float[] truePoints(int n, long pointSeed) {
        Dataset fresh = data instanceof GaussianMixture2D m
                ? GaussianMixture2D.of(m.name(), m.modes(), m.std(), n, pointSeed)
                : Gaussian1D.of(n, ((Gaussian1D) data).mean(), ((Gaussian1D) data).std(), pointSeed);
        int width = (int) fresh.sampleShape().size();
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            fresh.copySample(i, out, i * width);
        }
        return out;
    }
}
