package dev.ganymede.engine.metrics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of one evaluation: a set of samples (a generator's, or held-out real images)
 * measured against real reference images in a feature network's space. A metric that was not
 * asked for is NaN (KID and the manifold metrics cost more than FD and are optional while
 * training); {@code labelAccuracy} is NaN for an unconditional generator.
 *
 * @param subject what was measured: "generator", "held-out real images", "untrained generator"
 * @param samples how many samples were measured
 * @param referenceSamples how many real reference images they were compared with
 * @param fd Fréchet distance ({@link FrechetDistance}); lower is better
 * @param kid kernel distance, mean over subsets ({@link KernelDistance}); lower is better
 * @param kidStd its standard deviation over subsets
 * @param precision fraction of samples on the real manifold ({@link ManifoldMetrics}); higher is better
 * @param recall fraction of real images on the samples' manifold; higher is better
 * @param density real k-NN balls per sample, over k; about 1 for real images
 * @param coverage fraction of real k-NN balls holding a sample; higher is better
 * @param classifierScore the Inception-score analogue ({@link ClassifierScore}); higher is better
 * @param classifierScoreStd its standard deviation over splits
 * @param classes the class histogram of the samples ({@link ClassHistogram})
 * @param classKl KL divergence of that histogram from uniform; lower is better
 * @param labelAccuracy for a conditional generator, the fraction of samples classified as the class
 *     they were generated for
 * @param seconds how long the evaluation took (generation, features and metrics)
 */
public record Evaluation(String subject, int samples, int referenceSamples, double fd, double kid, double kidStd,
        double precision, double recall, double density, double coverage, double classifierScore,
        double classifierScoreStd, ClassHistogram classes, double classKl, double labelAccuracy, double seconds) {

    /**
     * The metrics by name, in a fixed order, without those not computed: fd, kid, kid_std,
     * precision, recall, density, coverage, classifier_score, classifier_score_std, class_kl,
     * label_accuracy. These are the names of evaluation.csv and evaluation.json.
     */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "fd", fd);
        put(m, "kid", kid);
        put(m, "kid_std", kidStd);
        put(m, "precision", precision);
        put(m, "recall", recall);
        put(m, "density", density);
        put(m, "coverage", coverage);
        put(m, "classifier_score", classifierScore);
        put(m, "classifier_score_std", classifierScoreStd);
        put(m, "class_kl", classKl);
        put(m, "label_accuracy", labelAccuracy);
        return m;
    }

    private static void put(Map<String, Double> m, String name, double value) {
        if (!Double.isNaN(value)) {
            m.put(name, value);
        }
    }

    /** A JSON object with every number, the histogram and the sample counts. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"subject\": ").append(quote(subject));
        sb.append(", \"samples\": ").append(samples);
        sb.append(", \"referenceSamples\": ").append(referenceSamples);
        appendJson(sb, metrics());
        if (classes != null) {
            sb.append(", \"class_histogram\": ").append(java.util.Arrays.toString(classes.counts()));
        }
        sb.append(", \"seconds\": ").append(number(seconds));
        return sb.append('}').toString();
    }

    /** One line: "generator, 10,000 samples: FD 12.34, KID 0.0123 ± 0.0011, precision 0.712, ...". */
    @Override
    public String toString() {
        return line(subject, samples, metrics());
    }

    /** "SUBJECT, N samples: name value, name value, ..." with 4 significant digits (also {@link ToyEvaluator.Result}'s). */
    static String line(String subject, int samples, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s, %,d samples:", subject, samples));
        String sep = " ";
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            sb.append(sep).append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.4g", e.getValue()));
            sep = ", ";
        }
        return sb.toString();
    }

    /** Appends {@code , "name": value} for every metric (non-finite values as null). */
    static void appendJson(StringBuilder sb, Map<String, Double> metrics) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            sb.append(", ").append(quote(e.getKey())).append(": ").append(number(e.getValue()));
        }
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
