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
import dev.ganymede.engine.metrics.ToyEvaluator;
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
import java.util.function.Supplier;

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

    /** Rows for the toy data (a 2-D mixture, the 1-D Gaussian): {@link ToyEvaluator}'s metrics. */
    private static final String[][] TOY_ROWS = {
        {"modes", "modes captured", "higher"},
        {"high_quality", "high-quality fraction", "higher"},
        {"reverse_kl", "reverse KL of modes", "lower"},
        {"mean", "mean", "= data's"},
        {"std", "std", "= data's"},
        {"w1", "W1 to the data", "lower"},
    };

    private Evaluate() {}

    /**
     * Evaluates the run in {@code run} with {@code n} samples; prints the table to {@code out} and
     * writes evaluation.json into the run folder.
     */
    public static void run(Path run, int n, long seed, boolean baselines, PrintStream out) {
        RunFolder.requireTrained(run);
        String interrupted = RunFolder.interruptedNote(run);
        if (interrupted != null) {
            out.println(interrupted);
        }
        Device device = Backend.device(Backend.DeviceChoice.AUTO);
        try (GanSession session = RunFolder.open(run, device)) {
            session.loadRun(run);
            // the script rebuilt with the run's settings and seed: the generator before training
            measure(session, () -> RunFolder.open(run, device), run.resolve(MetricsTracker.BEST_FILE),
                    n, seed, baselines, out, "gan eval " + run, run.resolve(JSON_FILE));
        }
    }

    /**
     * Measures a session's generator with {@code n} samples: for images FD and the other feature
     * metrics, for toy data {@link ToyEvaluator}'s. Prints the table headed by {@code title} to
     * {@code out} and writes {@code json} (when not null). {@code untrained} rebuilds the session
     * before training: the ceiling, and the network a kept best generator ({@code best}, when that
     * file exists) is loaded into. The REPL's /eval and gan eval both come here.
     */
    public static void measure(GanSession session, Supplier<GanSession> untrained, Path best, int n, long seed,
            boolean baselines, PrintStream out, String title, Path json) {
        long started = System.nanoTime();
        if (ToyEvaluator.supports(session.dataset())) {
            measureToy(session, untrained, n, seed, baselines, out, title, json, started);
            return;
        }
        Map<String, Column> columns = new LinkedHashMap<>();
        EvaluationData data = EvaluationData.of(session.dataset());
        try (Evaluator evaluator = Evaluator.builder(data).samples(n).seed(seed).log(out::println).build()) {
            FeatureNetwork features = evaluator.featureNetwork();
            out.printf(Locale.ROOT, "%s: %,d samples against %,d real images of %s (seed %d)%n", title, n,
                    Math.min(n, data.reference().size()), session.dataset().name(), seed);
            out.printf(Locale.ROOT, "feature network: %s, %.2f %% of %,d held-out images classified correctly%n",
                    features.file(), 100 * features.testAccuracy(), features.testImages());
            columns.put("generator", Column.of(evaluator.evaluate(session.getGan(), "generator")));
            if (best != null && Files.isRegularFile(best)) {
                try (GanSession kept = untrained.get()) {
                    NetworkIO.load(kept.getGan().generator(), best);
                    columns.put("best", Column.of(evaluator.evaluate(kept.getGan(), "best generator (by FD)")));
                }
            }
            if (baselines) {
                columns.put("floor", Column.of(evaluator.heldOutBaseline()));
                try (GanSession fresh = untrained.get()) {
                    columns.put("ceiling", Column.of(evaluator.evaluate(fresh.getGan(), "untrained generator")));
                }
            }
            String featureNetwork = "{\"file\": " + quote(features.file().toAbsolutePath().toString())
                    + ", \"testAccuracy\": " + String.format(Locale.ROOT, "%.4f", features.testAccuracy())
                    + ", \"heldOutImages\": " + features.testImages() + "}";
            finish(ROWS, columns, session, n, seed, featureNetwork, out, json, started);
        }
    }

    /** One column of the table and of evaluation.json: an image evaluation or a toy one. */
    private record Column(int samples, Map<String, Double> metrics, String histogram, String json) {
        static Column of(Evaluation e) {
            return new Column(e.samples(), e.metrics(), e.classes() == null ? null : e.classes().toString(), e.toJson());
        }

        static Column of(ToyEvaluator.Result r) {
            return new Column(r.samples(), r.metrics(), null, r.toJson());
        }
    }

    /** Prints the table, writes {@code json} (when not null) and says how long it all took. */
    private static void finish(String[][] rows, Map<String, Column> columns, GanSession session, int n, long seed,
            String featureNetwork, PrintStream out, Path json, long started) {
        out.println();
        out.print(table(rows, columns));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (json == null) {
            out.printf(Locale.ROOT, "%nmeasured in %.1f s%n", seconds);
            return;
        }
        writeJson(json, session.dataset().name(), n, seed, featureNetwork, columns);
        out.printf(Locale.ROOT, "%nwrote %s (%.1f s)%n", json, seconds);
    }

    /**
     * The toy data's evaluation: no feature network, the true distribution is known. Mode coverage
     * on a 2-D mixture, moments and W1 on the 1-D Gaussian, beside the same floor and ceiling.
     */
    private static void measureToy(GanSession session, Supplier<GanSession> untrained, int n, long seed, boolean baselines,
            PrintStream out, String title, Path json, long started) {
        ToyEvaluator evaluator = ToyEvaluator.of(session.dataset(), n, seed);
        out.printf(Locale.ROOT, "%s: %,d samples of %s (seed %d)%n", title, n, evaluator.describeData(), seed);
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put("generator", Column.of(evaluator.evaluate(session.getGan(), "generator")));
        if (baselines) {
            columns.put("floor", Column.of(evaluator.heldOutBaseline()));
            try (GanSession fresh = untrained.get()) {
                columns.put("ceiling", Column.of(evaluator.evaluate(fresh.getGan(), "untrained generator")));
            }
        }
        finish(TOY_ROWS, columns, session, n, seed, null, out, json, started);
    }

    /**
     * The metrics of {@code rowNames} (metric, label, better) that any column has as rows, the
     * evaluations as columns, a samples row, and the class histograms below.
     */
    private static String table(String[][] rowNames, Map<String, Column> columns) {
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
        for (String[] row : rowNames) {
            boolean any = false;
            List<String> cells = new ArrayList<>();
            cells.add(row[1]);
            for (Column column : columns.values()) {
                Map<String, Double> m = column.metrics();
                Double v = m.get(row[0]);
                Double spread = row[0].equals("kid") ? m.get("kid_std")
                        : row[0].equals("classifier_score") ? m.get("classifier_score_std") : null;
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
        for (Column column : columns.values()) {
            counts.add(String.format(Locale.ROOT, "%,d", column.samples()));
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
        int c = 1;
        for (Column column : columns.values()) {
            if (column.histogram() != null) {
                sb.append(String.format(Locale.ROOT, "classes of %s: %s%n", headers.get(c), column.histogram()));
            }
            c++;
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

    /** 4 significant digits; whole numbers (a mode count, 0) without decimals, from 1,000 up with separators; ∞. */
    static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
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

    /** evaluation.json: what was measured, the feature network (for images), and one object per column. */
    private static void writeJson(Path file, String dataName, int n, long seed, String featureNetwork,
            Map<String, Column> columns) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"run\": ").append(quote(file.getParent().toAbsolutePath().normalize().toString())).append(",\n");
        sb.append("  \"data\": ").append(quote(dataName)).append(",\n");
        sb.append("  \"samples\": ").append(n).append(",\n");
        sb.append("  \"seed\": ").append(seed);
        if (featureNetwork != null) {
            sb.append(",\n  \"featureNetwork\": ").append(featureNetwork);
        }
        for (Map.Entry<String, Column> e : columns.entrySet()) {
            sb.append(",\n  ").append(quote(e.getKey())).append(": ").append(e.getValue().json());
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
