package dev.ganymede.engine.metrics;

import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.nn.NetworkIO;
import dev.ganymede.engine.output.StepRecord;
import dev.ganymede.engine.train.Trainer;
import dev.ganymede.engine.train.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Measures the generator while it trains, what {@code every(1.epoch) { metrics fd: 5000 }} asks
 * for: an {@link Evaluator} of n samples runs before the first step (the untrained generator, step
 * 0 and epoch 0), at every interval, and at the end of a run that did not end on one. Each
 * evaluation appends one row per metric to {@code evaluation.csv} in the run folder, in long
 * format:
 *
 * <pre>
 *   step,epoch,metric,value
 *   0,0,fd,1122.16
 *   0,0,classifier_score,1.01097
 *   0,0,class_kl,2.30156
 *   469,1,fd,48.3121
 *   ...
 * </pre>
 *
 * FD, the classifier score and the class histogram's KL to uniform are always written (and
 * label_accuracy for a conditional GAN); KID (kid, kid_std) and precision, recall, density and
 * coverage only when asked for, since they cost seconds more per evaluation. With {@code keepBest}
 * the generator is saved as {@code generator-best.params} whenever FD reaches a new low, with
 * {@code generator-best.properties} saying when.
 *
 * <p>On toy data ({@link ToyEvaluator#supports}) there is no feature network: the rows are
 * {@link ToyEvaluator}'s, modes, high_quality and reverse_kl on a 2-D mixture (the PacGAN
 * protocol, {@code every(10.epochs) { metrics modes: 2500 }}), mean, std and w1 on the 1-D
 * Gaussian; KID, PRDC and keepBest, which are about images, are refused there.
 *
 * <p>Evaluating reads no random number from PyTorch and leaves the networks as they were: a run
 * with metrics trains exactly as the same run without them. The feature network is loaded (or, the
 * first time for a data set, trained) when training starts.
 */
public final class MetricsTracker implements TrainingListener, AutoCloseable {

    /** The file the evaluations go to. */
    public static final String CSV_FILE = "evaluation.csv";

    /** Its header line. */
    public static final String CSV_HEADER = "step,epoch,metric,value";

    /** The generator with the lowest FD so far, when keepBest is on. */
    public static final String BEST_FILE = "generator-best.params";

    /**
     * What to measure and when.
     *
     * @param samples generated (and reference) samples per evaluation
     * @param kid also compute KID
     * @param manifold also compute precision, recall, density and coverage
     * @param keepBest save the generator whenever FD improves
     * @param everyEpochs evaluate every this many epochs (when everySteps is 0)
     * @param everySteps evaluate every this many steps instead, when above 0
     * @param seed seed of the evaluations' latent noise and reference sample
     */
    public record Options(int samples, boolean kid, boolean manifold, boolean keepBest, int everyEpochs,
            long everySteps, long seed) {

        public Options {
            if (samples < 10) {
                throw new IllegalArgumentException("metrics need at least 10 samples, got " + samples);
            }
            if (everyEpochs <= 0 && everySteps <= 0) {
                throw new IllegalArgumentException("metrics need an interval: every so many epochs or steps");
            }
        }

        /** FD (and the classifier score and class KL) of {@code samples} samples at the end of every epoch. */
        public static Options fd(int samples) {
            return new Options(samples, false, false, false, 1, 0, 1);
        }
    }

    private final Path folder;
    private final Options options;
    private final Consumer<String> log;
    private final List<Evaluation> evaluations = new ArrayList<>();
    private final List<Long> steps = new ArrayList<>();
    private Evaluator evaluator;
    private ToyEvaluator toyEvaluator;
    private final List<ToyEvaluator.Result> toyEvaluations = new ArrayList<>();
    private BufferedWriter csv;
    private long lastStep = -1;
    private double bestFd = Double.POSITIVE_INFINITY;
    private long resumeStep = -1;
    private long nanos;

    public MetricsTracker(Path folder, Options options) {
        this(folder, options, null);
    }

    /** A tracker that tells {@code log} when it trains the feature network. */
    public MetricsTracker(Path folder, Options options, Consumer<String> log) {
        this.folder = folder;
        this.options = options;
        this.log = log;
    }

    public Options options() {
        return options;
    }

    /** Every evaluation so far, oldest first. */
    public List<Evaluation> evaluations() {
        return Collections.unmodifiableList(evaluations);
    }

    /** Every evaluation so far on toy data, oldest first (empty for images). */
    public List<ToyEvaluator.Result> toyEvaluations() {
        return Collections.unmodifiableList(toyEvaluations);
    }

    /** The lowest FD so far (infinity before the first evaluation). */
    public double bestFd() {
        return bestFd;
    }

    /** The evaluator, once training has started on images; null on toy data. */
    public Evaluator evaluator() {
        return evaluator;
    }

    /**
     * Seconds spent measuring so far, training or loading the feature network included: time the
     * training loop waited, to leave out of its throughput.
     */
    public double seconds() {
        return nanos / 1e9;
    }

    /**
     * Continues the log of a run resumed from a checkpoint at {@code step}: evaluation.csv keeps its
     * rows up to that step (a killed process may have measured later ones, which will be measured
     * again), and the lowest FD among them stays the one a kept generator must beat.
     */
    public void resumeAt(long step) {
        resumeStep = step; // applied when training starts: a resumed run that is not trained stays as it was
    }

    private void cutBackTo(long step) {
        boolean bestDropped = false;
        Path best = folder.resolve("generator-best.properties");
        if (Files.isRegularFile(best)) {
            java.util.Properties p = new java.util.Properties();
            try (java.io.Reader r = Files.newBufferedReader(best)) {
                p.load(r);
                if (Long.parseLong(p.getProperty("step", "0")) > step) {
                    // kept from steps the resumed run trains again
                    Files.delete(best);
                    Files.deleteIfExists(folder.resolve(BEST_FILE));
                    bestDropped = true;
                }
            } catch (IOException | RuntimeException e) {
                throw new GanymedeException("cannot read " + best + ": " + e.getMessage(), e);
            }
        }
        Path file = folder.resolve(CSV_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (kept.isEmpty() || line.isBlank()) {
                    kept.add(line); // the header
                    continue;
                }
                String[] cells = line.split(",");
                long at = Long.parseLong(cells[0]);
                if (at > step) {
                    continue;
                }
                kept.add(line);
                lastStep = Math.max(lastStep, at);
                if (cells[2].equals("fd")) {
                    bestFd = Math.min(bestFd, Double.parseDouble(cells[3]));
                }
            }
            if (bestDropped) {
                bestFd = Double.POSITIVE_INFINITY; // its generator is gone: the next evaluation is kept
            }
            Path fresh = folder.resolve(CSV_FILE + ".new");
            Files.write(fresh, kept, StandardCharsets.UTF_8);
            Files.move(fresh, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            throw new GanymedeException("cannot cut " + file + " back to the checkpoint at step " + step + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void onStart(Trainer trainer) {
        long resumedAt = resumeStep;
        if (resumeStep >= 0) {
            cutBackTo(resumeStep);
            resumeStep = -1;
        }
        if (evaluator == null && toyEvaluator == null) {
            long started = System.nanoTime();
            if (ToyEvaluator.supports(trainer.dataset())) {
                refuseImageOptions(trainer.dataset().name());
                toyEvaluator = ToyEvaluator.of(trainer.dataset(), options.samples(), options.seed());
            } else {
                evaluator = Evaluator.builder(EvaluationData.of(trainer.dataset())).samples(options.samples())
                        .seed(options.seed()).kid(options.kid()).manifold(options.manifold()).log(log).build();
            }
            openCsv();
            nanos += System.nanoTime() - started;
        }
        if (trainer.step() == 0 && lastStep < 0) {
            evaluate(trainer, 0, 0);
        } else if (resumedAt > 0 && lastStep < resumedAt && evaluatesAt(resumedAt, trainer.completedEpochs())) {
            // the checkpoint is saved at an epoch end, before this tracker measured that epoch: a
            // process killed in between left the step unmeasured, and the resumed run starts after it
            evaluate(trainer, resumedAt, trainer.completedEpochs());
        }
    }

    private boolean evaluatesAt(long step, int epoch) {
        return options.everySteps() > 0 ? step % options.everySteps() == 0 : epoch % options.everyEpochs() == 0;
    }

    private void refuseImageOptions(String data) {
        List<String> asked = new ArrayList<>();
        if (options.kid()) {
            asked.add("KID");
        }
        if (options.manifold()) {
            asked.add("precision/recall/density/coverage");
        }
        if (options.keepBest()) {
            asked.add("keepBest (the generator of the lowest FD)");
        }
        if (!asked.isEmpty()) {
            throw new GanymedeException(String.join(", ", asked) + " measure images in a classifier's feature space; '"
                    + data + "' is toy data, whose metrics are modes, high_quality and reverse_kl (2-D mixtures)"
                    + " or mean, std and w1 (1-D Gaussian)");
        }
    }

    @Override
    public void onStep(Trainer trainer, StepRecord record) {
        if (options.everySteps() > 0 && record.step() % options.everySteps() == 0) {
            evaluate(trainer, record.step(), record.epoch());
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch) {
        if (options.everySteps() <= 0 && epoch % options.everyEpochs() == 0) {
            evaluate(trainer, trainer.step(), epoch);
        }
    }

    @Override
    public void onEnd(Trainer trainer, boolean stopped) {
        if (!stopped && (evaluator != null || toyEvaluator != null) && lastStep != trainer.step() && !trainer.history().isEmpty()) {
            evaluate(trainer, trainer.step(), trainer.history().get(trainer.history().size() - 1).epoch());
        }
    }

    private void evaluate(Trainer trainer, long step, int epoch) {
        long started = System.nanoTime();
        try {
            if (toyEvaluator != null) {
                ToyEvaluator.Result result = toyEvaluator.evaluate(trainer.gan(), "step " + step);
                toyEvaluations.add(result);
                writeRows(result.metrics(), step, epoch);
            } else {
                record(trainer, evaluator.evaluate(trainer.gan()), step, epoch);
            }
        } finally {
            nanos += System.nanoTime() - started;
        }
    }

    private void record(Trainer trainer, Evaluation e, long step, int epoch) {
        evaluations.add(e);
        steps.add(step);
        writeRows(e.metrics(), step, epoch);
        if (e.fd() < bestFd) {
            bestFd = e.fd();
            if (options.keepBest()) {
                NetworkIO.save(trainer.gan().generator(), folder.resolve(BEST_FILE));
                writeText("generator-best.properties", String.format(Locale.ROOT,
                        "# the generator with the lowest FD so far (%,d samples)%nstep=%d%nepoch=%d%nfd=%s%n",
                        options.samples(), step, epoch, number(e.fd())));
            }
        }
    }

    private void writeRows(Map<String, Double> metrics, long step, int epoch) {
        lastStep = step;
        try {
            for (Map.Entry<String, Double> m : metrics.entrySet()) {
                csv.write(step + "," + epoch + "," + m.getKey() + "," + number(m.getValue()));
                csv.newLine();
            }
            csv.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + folder.resolve(CSV_FILE), ex);
        }
    }

    private void openCsv() {
        Path file = folder.resolve(CSV_FILE);
        try {
            Files.createDirectories(folder);
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            if (!fresh) {
                String first;
                try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    first = r.readLine();
                }
                if (!CSV_HEADER.equals(first)) {
                    throw new GanymedeException(file + " exists but is not an evaluation log (its first line is '"
                            + first + "', expected '" + CSV_HEADER + "')");
                }
            }
            csv = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                csv.write(CSV_HEADER);
                csv.newLine();
                csv.flush();
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeText(String name, String text) {
        try {
            Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 7 significant digits without trailing zeros, as metrics.csv writes numbers. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return "0";
        }
        java.math.BigDecimal rounded = new java.math.BigDecimal(v).round(new java.math.MathContext(7)).stripTrailingZeros();
        int magnitude = rounded.precision() - rounded.scale() - 1; // the decimal exponent
        return magnitude >= -5 && magnitude < 15 ? rounded.toPlainString() : rounded.toString();
    }

    @Override
    public void close() {
        try {
            if (csv != null) {
                csv.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (evaluator != null) {
                evaluator.close();
            }
        }
    }
}
