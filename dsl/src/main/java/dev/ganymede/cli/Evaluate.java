package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.metrics.Evaluation;
import dev.ganymede.engine.metrics.EvaluationData;
import dev.ganymede.engine.metrics.Evaluator;
import dev.ganymede.engine.metrics.FeatureNetwork;
import dev.ganymede.engine.metrics.MetricsTracker;
import dev.ganymede.engine.nn.NetworkIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `gan eval`: measures a run's trained generator against the real data, beside the floor (held-out
 * real images measured the same way) and the ceiling (the generator as it was before training: the
 * script rebuilt with the run's settings and seed, not loaded), and writes evaluation.json into the
 * run folder. When the run kept its best generator by FD, that one is measured too.
 */
public final class Evaluate {

    /** The file written into the run folder. */
    public static final String JSON_FILE = "evaluation.json";

    /** Rows of the table: metric name, label, which way is better. */
    private static final String[][] ROWS = {
        {"fd", "FD", "lower"},
        {"kid", "KID", "lower"},
        {"precision", "precision", "higher"},
        {"recall", "recall", "higher"},
        {"density", "density", "~1"},
        {"coverage", "coverage", "higher"},
        {"classifier_score", "classifier score", "higher"},
        {"class_kl", "class KL to uniform", "lower"},
        {"label_accuracy", "label accuracy", "higher"},
    };

    private Evaluate() {}

    /**
     * Evaluates the run in {@code run} with {@code n} samples; prints the table to {@code out} and
     * returns the evaluations by column: "generator", then "best" (when generator-best.params
     * exists), "floor" and "ceiling" (with {@code baselines}).
     */
    public static Map<String, Evaluation> run(Path run, int n, long seed, boolean baselines, PrintStream out) {
        Path script = run.resolve("script.gan");
        if (!Files.isRegularFile(script) || !Files.isRegularFile(run.resolve("generator.params"))) {
            throw new GanymedeException(run + " is not a finished run folder: it needs script.gan and generator.params"
                    + " (written by gan run)");
        }
        Map<String, String> overrides = RunFolder.overrides(run);
        Device device = Backend.device(Backend.DeviceChoice.AUTO);
        long started = System.nanoTime();
        Map<String, Evaluation> columns = new LinkedHashMap<>();
        try (GanSession session = GanSession.open(script, overrides, device)) {
            session.loadRun(run);
            EvaluationData data = EvaluationData.of(session.dataset());
            try (Evaluator evaluator = Evaluator.builder(data).samples(n).seed(seed).log(out::println).build()) {
                FeatureNetwork features = evaluator.featureNetwork();
                out.printf(Locale.ROOT, "gan eval %s: %,d samples against %,d real images of %s (seed %d)%n", run, n,
                        Math.min(n, data.reference().size()), session.dataset().name(), seed);
                out.printf(Locale.ROOT, "feature network: %s, %.2f %% of %,d held-out images classified correctly%n",
                        features.file(), 100 * features.testAccuracy(), features.testImages());
                columns.put("generator", evaluator.evaluate(session.getGan(), "generator"));
                Path best = run.resolve(MetricsTracker.BEST_FILE);
                if (Files.isRegularFile(best)) {
                    try (GanSession kept = GanSession.open(script, overrides, device)) {
                        NetworkIO.load(kept.getGan().generator(), best);
                        columns.put("best", evaluator.evaluate(kept.getGan(), "best generator (by FD)"));
                    }
                }
                if (baselines) {
                    columns.put("floor", evaluator.heldOutBaseline());
                    // the script rebuilt with the run's settings and seed: the generator before training
                    try (GanSession fresh = GanSession.open(script, overrides, device)) {
                        columns.put("ceiling", evaluator.evaluate(fresh.getGan(), "untrained generator"));
                    }
                }
                out.println();
                out.print(table(columns));
                Path json = run.resolve(JSON_FILE);
                writeJson(json, run, session.dataset().name(), n, seed, features, columns);
                out.printf(Locale.ROOT, "%nwrote %s (%.1f s)%n", json, (System.nanoTime() - started) / 1e9);
            }
        }
        return columns;
    }

    /** The metrics as rows, the evaluations as columns, and the sample counts and class histograms below. */
    static String table(Map<String, Evaluation> columns) {
        List<String> headers = new ArrayList<>();
        headers.add("metric");
        for (String key : columns.keySet()) {
            headers.add(switch (key) {
                case "floor" -> "floor: held-out real";
                case "ceiling" -> "ceiling: untrained G";
                case "best" -> "best G (by FD)";
                default -> key;
            });
        }
        headers.add("better");
        List<List<String>> rows = new ArrayList<>();
        for (String[] row : ROWS) {
            boolean any = false;
            List<String> cells = new ArrayList<>();
            cells.add(row[1]);
            for (Evaluation e : columns.values()) {
                Double v = e.metrics().get(row[0]);
                Double spread = row[0].equals("kid") ? e.metrics().get("kid_std")
                        : row[0].equals("classifier_score") ? e.metrics().get("classifier_score_std") : null;
                any |= v != null;
                cells.add(v == null ? "-" : format(v) + (spread == null ? "" : " ± " + formatSpread(spread)));
            }
            cells.add(row[2]);
            if (any) {
                rows.add(cells);
            }
        }
        List<String> counts = new ArrayList<>();
        counts.add("samples");
        for (Evaluation e : columns.values()) {
            counts.add(String.format(Locale.ROOT, "%,d", e.samples()));
        }
        counts.add("");
        rows.add(counts);
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, headers, width);
        for (List<String> r : rows) {
            appendRow(sb, r, width);
        }
        for (Map.Entry<String, Evaluation> e : columns.entrySet()) {
            if (e.getValue().classes() != null) {
                sb.append(String.format(Locale.ROOT, "classes of %s: %s%n", headers.get(new ArrayList<>(columns.keySet())
                        .indexOf(e.getKey()) + 1), e.getValue().classes()));
            }
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            if (c == 0 || c == cells.size() - 1) {
                sb.append(String.format("%-" + width[c] + "s", cell));
            } else {
                sb.append(String.format("%" + width[c] + "s", cell));
            }
            sb.append(c == cells.size() - 1 ? "" : "   ");
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    /** 4 significant digits; whole numbers from 1,000 up. */
    static String format(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains("e") ? String.format(Locale.ROOT, "%.2e", v) : s;
    }

    /** A standard deviation: 2 significant digits. */
    static String formatSpread(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        String s = String.format(Locale.ROOT, "%.2g", v);
        return s.contains("e") ? String.format(Locale.ROOT, "%.1e", v) : s;
    }

    private static void writeJson(Path file, Path run, String dataName, int n, long seed, FeatureNetwork features,
            Map<String, Evaluation> columns) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"run\": ").append(quote(run.toAbsolutePath().normalize().toString())).append(",\n");
        sb.append("  \"data\": ").append(quote(dataName)).append(",\n");
        sb.append("  \"samples\": ").append(n).append(",\n");
        sb.append("  \"seed\": ").append(seed).append(",\n");
        sb.append("  \"featureNetwork\": {\"file\": ").append(quote(features.file().toAbsolutePath().toString()))
                .append(", \"testAccuracy\": ").append(String.format(Locale.ROOT, "%.4f", features.testAccuracy()))
                .append(", \"heldOutImages\": ").append(features.testImages()).append("}");
        for (Map.Entry<String, Evaluation> e : columns.entrySet()) {
            sb.append(",\n  ").append(quote(e.getKey())).append(": ").append(e.getValue().toJson());
        }
        sb.append("\n}\n");
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GanymedeException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
