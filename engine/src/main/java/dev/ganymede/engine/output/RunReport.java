package dev.ganymede.engine.output;

import dev.ganymede.engine.GanymedeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The one-page report of a run folder, {@code report.html}: a lab-notebook page that opens offline in
 * any browser and can be mailed as one file, since every figure is embedded as a {@code data:} URI and
 * the page loads no CSS, script or font from anywhere.
 *
 * <p>It is made from the files of the folder alone, so it can be rewritten at any time ({@code gan
 * report RUN_DIR}, or {@link #write(Path)} from Java, Kotlin or the REPL):
 * <ol>
 *   <li>a summary box with the key numbers (steps and epochs, time, throughput, final losses and
 *       discriminator outputs, parameter counts, the last value of each tracked metric);
 *   <li>provenance, as Tribuo keeps it with every model: the versions of Ganymede, DJL and PyTorch, the
 *       device, the exact settings with the command-line overrides marked, the command that reproduces
 *       the run, and the script itself ({@code run.properties}, {@code settings.properties},
 *       {@code script.gan});
 *   <li>both network summaries ({@code summary.txt});
 *   <li>the loss and D(x)/D(G(z)) curves ({@code losses.png}, {@code d-outputs.png}) and per-epoch means
 *       of {@code metrics.csv}, in the layout of seed 002's training log;
 *   <li>metrics over time, one chart per metric of {@code evaluation.csv} (long format: {@code
 *       step,epoch,metric,value}; a metric named {@code NAME_std} becomes the error bars of {@code
 *       NAME}), or a note that none were tracked and how to track them;
 *   <li>samples: the final grid, grids of chosen epochs (1, 2, 4, 10, 20 of 20, by {@link
 *       SampleGrid#progressionEpochs}), the epoch progression, one row per class for conditional
 *       generators; the histograms or scatter plots of 1D and 2D data;
 *   <li>the latent interpolation strip ({@code interpolation.png});
 *   <li>the animation of the fixed batch across training ({@code progress.gif});
 *   <li>the list of files in the folder.
 * </ol>
 * Missing files make their part say what is missing instead of failing: a run made from Java without a
 * script has no script section, a run stopped before its first epoch no progression.
 *
 * <p>A small inline script counts, once the page has loaded, how many of its images the browser
 * decoded (natural width above 0) and records it on {@code <body>} as {@code data-images} and
 * {@code data-decoded} (and names the failures in {@code data-failed}), so a headless browser can check
 * the page.
 */
public final class RunReport {

    /** The report's file name inside the run folder. */
    public static final String FILE_NAME = "report.html";

    /** The evaluation log the metric tracker writes, in long format. */
    public static final String EVALUATION_FILE = "evaluation.csv";

    /** How many epoch grids the samples section shows at most. */
    static final int CHOSEN_GRIDS = 5;

    /** The script line that tracks a metric during training, quoted where none was tracked. */
    public static final String HOW_TO_TRACK = "every(1.epoch) { metrics fd: 5000 }";

    private static final Pattern SAMPLE_FILE = Pattern.compile("(epoch|step)-(\\d+)\\.png");
    private static final Pattern SUMMARY_ROW = Pattern.compile("^(\\S.*?)\\s{2,}(\\[[^\\]]*\\])\\s*([\\d,]*)\\s*$");

    private final Path folder;
    private final StringBuilder html = new StringBuilder(1 << 16);
    private int figures;

    // what the folder holds, read once
    private final Map<String, String> run;
    private final Map<String, String> settings;
    private final String settingsHeader;
    private final String script;
    private final List<StepRecord> records;
    private final String recordsProblem;
    private final Evaluation evaluation;

    private RunReport(Path folder) {
        this.folder = folder;
        this.run = properties("run.properties");
        this.settings = properties("settings.properties");
        this.settingsHeader = firstComment("settings.properties");
        this.script = text("script.gan");
        List<StepRecord> log = List.of();
        String problem = null;
        if (Files.isRegularFile(folder.resolve("metrics.csv"))) {
            try {
                log = CsvLog.read(folder.resolve("metrics.csv"));
            } catch (IOException | RuntimeException e) {
                problem = e.getMessage();
            }
        }
        this.records = log;
        this.recordsProblem = problem;
        this.evaluation = Evaluation.read(folder.resolve(EVALUATION_FILE));
    }

    /**
     * Writes {@code report.html} into the run folder {@code runFolder} from the files there, replacing
     * an older report, and returns its path.
     */
    public static Path write(Path runFolder) {
        Path file = runFolder.resolve(FILE_NAME);
        try {
            Files.writeString(file, render(runFolder), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The report of the run folder {@code runFolder} as one self-contained HTML page. */
    public static String render(Path runFolder) {
        if (!Files.isDirectory(runFolder)) {
            throw new GanymedeException("no run folder at " + runFolder);
        }
        if (!Files.isRegularFile(runFolder.resolve("metrics.csv")) && !Files.isRegularFile(runFolder.resolve("run.properties"))) {
            throw new GanymedeException(runFolder + " is not a run folder: it has neither metrics.csv nor run.properties"
                    + " (both written by a training run)");
        }
        Images.headless();
        RunReport report = new RunReport(runFolder);
        report.page();
        return report.html.toString();
    }

    // ---------------------------------------------------------------- the page

    private void page() {
        String title = folder.toAbsolutePath().normalize().getFileName() == null
                ? "run" : folder.toAbsolutePath().normalize().getFileName().toString();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"Ganymede ").append(esc(get(run, "ganymede.version", ""))).append("\">\n")
                .append("<title>").append(esc(title)).append(" · Ganymede run report</title>\n<style>\n")
                .append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        header(title);
        summary();
        contents();
        provenance();
        networks();
        training();
        metrics();
        samples();
        interpolation();
        animation();
        files();
        html.append("<footer><p>Written by Ganymede ").append(esc(get(run, "ganymede.version", "")))
                .append(" from the files of ").append(code(folder.toAbsolutePath().normalize().toString()))
                .append(". <span id=\"image-check\">Figures: not checked (scripts disabled).</span></p></footer>\n")
                .append("</main>\n<script>\n").append(DECODE_CHECK).append("</script>\n</body>\n</html>\n");
    }

    private void header(String title) {
        html.append("<header>\n<p class=\"kicker\">Ganymede · run report</p>\n<h1>").append(esc(title)).append("</h1>\n");
        String description = scriptDescription();
        if (!description.isEmpty()) {
            html.append("<p class=\"lede\">").append(esc(description)).append("</p>\n");
        }
        List<String> facts = new ArrayList<>();
        if (run.containsKey("started")) {
            facts.add("started " + run.get("started").replace('T', ' '));
        }
        if (run.containsKey("ganymede.version")) {
            facts.add("Ganymede " + run.get("ganymede.version") + " · DJL " + get(run, "djl.version", "?") + " · "
                    + get(run, "engine", "?"));
        }
        if (run.containsKey("device")) {
            facts.add(run.get("device"));
        }
        if (!facts.isEmpty()) {
            html.append("<p class=\"meta\">").append(esc(String.join("  ·  ", facts))).append("</p>\n");
        }
        html.append("</header>\n");
    }

    /** The script's opening comment up to the end of its first line that ends a sentence (at most 4 lines). */
    private String scriptDescription() {
        if (script == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int lines = 0;
        for (String line : script.split("\r?\n")) {
            String s = line.strip();
            if (!s.startsWith("//") || lines == 4) {
                break;
            }
            sb.append(s.substring(2).strip()).append(' ');
            lines++;
            if (s.endsWith(".") || s.endsWith(":")) {
                break;
            }
        }
        return sb.toString().strip();
    }

    // ---------------------------------------------------------------- summary box

    private void summary() {
        html.append("<section id=\"summary\" class=\"summary\" aria-label=\"Summary\">\n<h2 class=\"visually-hidden\">Summary</h2>\n<dl class=\"cards\">\n");
        long steps = records.isEmpty() ? parseLong(run.get("steps"), 0) : records.get(records.size() - 1).step();
        long perEpoch = parseLong(run.get("steps.per.epoch"), 0);
        int lastEpoch = records.isEmpty() ? 0 : records.get(records.size() - 1).epoch();
        String epochs = run.containsKey("epochs.completed")
                ? run.get("epochs.completed") + " epoch" + ("1".equals(run.get("epochs.completed")) ? "" : "s") + " completed"
                : lastEpoch > 0 ? "in epoch " + lastEpoch : "";
        if (perEpoch > 0) {
            epochs += (epochs.isEmpty() ? "" : ", ") + num(perEpoch) + " steps each";
        }
        card("Steps", num(steps), epochs);
        double seconds = parseDouble(run.get("training.seconds"), Double.NaN);
        double stepSeconds = records.stream().mapToDouble(StepRecord::seconds).filter(Double::isFinite).sum();
        card("Training time", duration(Double.isFinite(seconds) ? seconds : stepSeconds),
                Double.isFinite(seconds) ? "wall clock, with sampling and plots" : "sum of step times");
        double throughput = throughput(records);
        card("Throughput", Double.isFinite(throughput) ? num(Math.round(throughput)) + " img/s" : "—",
                "real images through D per second of training steps" + (records.size() > 1 ? ", first step left out" : ""));
        if (!records.isEmpty()) {
            StepRecord end = tailMean(records);
            String tail = "mean of the last " + num(tailSize(records.size())) + " steps, loss " + get(run, "loss", get(settings, "loss", "?"));
            if (hasDiscriminatorOutputs()) {
                card("Final losses", "D " + fmt(end.lossD()) + " · G " + fmt(end.lossG()), tail);
                boolean probabilities = isProbabilityLoss();
                card(probabilities ? "Final D(x) · D(G(z))" : "Final critic scores",
                        fmt(end.dReal()) + " · " + fmt(end.dFake()),
                        probabilities ? "0.5 · 0.5 at the equilibrium" : "real · fake, raw scores");
            } else {
                card("Final losses", lossGName() + " " + fmt(end.lossG()) + " · " + lossDName() + " " + fmt(end.lossD()), tail);
            }
        }
        String g = run.get("generator.parameters");
        String d = run.get("discriminator.parameters");
        if (g == null || d == null) {
            List<NetworkTable> tables = NetworkTable.parse(text("summary.txt"));
            for (NetworkTable t : tables) {
                if (t.name.equals("generator") && g == null) {
                    g = Long.toString(t.total);
                } else if (t.name.equals("discriminator") && d == null) {
                    d = Long.toString(t.total);
                }
            }
        }
        if (g != null || d != null) {
            card("Parameters", "G " + compact(parseLong(g, -1)) + " · D " + compact(parseLong(d, -1)),
                    num(parseLong(g, 0)) + " and " + num(parseLong(d, 0)));
        }
        String data = get(run, "data", get(settings, "data", null));
        if (data != null) {
            String size = run.containsKey("data.size") ? num(parseLong(run.get("data.size"), 0)) + " samples" : "";
            String batch = get(run, "batch", get(settings, "batch", null));
            card("Data", data, size + (batch == null ? "" : (size.isEmpty() ? "" : ", ") + "batch " + batch));
        }
        for (Evaluation.Series s : evaluation.series.values()) {
            if (s.isSpread()) {
                continue;
            }
            int last = s.values.size() - 1;
            String value = fmt(s.values.get(last));
            Evaluation.Series spread = evaluation.spreadOf(s.name);
            if (spread != null && !spread.values.isEmpty()) {
                value += " ± " + fmt(spread.values.get(spread.values.size() - 1));
            }
            String note = "at step " + num(Math.round(s.steps.get(last)));
            int best = s.best();
            if (best >= 0 && best != last) {
                note += "; best " + fmt(s.values.get(best)) + " at step " + num(Math.round(s.steps.get(best)));
            }
            card(Evaluation.label(s.name), value, note);
        }
        if ("true".equals(run.get("stopped.early"))) {
            card("Status", "stopped early", "training was interrupted before the planned end");
        }
        html.append("</dl>\n</section>\n");
    }

    private void card(String label, String value, String note) {
        html.append("<div class=\"card\"><dt>").append(esc(label)).append("</dt><dd class=\"value\">")
                .append(esc(value)).append("</dd>");
        if (note != null && !note.isEmpty()) {
            html.append("<dd class=\"note\">").append(esc(note)).append("</dd>");
        }
        html.append("</div>\n");
    }

    private void contents() {
        html.append("<nav class=\"toc\" aria-label=\"Contents\">")
                .append("<a href=\"#provenance\">1 Provenance</a><a href=\"#networks\">2 Networks</a>")
                .append("<a href=\"#training\">3 Training curves</a><a href=\"#metrics\">4 Metrics</a>")
                .append("<a href=\"#samples\">5 Samples</a><a href=\"#interpolation\">6 Interpolation</a>")
                .append("<a href=\"#animation\">7 Animation</a><a href=\"#files\">8 Files</a></nav>\n");
    }

    // ---------------------------------------------------------------- 1 provenance

    private void provenance() {
        section("provenance", "1", "Provenance");
        html.append("<p>What made this run, so that its numbers can be traced and reproduced.</p>\n<div class=\"columns\">\n");

        html.append("<div>\n<h3>Versions and machine</h3>\n<table class=\"kv\">\n");
        row("Ganymede", get(run, "ganymede.version", headerPart(0)));
        row("DJL", get(run, "djl.version", null));
        row("Engine", get(run, "engine", null));
        row("Device", get(run, "device", headerPart(1)));
        row("Processors", get(run, "processors", null));
        row("Java", get(run, "java", null));
        row("OS", get(run, "os", null));
        row("Started", get(run, "started", "").replace('T', ' '));
        row("Resumed", get(run, "resumed", "").replace('T', ' ')); // from a checkpoint: when, and at which step
        row("Finished", get(run, "finished", "").replace('T', ' '));
        html.append("</table>\n</div>\n");

        html.append("<div>\n<h3>Settings</h3>\n<table class=\"kv\">\n");
        Map<String, String> overrides = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("set.")) {
                overrides.put(k.substring(4), v);
            }
        });
        Map<String, String> shown = new LinkedHashMap<>();
        if (!settings.isEmpty()) {
            settings.forEach((k, v) -> {
                if (!k.startsWith("set.")) {
                    shown.put(k, v);
                }
            });
        } else {
            for (String k : List.of("data", "seed", "batch", "dSteps", "reuseFakes", "loss", "optimizer.generator",
                    "optimizer.discriminator")) {
                if (run.containsKey(k)) {
                    shown.put(k, run.get(k));
                }
            }
        }
        if (run.containsKey("latent")) {
            shown.putIfAbsent("latent", run.get("latent"));
        }
        if (run.containsKey("conditional.classes") && !"0".equals(run.get("conditional.classes"))) {
            shown.putIfAbsent("conditional", run.get("conditional.classes") + " classes");
        }
        shown.forEach((k, v) -> {
            boolean overridden = overrideKeys(k).stream().anyMatch(overrides::containsKey);
            html.append("<tr").append(overridden ? " class=\"overridden\"" : "").append("><th>").append(esc(k))
                    .append("</th><td>").append(code(v));
            if (overridden) {
                html.append(" <span class=\"tag\">--set</span>");
            }
            html.append("</td></tr>\n");
        });
        if (shown.isEmpty()) {
            html.append("<tr><td colspan=\"2\" class=\"missing\">No settings were recorded (no settings.properties or run.properties).</td></tr>\n");
        }
        html.append("</table>\n");
        if (!overrides.isEmpty()) {
            html.append("<p class=\"small\">Overrides given on the command line: ");
            List<String> parts = new ArrayList<>();
            overrides.forEach((k, v) -> parts.add(code(k + "=" + v)));
            html.append(String.join(", ", parts)).append(".</p>\n");
        }
        html.append("</div>\n</div>\n");

        if (script != null) {
            StringBuilder command = new StringBuilder("gan run script.gan");
            overrides.forEach((k, v) -> command.append(" --set ").append(k).append('=').append(shellWord(v)));
            html.append("<h3>Reproduce</h3>\n<p>From this folder (the script is the run's own copy):</p>\n<pre class=\"command\">")
                    .append(esc(command.toString())).append("</pre>\n");
            html.append("<h3>Script</h3>\n<pre class=\"script\"><code>");
            String[] lines = script.split("\r?\n", -1);
            int count = script.endsWith("\n") ? lines.length - 1 : lines.length;
            for (int i = 0; i < count; i++) {
                html.append("<span class=\"line\">").append(highlight(lines[i])).append("</span>\n");
            }
            html.append("</code></pre>\n");
        } else {
            html.append("<h3>Script</h3>\n<p class=\"missing\">No script.gan in this folder: the run was made from Java or Kotlin,"
                    + " not from a .gan script.</p>\n");
        }
        endSection();
    }

    /** The --set keys that change a settings key (steps and epochs both set the duration). */
    private static List<String> overrideKeys(String settingsKey) {
        return switch (settingsKey) {
            case "duration" -> List.of("steps", "epochs");
            case "optimizer.generator" -> List.of("lr.g");
            case "optimizer.discriminator" -> List.of("lr.d");
            default -> List.of(settingsKey);
        };
    }

    /** Part of the settings file's first comment, "# Ganymede 0.1, cpu (...)": 0 the version, 1 the device. */
    private String headerPart(int part) {
        if (settingsHeader == null) {
            return null;
        }
        String h = settingsHeader.replaceFirst("^#\\s*", "");
        int comma = h.indexOf(", ");
        if (comma < 0) {
            return part == 0 ? h : null;
        }
        return part == 0 ? h.substring(0, comma).replaceFirst("^Ganymede\\s+", "") : h.substring(comma + 2);
    }

    private void row(String key, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        html.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    // ---------------------------------------------------------------- 2 networks

    private void networks() {
        section("networks", "2", "Networks");
        List<NetworkTable> tables = NetworkTable.parse(text("summary.txt"));
        if (tables.isEmpty()) {
            html.append("<p class=\"missing\">No summary.txt in this folder.</p>\n");
            endSection();
            return;
        }
        html.append("<p>Every layer with its output shape (batch axis −1) and parameter count; the bar shows the"
                + " layer's share of its network's parameters.</p>\n<div class=\"columns\">\n");
        for (NetworkTable t : tables) {
            html.append("<div>\n<h3>").append(esc(capitalise(t.name))).append(" <span class=\"dim\">")
                    .append(esc(num(t.total))).append(" parameters</span></h3>\n");
            if (t.rows.isEmpty()) {
                html.append("<pre>").append(esc(t.raw)).append("</pre>\n</div>\n");
                continue;
            }
            html.append("<table class=\"layers\">\n<thead><tr><th>Layer</th><th>Output shape</th><th class=\"num\">Params</th><th class=\"share\"></th></tr></thead>\n<tbody>\n");
            for (String[] r : t.rows) {
                long p = parseLong(r[2].replace(",", ""), 0);
                double share = t.total > 0 ? 100.0 * p / t.total : 0;
                html.append("<tr><td>").append(esc(r[0])).append("</td><td><code>").append(esc(r[1]))
                        .append("</code></td><td class=\"num\">").append(esc(r[2])).append("</td><td class=\"share\">");
                if (p > 0) {
                    html.append(String.format(Locale.ROOT, "<span class=\"bar\" style=\"width:%.1f%%\" title=\"%.1f %%\"></span>",
                            Math.max(1.0, share), share));
                }
                html.append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
            for (String note : t.notes) {
                html.append("<p class=\"small\">").append(esc(note)).append("</p>\n");
            }
            html.append("</div>\n");
        }
        html.append("</div>\n");
        endSection();
    }

    /** One network of summary.txt: its rows (layer, output shape, params) and totals. */
    static final class NetworkTable {
        final String name;
        final List<String[]> rows = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final String raw;
        long total;

        NetworkTable(String name, String raw) {
            this.name = name;
            this.raw = raw;
        }

        /** The tables of a summary.txt ({@code Network.summary()} texts separated by blank lines). */
        static List<NetworkTable> parse(String summary) {
            List<NetworkTable> out = new ArrayList<>();
            if (summary == null) {
                return out;
            }
            for (String block : summary.split("\\r?\\n\\s*\\r?\\n")) {
                String[] lines = block.strip().split("\\r?\\n");
                if (lines.length < 3 || !lines[1].startsWith("---")) {
                    continue;
                }
                NetworkTable t = new NetworkTable(lines[0].strip(), block.strip());
                for (int i = 2; i < lines.length; i++) {
                    String line = lines[i];
                    if (line.startsWith("---") || line.startsWith("Layer ")) {
                        continue;
                    }
                    Matcher m = SUMMARY_ROW.matcher(line);
                    if (line.startsWith("Total parameters:")) {
                        t.total = parseLong(line.substring(line.indexOf(':') + 1).strip().replace(",", ""), 0);
                    } else if (line.startsWith("Trainable parameters:")) {
                        continue;
                    } else if (m.matches()) {
                        t.rows.add(new String[] {m.group(1).strip(), m.group(2), m.group(3)});
                    } else if (!line.isBlank()) {
                        t.notes.add(line.strip());
                    }
                }
                out.add(t);
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- 3 training curves

    private void training() {
        section("training", "3", "Training curves");
        if (recordsProblem != null) {
            html.append("<p class=\"missing\">metrics.csv could not be read: ").append(esc(recordsProblem)).append("</p>\n");
        }
        boolean probabilities = isProbabilityLoss();
        if (hasDiscriminatorOutputs()) {
            figure("losses.png", "Losses of both players against the generator step",
                    "Loss of D and loss of G at every step" + (records.size() > 100
                            ? "; the bold curves are moving averages over " + num(Math.max(1, records.size() / 100))
                                    + " steps, the raw values faint behind them"
                            : "") + ". Falling losses alone do not show that the samples improve.",
                    false);
            figure("d-outputs.png", probabilities ? "Discriminator outputs D(x) and D(G(z))" : "Critic scores on real and generated samples",
                    probabilities
                            ? "Mean D(x) on the real batch and mean D(G(z)) on the generated batch at every step. At the"
                                    + " equilibrium of the game both are 0.5 (dashed); D(x) near 1 with D(G(z)) near 0 means"
                                    + " the discriminator wins."
                            : "Mean critic score on real and on generated samples (raw, unbounded scores); their gap"
                                    + " estimates the distance the critic measures.",
                    false);
        } else {
            figure("losses.png", "Losses against the step",
                    "The " + lossGName() + " and " + lossDName() + " terms of the loss at every step; no discriminator"
                            + " judges this model, so there is no plot of its outputs.", false);
        }
        if (!records.isEmpty()) {
            epochTable(probabilities);
        }
        endSection();
    }

    /** Per-epoch means, in the layout of seed 002's printed log. */
    private void epochTable(boolean probabilities) {
        Map<Integer, double[]> sums = new TreeMap<>();
        for (StepRecord r : records) {
            double[] s = sums.computeIfAbsent(r.epoch(), e -> new double[7]);
            s[0] += r.lossD();
            s[1] += r.lossG();
            s[2] += r.dReal();
            s[3] += r.dFake();
            s[4] += r.imagesPerSecond() * r.seconds();
            s[5] += r.seconds();
            s[6]++;
        }
        List<Integer> epochs = new ArrayList<>(sums.keySet());
        List<Integer> shown = epochs;
        if (epochs.size() > 30) {
            shown = new ArrayList<>();
            for (int i : SampleGrid.progressionEpochs(epochs.size(), 12)) {
                shown.add(epochs.get(i - 1));
            }
        }
        boolean judged = hasDiscriminatorOutputs();
        html.append("<h3>Per epoch</h3>\n<table class=\"numbers\">\n<thead><tr><th>Epoch</th><th class=\"num\">Steps</th>")
                .append("<th class=\"num\">").append(esc(capitalised(lossDName()))).append("</th><th class=\"num\">")
                .append(esc(capitalised(lossGName()))).append("</th>");
        if (judged) {
            html.append("<th class=\"num\">").append(probabilities ? "D(x)" : "Critic, real").append("</th><th class=\"num\">")
                    .append(probabilities ? "D(G(z))" : "Critic, fake").append("</th>");
        }
        html.append("<th class=\"num\">img/s</th></tr></thead>\n<tbody>\n");
        for (int e : shown) {
            double[] s = sums.get(e);
            double n = s[6];
            html.append("<tr><td>").append(String.format(Locale.ROOT, "%03d", e)).append("</td><td class=\"num\">")
                    .append(num((long) n)).append("</td><td class=\"num\">").append(fmt4(s[0] / n))
                    .append("</td><td class=\"num\">").append(fmt4(s[1] / n));
            if (judged) {
                html.append("</td><td class=\"num\">").append(fmt4(s[2] / n)).append("</td><td class=\"num\">").append(fmt4(s[3] / n));
            }
            html.append("</td><td class=\"num\">").append(s[5] > 0 ? num(Math.round(s[4] / s[5])) : "—")
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        if (shown.size() < epochs.size()) {
            html.append("<p class=\"small\">").append(shown.size()).append(" of ").append(epochs.size())
                    .append(" epochs shown; metrics.csv has every step.</p>\n");
        } else if (epochs.size() == 1 && records.get(records.size() - 1).step() < parseLong(run.get("steps.per.epoch"), 0)) {
            html.append("<p class=\"small\">The run ended inside its first epoch: the row averages the steps it made.</p>\n");
        }
    }

    // ---------------------------------------------------------------- 4 metrics

    private void metrics() {
        section("metrics", "4", "Metrics over time");
        if (evaluation.series.isEmpty()) {
            html.append("<div class=\"notice\"><p><strong>No metrics were tracked in this run.</strong> Losses do not tell"
                    + " whether the samples are good; sample-quality metrics do. To track them while training, add to"
                    + " the script</p>\n<pre class=\"command\">").append(esc(HOW_TO_TRACK))
                    .append("</pre>\n<p>which measures the Fréchet distance (FD) of 5,000 generated samples to the data"
                            + " after every epoch and writes it to <code>evaluation.csv</code>; the next report then draws"
                            + " one chart per metric here.</p>");
            if (evaluation.problem != null) {
                html.append("<p class=\"missing\">").append(esc(evaluation.problem)).append("</p>");
            }
            html.append("</div>\n");
            endSection();
            return;
        }
        html.append("<p>From <code>evaluation.csv</code>: ").append(evaluation.lines).append(" measurements of ")
                .append(evaluation.series.values().stream().filter(s -> !s.isSpread()).count())
                .append(" metrics. ↓ lower is better, ↑ higher is better.</p>\n");
        if (evaluation.problem != null) {
            html.append("<p class=\"missing\">").append(esc(evaluation.problem)).append("</p>\n");
        }
        html.append("<table class=\"numbers\">\n<thead><tr><th>Metric</th><th class=\"num\">Points</th><th class=\"num\">First</th>")
                .append("<th class=\"num\">Last</th><th class=\"num\">Best</th><th class=\"num\">Best at step</th></tr></thead>\n<tbody>\n");
        for (Evaluation.Series s : evaluation.series.values()) {
            if (s.isSpread()) {
                continue;
            }
            int best = s.best();
            html.append("<tr><td>").append(esc(Evaluation.label(s.name))).append(' ').append(s.arrow())
                    .append("</td><td class=\"num\">").append(s.values.size()).append("</td><td class=\"num\">")
                    .append(fmt(s.values.get(0))).append("</td><td class=\"num\">")
                    .append(fmt(s.values.get(s.values.size() - 1))).append("</td><td class=\"num\">")
                    .append(best < 0 ? "—" : fmt(s.values.get(best))).append("</td><td class=\"num\">")
                    .append(best < 0 ? "—" : num(Math.round(s.steps.get(best)))).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n<div class=\"gallery two\">\n");
        for (Evaluation.Series s : evaluation.series.values()) {
            if (s.isSpread()) {
                continue;
            }
            Evaluation.Series spread = evaluation.spreadOf(s.name);
            double[] errors = null;
            if (spread != null) {
                errors = new double[s.values.size()];
                for (int i = 0; i < errors.length; i++) {
                    errors[i] = spread.at(s.steps.get(i));
                }
            }
            BufferedImage chart = Plots.renderMetric(Evaluation.label(s.name) + " " + s.arrowText(), s.name,
                    s.steps.stream().mapToDouble(Double::doubleValue).toArray(),
                    s.values.stream().mapToDouble(Double::doubleValue).toArray(), errors);
            figureData(pngUri(chart), Evaluation.label(s.name) + " during training",
                    Evaluation.label(s.name) + " (" + s.direction() + ") at " + s.values.size() + " points of training"
                            + (spread != null ? ", with ± one standard deviation (" + spread.name + ")" : "") + ".",
                    false);
        }
        html.append("</div>\n");
        endSection();
    }

    /** The long-format evaluation log: step, epoch, metric, value. */
    static final class Evaluation {
        final Map<String, Series> series = new LinkedHashMap<>();
        int lines;
        String problem;

        static final class Series {
            final String name;
            final List<Double> steps = new ArrayList<>();
            final List<Double> values = new ArrayList<>();

            Series(String name) {
                this.name = name;
            }

            boolean isSpread() {
                String n = name.toLowerCase(Locale.ROOT);
                return n.endsWith("_std") || n.endsWith("-std") || n.endsWith(".std");
            }

            /** +1 when higher is better, −1 when lower is better, 0 when unknown. */
            int sense() {
                return Evaluation.sense(name);
            }

            int best() {
                int sense = sense();
                if (sense == 0) {
                    return -1;
                }
                int best = -1;
                for (int i = 0; i < values.size(); i++) {
                    double v = values.get(i);
                    if (Double.isFinite(v) && (best < 0 || sense * v > sense * values.get(best))) {
                        best = i;
                    }
                }
                return best;
            }

            String arrow() {
                return sense() > 0 ? "↑" : sense() < 0 ? "↓" : "";
            }

            String arrowText() {
                return sense() > 0 ? "(higher is better)" : sense() < 0 ? "(lower is better)" : "";
            }

            String direction() {
                return sense() > 0 ? "higher is better" : sense() < 0 ? "lower is better" : "no preferred direction known";
            }

            /** The value measured at {@code step}, NaN when there is none. */
            double at(double step) {
                for (int i = 0; i < steps.size(); i++) {
                    if (steps.get(i) == step) {
                        return values.get(i);
                    }
                }
                return Double.NaN;
            }
        }

        Series spreadOf(String name) {
            for (String suffix : List.of("_std", "-std", ".std")) {
                Series s = series.get(name + suffix);
                if (s != null) {
                    return s;
                }
            }
            return null;
        }

        /** Whether higher (+1) or lower (−1) values of a metric are better, by its usual name; 0 if unknown. */
        static int sense(String metric) {
            String n = metric.toLowerCase(Locale.ROOT).replace('-', '_');
            if (n.endsWith("_std")) {
                return 0;
            }
            for (String lower : List.of("fd", "fid", "kid", "kd", "kl", "reverse_kl", "class_kl", "kl_uniform", "w1",
                    "wasserstein", "mmd", "js", "mean_error", "std_error")) {
                if (n.equals(lower) || n.startsWith(lower + "_") || n.endsWith("_" + lower)) {
                    return -1;
                }
            }
            for (String higher : List.of("precision", "recall", "density", "coverage", "is", "inception_score",
                    "classifier_score", "cs", "modes", "modes_captured", "high_quality", "hq", "accuracy")) {
                if (n.equals(higher) || n.startsWith(higher + "_")) {
                    return 1;
                }
            }
            return 0;
        }

        /** A metric's display name: the well-known abbreviations in capitals, others as written. */
        static String label(String metric) {
            String n = metric.toLowerCase(Locale.ROOT);
            switch (n) {
                case "fd":
                case "fid":
                case "kid":
                case "kd":
                case "is":
                case "cs":
                case "mmd":
                    return metric.toUpperCase(Locale.ROOT);
                default:
                    return metric;
            }
        }

        static Evaluation read(Path file) {
            Evaluation e = new Evaluation();
            if (!Files.isRegularFile(file)) {
                return e;
            }
            List<String> text;
            try {
                text = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException ex) {
                e.problem = "cannot read " + file.getFileName() + ": " + ex.getMessage();
                return e;
            }
            if (text.isEmpty()) {
                e.problem = file.getFileName() + " is empty";
                return e;
            }
            String[] header = text.get(0).replace("\uFEFF", "").strip().split(",", -1);
            int step = -1;
            int metric = -1;
            int value = -1;
            for (int i = 0; i < header.length; i++) {
                switch (header[i].strip().toLowerCase(Locale.ROOT)) {
                    case "step" -> step = i;
                    case "metric" -> metric = i;
                    case "value" -> value = i;
                    default -> { }
                }
            }
            if (step < 0 || metric < 0 || value < 0) {
                e.problem = file.getFileName() + " needs the columns step, metric and value; its header is \""
                        + text.get(0).strip() + "\"";
                return e;
            }
            int bad = 0;
            int firstBad = -1;
            for (int i = 1; i < text.size(); i++) {
                String line = text.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                try {
                    double s = Double.parseDouble(f[step].strip());
                    String name = f[metric].strip();
                    double v = parseNumber(f[value]);
                    if (name.isEmpty()) {
                        throw new IllegalArgumentException("no metric name");
                    }
                    Series series = e.series.computeIfAbsent(name, Series::new);
                    series.steps.add(s);
                    series.values.add(v);
                    e.lines++;
                } catch (RuntimeException ex) {
                    bad++;
                    if (firstBad < 0) {
                        firstBad = i + 1;
                    }
                }
            }
            if (bad > 0) {
                e.problem = bad + " line" + (bad == 1 ? "" : "s") + " of " + file.getFileName()
                        + " could not be read (the first is line " + firstBad + ")";
            }
            return e;
        }
    }

    // ---------------------------------------------------------------- 5 samples

    private void samples() {
        section("samples", "5", "Samples");
        Path dir = folder.resolve("samples");
        List<Path> grids = sampleFiles(dir);
        Path finalGrid = Files.isRegularFile(dir.resolve("final.png")) ? dir.resolve("final.png")
                : grids.isEmpty() ? null : grids.get(grids.size() - 1);
        boolean images = isImageRun();
        if (finalGrid == null) {
            html.append("<p class=\"missing\">This run wrote no samples (its script turned them off, or it"
                    + " stopped before the first).</p>\n");
            endSection();
            return;
        }
        String fixed = "the fixed latent batch (drawn once with seed " + get(run, "fixed.seed", "20240601")
                + ", the same vectors at every point of training)";
        if (images) {
            figure(folder.relativize(finalGrid).toString(), "Final samples",
                    "The final generator, in evaluation mode, on " + fixed + (isConditional()
                            ? "; sample i has class i mod " + run.get("conditional.classes") + ", so every column is one class."
                            : "."),
                    true);
        } else {
            figure(folder.relativize(finalGrid).toString(), "Final samples",
                    "2,000 samples of the final generator from a fixed latent batch, "
                            + (is1d() ? "as a histogram under the target density."
                                    : run.containsKey("sample.shape") ? "over the true modes of the data."
                                    : "against the data."),
                    false);
        }
        if (Files.isRegularFile(folder.resolve("classes.png"))) {
            figure("classes.png", "One row per class",
                    "The final generator asked for each class in turn: every row is one class, every column one latent"
                            + " vector of the fixed batch, the same in every row, so a column shows one style across the classes.",
                    true);
        }
        if (Files.isRegularFile(folder.resolve("reconstructions.png"))) {
            figure("reconstructions.png", "Inputs and their reconstructions",
                    "An autoencoder's view: the first samples of the data (top row) and what the decoder makes of their"
                            + " codes (bottom row; a VAE decodes the mean of q(z|x)). The samples above decode codes drawn"
                            + " from the latent prior, which only a VAE is trained to read.",
                    true);
        }
        List<Path> chosen = chosenGrids(grids);
        if (chosen.size() > 1) {
            html.append("<h3>").append(images ? "Grids of chosen epochs" : "Earlier in training").append("</h3>\n")
                    .append("<p class=\"small\">").append(chosen.size()).append(" of the ").append(grids.size())
                    .append(" sample figures of the run, spaced as seed 002's figure spaces epochs 1, 2, 4, 10, 20.</p>\n")
                    .append("<div class=\"gallery\">\n");
            for (Path p : chosen) {
                Matcher m = SAMPLE_FILE.matcher(p.getFileName().toString());
                String label = m.matches() ? m.group(1) + " " + num(Long.parseLong(m.group(2))) : "final";
                figureSmall(folder.relativize(p).toString(), label, images);
            }
            html.append("</div>\n");
        }
        if (Files.isRegularFile(folder.resolve("progression.png"))) {
            figure("progression.png", "Epoch progression",
                    "The first images of the fixed batch at the end of chosen epochs, one row per epoch: the same"
                            + " latent vectors as training goes on.",
                    true);
        }
        endSection();
    }

    /** The epoch-NNN.png or step-NNNNNN.png files of samples/, in training order. */
    private static List<Path> sampleFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SAMPLE_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(sampleNumber(a), sampleNumber(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sampleNumber(Path p) {
        Matcher m = SAMPLE_FILE.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : Long.MAX_VALUE;
    }

    /**
     * At most {@value #CHOSEN_GRIDS} of the sample figures, picked by position as {@link
     * SampleGrid#progressionEpochs} picks epochs: with one grid per epoch for 20 epochs, epochs 1, 2, 4,
     * 10 and 20.
     */
    static List<Path> chosenGrids(List<Path> grids) {
        if (grids.size() <= CHOSEN_GRIDS) {
            return grids;
        }
        List<Path> out = new ArrayList<>();
        for (int i : SampleGrid.progressionEpochs(grids.size(), CHOSEN_GRIDS)) {
            out.add(grids.get(i - 1));
        }
        return out;
    }

    // ---------------------------------------------------------------- 6 interpolation

    private void interpolation() {
        section("interpolation", "6", "Latent interpolation");
        if (!Files.isRegularFile(folder.resolve("interpolation.png"))) {
            html.append("<p class=\"missing\">No interpolation.png in this folder: the run wrote no samples, or its"
                    + " generator does not draw images or 1D/2D points. <code>gan report RUN_DIR</code> draws it for an"
                    + " older run that has its networks.</p>\n");
            endSection();
            return;
        }
        Map<String, String> info = properties("interpolation.properties");
        String method = get(info, "method", "");
        String rows = get(info, "rows", "8");
        String steps = get(info, "steps", "10");
        StringBuilder caption = new StringBuilder();
        caption.append("The final generator, in evaluation mode, along ").append(rows).append(" paths of ")
                .append(steps).append(" points through the latent space ").append(esc(get(info, "latent", ""))).append(". ");
        if ("true".equals(info.get("byClass"))) {
            caption.append("One row per class, the class fixed along the row; row r runs between latent vectors 2r − 1 and 2r of the fixed batch. ");
        } else if (isImageRun()) {
            caption.append("Row r runs from latent vector 2r − 1 to 2r of the fixed batch (labelled z1 → z2, …)");
            caption.append(info.containsKey("classFixed") && !info.get("classFixed").isEmpty()
                    ? ", the class fixed to " + esc(info.get("classFixed")) + ". " : ". ");
        } else {
            caption.append("Each curve is G along one path between two latent vectors of a fixed batch")
                    .append(is1d() ? ". " : " (a ring marks where it starts). ");
        }
        if (method.equals("spherical")) {
            caption.append("The paths are <strong>spherical</strong> (slerp), as suits Gaussian noise: a straight line"
                    + " between two typical latents passes through latents much shorter than any the generator"
                    + " trained on (its midpoint has about 1/√2 of their norm), a great circle keeps the norm.");
            if (info.containsKey("norm.ends") && info.containsKey("norm.middle")) {
                caption.append(" Here the mean norm is ").append(esc(info.get("norm.ends"))).append(" at the ends and ")
                        .append(esc(info.get("norm.middle"))).append(" halfway.");
            }
        } else if (method.equals("linear")) {
            caption.append("The paths are <strong>linear</strong>, as suits uniform noise: a straight line between two"
                    + " points of the noise's box stays inside it.");
        }
        caption.append(isImageRun()
                ? " Smooth changes along a row mean nearby latents give nearby samples; sudden jumps or repeats"
                        + " hint at a memorising or collapsing generator."
                : " Smooth curves mean nearby latents give nearby samples; curves that all end at the same few"
                        + " points hint at a collapsing generator.");
        figureHtml(uri(folder.resolve("interpolation.png")), "Latent interpolation", caption.toString(), isImageRun(),
                "interpolation.png");
        endSection();
    }

    // ---------------------------------------------------------------- 7 animation

    private void animation() {
        section("animation", "7", "The fixed batch across training");
        if (Files.isRegularFile(folder.resolve("progress.gif"))) {
            int frames = sampleFiles(folder.resolve("samples")).size()
                    + (Files.isRegularFile(folder.resolve("samples/final.png")) ? 1 : 0);
            figure("progress.gif", "Training as an animation",
                    "The grid of the fixed latent batch at every sample point of training (" + frames
                            + " frames, half a second each, looping): the same latent vectors as the generator learns.",
                    true);
        } else {
            html.append("<p class=\"missing\">No progress.gif: the run made ").append(isImageRun() ? "fewer than two sample grids"
                    : "no image grids (its samples are points)").append(", so there is nothing to animate.</p>\n");
        }
        endSection();
    }

    // ---------------------------------------------------------------- 8 files

    private void files() {
        section("files", "8", "Files of the run");
        List<Path> all;
        try (Stream<Path> walk = Files.walk(folder)) {
            all = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(FILE_NAME))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> samples = all.stream().filter(p -> folder.relativize(p).startsWith("samples")).toList();
        boolean group = samples.size() > 12;
        html.append("<table class=\"files\">\n<tbody>\n");
        if (group) {
            long total = 0;
            for (Path p : samples) {
                try {
                    total += Files.size(p);
                } catch (IOException e) {
                    // counted as empty
                }
            }
            html.append("<tr><td><code>samples/</code></td><td class=\"num\">").append(esc(bytes(total)))
                    .append("</td><td>").append(samples.size()).append(" sample figures, ")
                    .append(esc(folder.relativize(samples.get(0)).toString())).append(" to ")
                    .append(esc(folder.relativize(samples.get(samples.size() - 1)).toString())).append("</td></tr>\n");
        }
        for (Path p : all) {
            if (group && samples.contains(p)) {
                continue;
            }
            long size;
            try {
                size = Files.size(p);
            } catch (IOException e) {
                size = -1;
            }
            String name = folder.relativize(p).toString();
            html.append("<tr><td><code>").append(esc(name)).append("</code></td><td class=\"num\">")
                    .append(esc(bytes(size))).append("</td><td>").append(esc(describeFile(name))).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        endSection();
    }

    private static String describeFile(String name) {
        return switch (name) {
            case "metrics.csv" -> "every step: losses, D outputs, throughput";
            case "evaluation.csv" -> "tracked metrics (step, epoch, metric, value)";
            case "script.gan" -> "the script as run";
            case "settings.properties" -> "every setting; gan sample reads it";
            case "run.properties" -> "provenance: versions, device, data, timing";
            case "summary.txt" -> "both networks' layer tables";
            case "generator.params", "discriminator.params" -> "trained parameters";
            case "losses.png", "d-outputs.png" -> "training curves";
            case "progression.png" -> "the fixed batch at chosen epochs";
            case "progress.gif" -> "the fixed batch across training";
            case "interpolation.png", "interpolation.properties" -> "latent interpolation";
            case "classes.png" -> "one row per class";
            case "reconstructions.png" -> "inputs and their reconstructions (autoencoders)";
            default -> name.startsWith("samples/") ? "sample figure" : "";
        };
    }

    // ---------------------------------------------------------------- figures

    private void section(String id, String number, String title) {
        html.append("<section id=\"").append(id).append("\">\n<h2><span class=\"num\">").append(number)
                .append("</span> ").append(esc(title)).append("</h2>\n");
    }

    private void endSection() {
        html.append("</section>\n");
    }

    /** A figure from a file of the folder; a note instead when the file is missing. */
    private void figure(String relative, String title, String caption, boolean pixels) {
        Path file = folder.resolve(relative);
        if (!Files.isRegularFile(file)) {
            html.append("<p class=\"missing\">No ").append(code(relative)).append(" in this folder (")
                    .append(esc(title.toLowerCase(Locale.ROOT))).append(").</p>\n");
            return;
        }
        figureHtml(uri(file), title, esc(caption), pixels, relative);
    }

    private void figureData(String uri, String title, String caption, boolean pixels) {
        figureHtml(uri, title, esc(caption), pixels, null);
    }

    private void figureHtml(String uri, String title, String captionHtml, boolean pixels, String source) {
        figures++;
        html.append("<figure").append(pixels ? " class=\"pixels\"" : "").append(">\n<img src=\"").append(uri)
                .append("\" alt=\"").append(esc(title)).append("\">\n<figcaption><strong>Figure ").append(figures)
                .append(". ").append(esc(title)).append(".</strong> ").append(captionHtml);
        if (source != null) {
            html.append(" <span class=\"source\">").append(esc(source)).append("</span>");
        }
        html.append("</figcaption>\n</figure>\n");
    }

    private void figureSmall(String relative, String label, boolean pixels) {
        html.append("<figure class=\"small").append(pixels ? " pixels" : "").append("\">\n<img src=\"")
                .append(uri(folder.resolve(relative))).append("\" alt=\"").append(esc(label)).append("\">\n<figcaption>")
                .append(esc(label)).append("</figcaption>\n</figure>\n");
    }

    private static String uri(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".gif") ? "image/gif" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg" : "image/png";
        try {
            return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String pngUri(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    // ---------------------------------------------------------------- facts about the run

    private boolean isImageRun() {
        String shape = run.get("sample.shape");
        if (shape != null) {
            return shape.split(",").length == 3;
        }
        return Files.isRegularFile(folder.resolve("progress.gif")) || Files.isRegularFile(folder.resolve("progression.png"))
                || text("summary.txt") != null && Pattern.compile("Tanh\\s+\\[-1, \\d+, \\d+, \\d+\\]").matcher(text("summary.txt")).find();
    }

    private boolean is1d() {
        return "(1)".equals(run.get("sample.shape"));
    }

    private boolean isConditional() {
        return parseLong(run.get("conditional.classes"), 0) > 0;
    }

    /** False for runs whose strategy has no discriminator judging samples (an autoencoder): no D(x) to show. */
    private boolean hasDiscriminatorOutputs() {
        return !"false".equals(run.get("discriminator.outputs"));
    }

    /** The name of the loss D column ("loss D"; an autoencoder's "KL"); runs written before the name was recorded say "loss D". */
    private String lossDName() {
        return get(run, "loss.d.name", "loss D");
    }

    private String lossGName() {
        return get(run, "loss.g.name", "loss G");
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Whether D outputs probabilities (BCE-type losses) rather than raw critic scores. */
    private boolean isProbabilityLoss() {
        String loss = get(run, "loss", get(settings, "loss", "bce")).toLowerCase(Locale.ROOT);
        return loss.startsWith("bce") || loss.contains("minimax") || loss.contains("saturating") || loss.equals("vanilla");
    }

    /** Real images per second over the training steps, leaving out the first (warm-up) step when there are more. */
    static double throughput(List<StepRecord> records) {
        double images = 0;
        double seconds = 0;
        for (int i = records.size() > 1 ? 1 : 0; i < records.size(); i++) {
            StepRecord r = records.get(i);
            if (Double.isFinite(r.imagesPerSecond()) && Double.isFinite(r.seconds()) && r.seconds() > 0) {
                images += r.imagesPerSecond() * r.seconds();
                seconds += r.seconds();
            }
        }
        return seconds > 0 ? images / seconds : Double.NaN;
    }

    private static int tailSize(int n) {
        return Math.max(1, Math.min(n, Math.max(n / 10, Math.min(n, 10))));
    }

    /** The mean of the last tenth of the steps (at least 10 when there are). */
    private static StepRecord tailMean(List<StepRecord> records) {
        int k = tailSize(records.size());
        double[] s = new double[4];
        for (int i = records.size() - k; i < records.size(); i++) {
            StepRecord r = records.get(i);
            s[0] += r.lossD();
            s[1] += r.lossG();
            s[2] += r.dReal();
            s[3] += r.dFake();
        }
        StepRecord last = records.get(records.size() - 1);
        return new StepRecord(last.step(), last.epoch(), s[0] / k, s[1] / k, s[2] / k, s[3] / k, 0, 0);
    }

    // ---------------------------------------------------------------- reading files

    private String text(String name) {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A properties file's entries in file order; empty when the file is missing or malformed. */
    private Map<String, String> properties(String name) {
        String content = text(name);
        try {
            return content == null ? new LinkedHashMap<>() : inFileOrder(content);
        } catch (IllegalArgumentException e) {
            return new LinkedHashMap<>();
        }
    }

    /**
     * The entries of a properties text in file order (java.util.Properties loses the order);
     * IllegalArgumentException for a malformed escape.
     */
    public static Map<String, String> inFileOrder(String content) {
        Map<String, String> out = new LinkedHashMap<>();
        Properties p = new Properties();
        try {
            p.load(new StringReader(content));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringReader does not fail
        }
        for (String line : content.split("\r?\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith("!")) {
                continue;
            }
            int eq = s.indexOf('=');
            String key = (eq < 0 ? s : s.substring(0, eq)).strip();
            if (p.containsKey(key)) {
                out.put(key, p.getProperty(key));
            }
        }
        p.stringPropertyNames().forEach(k -> out.putIfAbsent(k, p.getProperty(k)));
        return out;
    }

    private String firstComment(String name) {
        String content = text(name);
        if (content == null) {
            return null;
        }
        String first = content.lines().findFirst().orElse("");
        return first.startsWith("#") ? first : null;
    }

    private static String get(Map<String, String> map, String key, String fallback) {
        String v = map.get(key);
        return v == null ? fallback : v;
    }

    private static long parseLong(String s, long fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Long.parseLong(s.strip().replace(",", ""));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double parseDouble(String s, double fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A number as CsvLog writes it, plus the spellings of pandas and numpy for infinities and NaN. */
    private static double parseNumber(String field) {
        String s = field.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    // ---------------------------------------------------------------- formatting

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String code(String s) {
        return "<code>" + esc(s) + "</code>";
    }

    /** A script line with its comment set apart. */
    private static String highlight(String line) {
        int comment = commentStart(line);
        if (comment < 0) {
            return esc(line);
        }
        return esc(line.substring(0, comment)) + "<span class=\"comment\">" + esc(line.substring(comment)) + "</span>";
    }

    /** Where a // comment starts outside quotes, or −1. */
    private static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return i;
            }
        }
        return -1;
    }

    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_.,:/=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Parameter counts the way papers write them: 13.1k, 1.79M. */
    static String compact(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1_000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.3gk", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.3gM", n / 1e6);
    }

    /** Four significant digits, without a locale. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "∞" : "−∞";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Four decimals, as seed 002's log prints losses. */
    private static String fmt4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : fmt(v);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "—";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    private static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    // ---------------------------------------------------------------- style and script

    /** Counts the decoded images once the page has loaded, for headless checks (and tells the reader). */
    private static final String DECODE_CHECK = """
            window.addEventListener('load', function () {
              var images = document.images, decoded = 0, failed = [];
              for (var i = 0; i < images.length; i++) {
                if (images[i].complete && images[i].naturalWidth > 0) { decoded++; } else { failed.push(images[i].alt); }
              }
              document.body.setAttribute('data-images', String(images.length));
              document.body.setAttribute('data-decoded', String(decoded));
              document.body.setAttribute('data-failed', failed.join('; '));
              var note = document.getElementById('image-check');
              if (note) {
                note.textContent = decoded === images.length
                  ? 'All ' + images.length + ' figures decoded.'
                  : decoded + ' of ' + images.length + ' figures decoded; failed: ' + failed.join(', ') + '.';
              }
            });
            """;

    private static final String CSS = """
            :root { --ink: #1d2330; --dim: #5b6475; --rule: #dde1e8; --paper: #fbfbf8; --card: #ffffff;
                    --accent: #2f5d9e; --accent-soft: #e8eef8; --warn: #8a5a00; --warn-soft: #fff6e0; }
            * { box-sizing: border-box; }
            html { background: var(--paper); }
            body { margin: 0; color: var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto,
                   "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 1120px; margin: 0 auto; padding: 28px 28px 60px; }
            header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
            .kicker { margin: 0; text-transform: uppercase; letter-spacing: .12em; font-size: 12px; color: var(--dim); }
            h1 { margin: 2px 0 6px; font-size: 30px; line-height: 1.2; font-family: Georgia, "Times New Roman", serif; }
            .lede { margin: 0 0 6px; font-size: 16px; font-family: Georgia, "Times New Roman", serif; font-style: italic; }
            .meta { margin: 0; color: var(--dim); font-size: 13px; }
            h2 { font-family: Georgia, "Times New Roman", serif; font-size: 22px; margin: 40px 0 10px;
                 border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
            h2 .num { color: var(--accent); margin-right: 4px; }
            h3 { font-size: 15px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: .05em; color: #39414f; }
            h3 .dim { text-transform: none; letter-spacing: 0; font-weight: normal; color: var(--dim); }
            .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
            .summary .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; margin: 0; }
            .card { background: var(--card); border: 1px solid var(--rule); border-left: 4px solid var(--accent);
                    border-radius: 4px; padding: 8px 12px; }
            .card dt { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: var(--dim); }
            .card dd { margin: 0; }
            .card .value { font-size: 17px; font-weight: 600; font-variant-numeric: tabular-nums; }
            .card .note { font-size: 12px; color: var(--dim); line-height: 1.35; }
            .toc { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 18px 0 0; padding: 8px 12px; font-size: 13px;
                   background: var(--accent-soft); border-radius: 4px; }
            .toc a { color: var(--accent); text-decoration: none; }
            .toc a:hover { text-decoration: underline; }
            .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px 32px; }
            table { border-collapse: collapse; font-size: 13.5px; margin: 4px 0 8px; }
            th, td { padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
            thead th { border-bottom: 1px solid var(--ink); font-weight: 600; }
            tbody tr { border-bottom: 1px solid var(--rule); }
            table.kv th { font-weight: 600; white-space: nowrap; color: #39414f; }
            table.kv td { word-break: break-word; }
            tr.overridden { background: var(--warn-soft); }
            .tag { font-size: 11px; color: var(--warn); border: 1px solid var(--warn); border-radius: 3px; padding: 0 4px; }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            table.numbers td, table.numbers th { padding-right: 18px; }
            table.layers { width: 100%; }
            td.share, th.share { width: 22%; }
            .bar { display: inline-block; height: 9px; background: var(--accent); opacity: .55; border-radius: 2px; }
            code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
            pre { background: #f3f4f1; border: 1px solid var(--rule); border-radius: 4px; padding: 10px 12px; overflow-x: auto; }
            pre.command { background: #1f2530; color: #e8eaed; border: none; }
            pre.script { counter-reset: line; line-height: 1.45; }
            pre.script .line::before { counter-increment: line; content: counter(line); display: inline-block; width: 2.6em;
                                       margin-right: 12px; text-align: right; color: #a0a6b0; user-select: none; }
            .comment { color: #6a737d; font-style: italic; }
            figure { margin: 18px 0 26px; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--rule); background: #fff; }
            figure.pixels img { image-rendering: pixelated; }
            figcaption { font-size: 13.5px; color: #39414f; margin-top: 6px; max-width: 880px; }
            figcaption .source { color: var(--dim); font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; }
            .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 14px; align-items: start; }
            .gallery.two { grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); }
            .gallery figure { margin: 0; }
            figure.small figcaption { text-align: center; font-weight: 600; }
            .notice { background: var(--warn-soft); border: 1px solid #f0d48a; border-radius: 4px; padding: 4px 16px; }
            .missing { color: var(--warn); }
            .small { font-size: 13px; color: var(--dim); }
            footer { margin-top: 48px; border-top: 1px solid var(--rule); font-size: 12px; color: var(--dim); }
            @media print { main { max-width: none; padding: 0; } .toc { display: none; } section { break-inside: avoid-page; } }
            """;
}
