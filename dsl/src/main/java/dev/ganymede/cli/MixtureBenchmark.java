package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.dsl.ScriptCode;
import dev.ganymede.dsl.ScriptRunner;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.GaussianMixture2D;
import dev.ganymede.engine.metrics.ModeCoverage;
import dev.ganymede.engine.metrics.ToyEvaluator;
import dev.ganymede.engine.output.Plots;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
        // VEEGAN's table has no KL, and its setup is not PacGAN's: its plain GAN kept 1 and 3.3 modes
        // (99.3 % and 0.5 % high quality) where PacGAN's kept 6.3 and 17.3
        PUBLISHED.put("unrolled", new Published("VEEGAN table 1", new double[] {7.6, 35.6, n}, new double[] {23.6, 16.0, n}));
        // VEEGAN does not say which form it ran; both of ours stand beside its one row
        PUBLISHED.put("unrolled-second-order", PUBLISHED.get("unrolled"));
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

    /** One training of a variant on a mixture with one seed, kept as a run folder under the benchmark's folder. */
    record Trial(String variant, Path script, String mixture, int seed, Map<String, String> sets, Path folder) {
        /** Column-aligned, for the console's list of trials. */
        String label() {
            return String.format(Locale.ROOT, "%-10s %-4s trial %d", variant, mixture, seed);
        }

        /** As a sentence names it. */
        String name() {
            return variant + " " + mixture + " trial " + seed;
        }

        /** The trial's console log (what gan run prints while it trains), beside its run folder. */
        Path log() {
            return folder.resolveSibling(folder.getFileName() + ".log");
        }
    }

    private final Device device;
    private final String deviceChoice;
    private final PrintStream console;

    /** {@code deviceChoice} (auto, cpu, gpu) is what trials trained in their own process are given. */
    public MixtureBenchmark(Device device, String deviceChoice, PrintStream console) {
        this.device = device;
        this.deviceChoice = deviceChoice;
        this.console = console;
    }

    /** The variant's name: the script's file name without "mixture-" and ".gan". */
    static String variantName(Path script) {
        return script.getFileName().toString().replaceFirst("\\.gan$", "").replaceFirst("^mixture-", "");
    }

    /** Where the trials' run folders go inside the benchmark's folder. */
    static Path trialFolder(Path out, String variant, String mixture, int seed) {
        return out.resolve("runs").resolve(variant + "-" + mixture + "-seed" + seed);
    }

    /**
     * Trains every script on both mixtures once for each of {@code seeds}; {@code steps}
     * overrides the scripts' duration when not null, {@code overrides} are --set values given to
     * every script. Each trial is a run folder in {@code out}/runs (as `gan run` writes it): a
     * finished one made by the same script with the same settings is scored again without
     * training, so an interrupted benchmark goes on where it stopped. {@code jobs} trials train at
     * once, each in its own process when more than one (the seed is global to a process). Scatter
     * plots of the first seed's trial go to {@code out}.
     */
    public List<Result> run(List<Path> scripts, List<String> mixtures, List<Integer> seeds, Long steps,
            Map<String, String> overrides, int jobs, Path out) {
        List<Trial> all = new ArrayList<>();
        for (String mixture : mixtures) {
            for (Path script : scripts) {
                Map<String, String> sets = new LinkedHashMap<>(overrides);
                sets.put("data", mixture);
                if (steps != null) {
                    sets.put("steps", steps.toString());
                }
                // a bad --set or a broken script fails here, before anything trains
                new ScriptRunner().load(script, sets);
                for (int seed : seeds) {
                    Map<String, String> trialSets = new LinkedHashMap<>(sets);
                    trialSets.put("seed", Integer.toString(seed));
                    String variant = variantName(script);
                    all.add(new Trial(variant, script, mixture, seed, trialSets, trialFolder(out, variant, mixture, seed)));
                }
            }
        }
        List<Trial> toTrain = new ArrayList<>();
        Map<Trial, ModeCoverage> scores = new LinkedHashMap<>();
        for (Trial t : all) {
            if (isFinished(t)) {
                scores.put(t, score(t, "earlier run reused", out, seeds.get(0)));
            } else {
                toTrain.add(t);
            }
        }
        TrialRunner runner = jobs > 1 ? new TrialProcesses(jobs, deviceChoice, console) : this::trainHere;
        GanymedeException failure = null;
        try {
            runner.train(toTrain, t -> scores.put(t, score(t, null, out, seeds.get(0))));
        } catch (GanymedeException e) {
            failure = e; // the trials that did finish still make a table
        }
        List<Result> results = new ArrayList<>();
        for (String mixture : mixtures) {
            for (Path script : scripts) {
                List<Trial> mine = all.stream().filter(t -> t.script().equals(script) && t.mixture().equals(mixture)
                        && scores.containsKey(t)).toList();
                List<ModeCoverage> coverage = mine.stream().map(scores::get).toList();
                double seconds = mine.stream().mapToDouble(t -> trainingSeconds(t.folder())).average().orElse(0);
                results.add(new Result(variantName(script), mixture, coverage, seconds));
            }
        }
        if (failure != null) {
            throw new TrialsFailed(failure, results);
        }
        return results;
    }

    /** Some trials failed; {@link #finished()} has the results of those that did not, for a partial table. */
    public static final class TrialsFailed extends GanymedeException {
        private final transient List<Result> finished;

        TrialsFailed(GanymedeException cause, List<Result> finished) {
            super(cause.getMessage(), cause);
            this.finished = List.copyOf(finished);
        }

        public List<Result> finished() {
            return finished;
        }
    }

    /** Trains trials and reports each as it finishes (on the caller's thread, which scores it). */
    interface TrialRunner {
        void train(List<Trial> trials, Consumer<Trial> finished);
    }

    /** One trial after the other in this process, each printing its progress into its log as a child process would. */
    private void trainHere(List<Trial> trials, Consumer<Trial> finished) {
        for (Trial t : trials) {
            boolean resuming = prepareTrial(t);
            console.printf(Locale.ROOT, "%s: %s in this process, run folder %s, log %s%n", t.label(),
                    resuming ? "resuming from its checkpoint" : "training", t.folder(), t.log());
            try (PrintStream log = openLog(t, resuming);
                    GanSession session = resuming ? RunFolder.open(t.folder(), device) : GanSession.open(t.script(), t.sets(), device)) {
                if (resuming) {
                    session.resumeFrom(t.folder());
                    if (!session.finishIfTrained()) {
                        GanCommand.Run.train(session, session.rest(), log, t.folder(), false);
                    }
                } else {
                    session.setCheckpointing(true); // a trial stopped part-way resumes from its last epoch
                    GanCommand.Run.train(session, log, session.useRunFolder(t.folder()), false);
                }
            }
            finished.accept(t);
        }
    }

    private static PrintStream openLog(Trial t, boolean append) {
        try {
            return new PrintStream(append ? Files.newOutputStream(t.log(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND) : Files.newOutputStream(t.log()), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log of " + t.name() + ": " + t.log(), e);
        }
    }

    /**
     * Whether the trial's folder holds a finished run of the same script code and settings. A
     * folder that is not a run, or a finished run of something else, is refused (nothing is
     * overwritten that the benchmark did not make); an unfinished run is trained again.
     */
    static boolean isFinished(Trial t) {
        Path folder = t.folder();
        if (!Files.exists(folder)) {
            return false;
        }
        if (!Files.isRegularFile(folder.resolve("script.gan")) && !Files.isRegularFile(folder.resolve("settings.properties"))) {
            throw new GanymedeException(folder + " is in the way of " + t.name()
                    + ": it is not a run folder. Move it away or give the benchmark another --out");
        }
        if (!RunFolder.isFinished(folder)) {
            return false;
        }
        Map<String, String> keptSets = RunFolder.overrides(folder);
        boolean sameCode = sameCode(t);
        if (!sameCode || !keptSets.equals(t.sets())) {
            String what = !sameCode ? "a different version of " + t.script().getFileName()
                    : "other settings (" + describe(keptSets) + " instead of " + describe(t.sets()) + ")";
            throw new GanymedeException(folder + " holds a finished run of " + what + ". Move it away or give the"
                    + " benchmark another --out: its trials are reused only when the script's code (comments aside) and the settings are the same");
        }
        return true;
    }

    /**
     * Whether the trial's folder holds an unfinished run of the same script code and settings with a
     * checkpoint to continue from (trials save one every epoch; a benchmark stopped part-way then
     * loses at most an epoch of each trial).
     */
    static boolean isResumable(Trial t) {
        Path folder = t.folder();
        if (!Files.isRegularFile(folder.resolve("script.gan")) || RunFolder.isFinished(folder)
                || !dev.ganymede.engine.train.TrainingCheckpoint.exists(folder)) {
            return false;
        }
        return sameCode(t) && RunFolder.overrides(folder).equals(t.sets());
    }

    /** Whether the trial's folder ran the variant script's code (comments and layout may differ). */
    private static boolean sameCode(Trial t) {
        return ScriptCode.sameCode(readString(t.script()), readString(t.folder().resolve("script.gan")));
    }

    /**
     * Readies a trial to train, in this process or another, and says whether it resumes: a
     * resumable run ({@link #isResumable}) is kept; the folder of any other interrupted run (checked
     * by {@link #isFinished} to be a run folder) is emptied. Makes the folder its log goes in.
     */
    static boolean prepareTrial(Trial t) {
        Path folder = t.folder();
        boolean resuming = isResumable(t);
        try {
            if (Files.exists(folder) && !resuming) {
                try (Stream<Path> walk = Files.walk(folder)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(t.log().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ready " + folder + " for " + t.name(), e);
        }
        return resuming;
    }

    /**
     * Loads the trial's trained generator and scores {@link #SAMPLES} samples (seed 1000 + trial);
     * the trial of seed {@code plottedSeed} also has its samples drawn over the true modes into {@code out}.
     */
    private ModeCoverage score(Trial t, String note, Path out, int plottedSeed) {
        try (GanSession session = RunFolder.open(t.folder(), device)) {
            session.loadRun(t.folder());
            GaussianMixture2D data = (GaussianMixture2D) session.dataset();
            float[] points = ToyEvaluator.of(data, SAMPLES, 1000 + t.seed()).sample(session.getGan());
            ModeCoverage score = ModeCoverage.of(points, data);
            console.printf(Locale.ROOT, "%s: %s (%s%s)%n", t.label(), score, Progress.duration(trainingSeconds(t.folder())),
                    note == null ? "" : ", " + note);
            if (t.seed() == plottedSeed) {
                Files.createDirectories(out);
                Plots.scatter2d(points, data.modes(), out.resolve(t.variant() + "-" + t.mixture() + ".png"),
                        t.variant() + " on the " + t.mixture() + ", " + score.captured() + "/" + score.modes() + " modes");
            }
            return score;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The training time the run recorded (run.properties), 0 when it has none. */
    static double trainingSeconds(Path folder) {
        return Double.parseDouble(RunFolder.properties(folder, "run.properties").getProperty("training.seconds", "0"));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String describe(Map<String, String> sets) {
        List<String> given = new ArrayList<>();
        new TreeMap<>(sets).forEach((k, v) -> given.add(k + "=" + v));
        return String.join(" ", given);
    }

    /** The results as a Markdown table, ours beside the published means; {@code overrides} are the --set values, noted below it. */
    public static String table(List<Result> results, List<Integer> seeds, Map<String, String> overrides) {
        int trials = seeds.size();
        StringBuilder sb = new StringBuilder();
        sb.append("| variant | data | modes | high quality (%) | reverse KL | published modes / % / KL | time per trial |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            Published p = PUBLISHED.get(r.variant());
            String published = "—";
            if (p != null) {
                double[] v = r.mixture().equals("ring") ? p.ring() : p.grid();
                published = fmt(v[0], 1) + " / " + fmt(v[1], 1) + " / " + fmt(v[2], 2) + " (" + p.source() + ")";
            }
            // after failed trials the table has the finished ones; a row says when it has fewer than asked
            int n = r.trials().size();
            String variant = n < trials ? String.format(Locale.ROOT, "%s (%d of %d trials)", r.variant(), n, trials) : r.variant();
            if (n == 0) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | — | — | — | %s | — |%n", variant, r.mixture(), published));
                continue;
            }
            double[] m = r.mean();
            double[] s = r.spread();
            boolean spread = n > 1;
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n",
                    variant, r.mixture(), meanAndSpread(m[0], s[0], 1, spread), meanAndSpread(m[1], s[1], 1, spread),
                    meanAndSpread(m[2], s[2], 2, spread), published, Progress.duration(r.secondsPerTrial())));
        }
        sb.append(trials == 1
                ? String.format(Locale.ROOT, "%nOne trial (seed %d), %,d samples scored.%n", seeds.get(0), SAMPLES)
                : String.format(Locale.ROOT, "%nMean ± standard deviation over %d trials (%s), %,d samples scored per trial.%n",
                        trials, describeSeeds(seeds), SAMPLES));
        if (!overrides.isEmpty()) {
            List<String> given = new ArrayList<>();
            overrides.forEach((k, v) -> given.add(k + "=" + v));
            sb.append("Every script run with --set ").append(String.join(" ", given)).append(".\n");
        }
        return sb.toString();
    }

    private static final Pattern SEED_OR_RANGE = Pattern.compile("(\\d{1,9})(?:\\s*(?:-|\\.\\.)\\s*(\\d{1,9}))?");

    /** "seed 2", "seeds 1 to 3" for a run of consecutive seeds, "seeds 1, 4, 5" otherwise. */
    static String describeSeeds(List<Integer> seeds) {
        if (seeds.size() == 1) {
            return "seed " + seeds.get(0);
        }
        boolean consecutive = true;
        for (int i = 1; i < seeds.size(); i++) {
            consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
        }
        if (consecutive) {
            return "seeds " + seeds.get(0) + " to " + seeds.get(seeds.size() - 1);
        }
        List<String> listed = new ArrayList<>();
        seeds.forEach(n -> listed.add(Integer.toString(n)));
        return "seeds " + String.join(", ", listed);
    }

    /**
     * The seeds of {@code --seeds}: numbers and ranges separated by commas, "2", "2,5", "4-6" or
     * "1-3,7", in the order given; a seed named twice or a range that runs backwards is refused.
     */
    public static List<Integer> parseSeeds(String text) {
        List<Integer> seeds = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.strip();
            Matcher m = SEED_OR_RANGE.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("--seeds takes seeds and ranges separated by commas (2, 2,5 or 4-6), got '" + item + "'");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (to < from) {
                throw new IllegalArgumentException("--seeds range '" + item + "' runs backwards: write " + to + "-" + from);
            }
            for (int seed = from; seed <= to; seed++) {
                if (seeds.contains(seed)) {
                    throw new IllegalArgumentException("--seeds names seed " + seed + " twice");
                }
                seeds.add(seed);
            }
        }
        return seeds;
    }

    private static String meanAndSpread(double mean, double spread, int decimals, boolean withSpread) {
        if (Double.isInfinite(mean)) {
            return "∞"; // a reverse KL when some trial has no sample near any mode; its spread would read NaN
        }
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
