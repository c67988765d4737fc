package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.engine.data.GaussianMixture2D;
import dev.ganymede.engine.metrics.ModeCoverage;
import dev.ganymede.engine.metrics.ToyEvaluator;
import dev.ganymede.engine.output.Plots;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mode-coverage benchmark of the PacGAN paper (Lin et al. 2018, table 1): each variant script
 * is trained on the ring of 8 and the grid of 25 Gaussians for several trials; 2,500 samples of
 * each trained generator are scored by {@link ModeCoverage}; the table gives mean ± standard
 * deviation over trials beside the published means.
 */
public final class MixtureBenchmark {

    /** Samples scored per trained generator, as the paper. */
    public static final int SAMPLES = 2500;

    /**
     * Published means over 10 trials: modes, high-quality %, reverse KL (NaN where not published).
     * The PacGAN table gives them ± the standard error; ours are ± the standard deviation.
     */
    record Published(String source, double[] ring, double[] grid) {}

    static final Map<String, Published> PUBLISHED = new LinkedHashMap<>();

    static {
        double n = Double.NaN;
        PUBLISHED.put("gan", new Published("PacGAN table 1", new double[] {6.3, 98.2, 0.45}, new double[] {17.3, 94.8, 0.70}));
        PUBLISHED.put("pacgan2", new Published("PacGAN table 1", new double[] {7.9, 95.6, 0.07}, new double[] {23.8, 91.3, 0.13}));
        PUBLISHED.put("pacgan4", new Published("PacGAN table 1", new double[] {7.8, 95.9, 0.07}, new double[] {24.8, 93.6, 0.04}));
        PUBLISHED.put("unrolled", new Published("VEEGAN table 1", new double[] {7.6, n, n}, new double[] {23.6, n, n}));
    }

    /** One variant on one mixture, every trial. */
    public record Result(String variant, String mixture, List<ModeCoverage> trials, double secondsPerTrial) {

        double[] mean() {
            double[] m = new double[3];
            for (ModeCoverage c : trials) {
                m[0] += c.captured();
                m[1] += 100 * c.highQuality();
                m[2] += c.reverseKl();
            }
            for (int i = 0; i < 3; i++) {
                m[i] /= trials.size();
            }
            return m;
        }

        double[] spread() {
            double[] mean = mean();
            double[] s = new double[3];
            for (ModeCoverage c : trials) {
                double[] v = {c.captured(), 100 * c.highQuality(), c.reverseKl()};
                for (int i = 0; i < 3; i++) {
                    s[i] += (v[i] - mean[i]) * (v[i] - mean[i]);
                }
            }
            for (int i = 0; i < 3; i++) {
                s[i] = trials.size() > 1 ? Math.sqrt(s[i] / (trials.size() - 1)) : 0;
            }
            return s;
        }
    }

    private final Device device;
    private final PrintStream console;

    public MixtureBenchmark(Device device, PrintStream console) {
        this.device = device;
        this.console = console;
    }

    /** The variant's name: the script's file name without "mixture-" and ".gan". */
    static String variantName(Path script) {
        return script.getFileName().toString().replaceFirst("\\.gan$", "").replaceFirst("^mixture-", "");
    }

    /**
     * Trains every script on both mixtures for {@code trials} seeds (1, 2, ...); {@code steps}
     * overrides the scripts' duration when not null, {@code overrides} are --set values given to
     * every script. Scatter plots of the first trial go to {@code out}.
     */
    public List<Result> run(List<Path> scripts, List<String> mixtures, int trials, Long steps,
            Map<String, String> overrides, Path out) {
        List<Result> results = new ArrayList<>();
        for (String mixture : mixtures) {
            for (Path script : scripts) {
                results.add(runOne(script, mixture, trials, steps, overrides, out));
            }
        }
        return results;
    }

    private Result runOne(Path script, String mixture, int trials, Long steps, Map<String, String> overrides, Path out) {
        String variant = variantName(script);
        List<ModeCoverage> scores = new ArrayList<>();
        double seconds = 0;
        for (int trial = 1; trial <= trials; trial++) {
            Map<String, String> sets = new LinkedHashMap<>(overrides);
            sets.put("data", mixture);
            sets.put("seed", Integer.toString(trial));
            if (steps != null) {
                sets.put("steps", steps.toString());
            }
            long start = System.nanoTime();
            try (GanSession session = GanSession.open(script, sets, device)) {
                session.train(null, null);
                GaussianMixture2D data = (GaussianMixture2D) session.dataset();
                float[] points = ToyEvaluator.of(data, SAMPLES, 1000 + trial).sample(session.getGan());
                ModeCoverage score = ModeCoverage.of(points, data);
                scores.add(score);
                double took = (System.nanoTime() - start) / 1e9;
                seconds += took;
                console.printf(Locale.ROOT, "%-10s %-4s trial %d: %s (%s)%n", variant, mixture, trial, score,
                        Progress.duration(took));
                if (trial == 1 && out != null) {
                    Files.createDirectories(out);
                    Plots.scatter2d(points, data.modes(), out.resolve(variant + "-" + mixture + ".png"),
                            variant + " on the " + mixture + ", " + score.captured() + "/" + score.modes() + " modes");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Result(variant, mixture, scores, seconds / trials);
    }

    /** The results as a Markdown table, ours beside the published means; {@code overrides} are the --set values, noted below it. */
    public static String table(List<Result> results, int trials, Map<String, String> overrides) {
        StringBuilder sb = new StringBuilder();
        sb.append("| variant | data | modes | high quality (%) | reverse KL | published modes / % / KL | time per trial |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            double[] m = r.mean();
            double[] s = r.spread();
            Published p = PUBLISHED.get(r.variant());
            String published = "—";
            if (p != null) {
                double[] v = r.mixture().equals("ring") ? p.ring() : p.grid();
                published = fmt(v[0], 1) + " / " + fmt(v[1], 1) + " / " + fmt(v[2], 2) + " (" + p.source() + ")";
            }
            boolean spread = r.trials().size() > 1;
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n",
                    r.variant(), r.mixture(), meanAndSpread(m[0], s[0], 1, spread), meanAndSpread(m[1], s[1], 1, spread),
                    meanAndSpread(m[2], s[2], 2, spread), published, Progress.duration(r.secondsPerTrial())));
        }
        sb.append(trials == 1
                ? String.format(Locale.ROOT, "%nOne trial (seed 1), %,d samples scored.%n", SAMPLES)
                : String.format(Locale.ROOT, "%nMean ± standard deviation over %d trials (seeds 1 to %d), %,d samples scored per trial.%n",
                        trials, trials, SAMPLES));
        if (!overrides.isEmpty()) {
            List<String> given = new ArrayList<>();
            overrides.forEach((k, v) -> given.add(k + "=" + v));
            sb.append("Every script run with --set ").append(String.join(" ", given)).append(".\n");
        }
        return sb.toString();
    }

    private static String meanAndSpread(double mean, double spread, int decimals, boolean withSpread) {
        String f = "%." + decimals + "f";
        return withSpread ? String.format(Locale.ROOT, f + " ± " + f, mean, spread) : String.format(Locale.ROOT, f, mean);
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** The scripts of the benchmark's default variants, in scripts/. */
    public static List<Path> defaultScripts(Path scriptsFolder) {
        List<Path> list = new ArrayList<>();
        for (String name : List.of("mixture-gan.gan", "mixture-pacgan2.gan", "mixture-pacgan4.gan", "mixture-unrolled.gan")) {
            list.add(scriptsFolder.resolve(name));
        }
        return list;
    }

}
