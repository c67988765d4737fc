package dev.ganymede.engine.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.data.GaussianMixture2D;
import dev.ganymede.engine.nn.NetworkIO;
import dev.ganymede.engine.output.CsvLog;
import dev.ganymede.engine.output.GifWriter;
import dev.ganymede.engine.output.LatentInterpolation;
import dev.ganymede.engine.output.Plots;
import dev.ganymede.engine.output.PropertiesLine;
import dev.ganymede.engine.output.RunReport;
import dev.ganymede.engine.output.SampleGrid;
import dev.ganymede.engine.output.StepRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a run folder as training goes: metrics.csv (every step), samples/ (grids from the fixed
 * latent batch, or histograms and scatter plots for 1-D and 2-D data), losses.png and
 * d-outputs.png, progression.png and progress.gif (the fixed batch across epochs), the summary of
 * both networks, and the trained networks (generator.params, discriminator.params). At the end of
 * every training call it adds what only the final generator can draw (interpolation.png, and for
 * conditional GANs classes.png: see {@link #writeFinalFigures}), the provenance of the run
 * (run.properties: versions, device, data, settings, timing) and the one-page {@link RunReport}
 * (report.html).
 */
public final class RunRecorder implements TrainingListener, AutoCloseable {

    private static final int FIXED_SEED = 20_240_601;

    private final Path folder;
    private final RunOutputs outputs;
    private CsvLog csv;
    private float[] fixedNoise;
    private int[] fixedLabels;
    private final Map<Integer, float[]> byEpoch = new TreeMap<>();
    private final List<BufferedImage> frames = new ArrayList<>();
    private long lastSampleStep = -1;
    private double[] dataMoments;
    private final Map<String, String> provenance = new LinkedHashMap<>();
    private long trainingNanos;
    private long callStarted;
    private boolean resuming;

    public RunRecorder(Path folder, RunOutputs outputs) {
        this.folder = folder;
        this.outputs = outputs;
        try {
            Files.createDirectories(folder.resolve("samples"));
        } catch (IOException e) {
            throw new GanymedeException("cannot create the run folder " + folder + ": " + e.getMessage(), e);
        }
    }

    public Path folder() {
        return folder;
    }

    /** Writes a text file into the run folder (the script, settings, summaries). */
    public void writeText(String name, String text) {
        try {
            Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onStart(Trainer trainer) {
        callStarted = System.nanoTime();
        try {
            if (resuming) {
                resuming = false;
                takeOver(trainer);
            }
            if (csv == null) {
                startProvenance(trainer);
                csv = CsvLog.create(folder.resolve("metrics.csv"));
                Gan gan = trainer.gan();
                writeText("summary.txt", gan.generator().summary() + "\n" + gan.discriminator().summary() + "\n"
                        + "device: " + Backend.describe(gan.generator().device()) + "\n");
                drawFixedBatch(gan);
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot write " + folder.resolve("metrics.csv") + ": " + e.getMessage(), e);
        }
    }

    /** The latent batch (and labels) every sample grid of the run is drawn from. */
    private void drawFixedBatch(Gan gan) {
        int n = Math.max(1, outputs.samples());
        fixedNoise = gan.latent().fixedBatch(n, FIXED_SEED);
        if (gan.isConditional()) {
            fixedLabels = new int[n];
            for (int i = 0; i < n; i++) {
                fixedLabels[i] = i % gan.numClasses();
            }
        }
    }

    /**
     * Takes over the folder of a run that a {@link TrainingCheckpoint} was just restored into
     * {@code trainer} from, before it trains on: metrics.csv keeps the steps up to the checkpoint
     * (a killed process logged some after it) and grows from there; run.properties keeps its
     * provenance and training time and notes when the run was resumed; the progression figure and
     * the GIF keep the epochs sampled before the checkpoint.
     */
    public void resume(Trainer trainer) {
        resuming = true; // the files change when training starts: a resumed run that is not trained stays as it was
    }

    private void takeOver(Trainer trainer) {
        Path log = folder.resolve("metrics.csv");
        try {
            Path fresh = folder.resolve("metrics.csv.new");
            CsvLog.write(fresh, trainer.history());
            Files.move(fresh, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            csv = CsvLog.open(log);
        } catch (IOException e) {
            throw new GanymedeException("cannot rewrite " + log + " up to the checkpoint: " + e.getMessage(), e);
        }
        Path properties = folder.resolve("run.properties");
        if (Files.isRegularFile(properties)) {
            try {
                provenance.putAll(RunReport.inFileOrder(Files.readString(properties)));
            } catch (IOException | RuntimeException e) {
                throw new GanymedeException("cannot read " + properties + ": " + e.getMessage(), e);
            }
            provenance.remove("finished");
        } else {
            startProvenance(trainer);
        }
        // the steps up to the checkpoint, as timed in metrics.csv (a killed process wrote no total;
        // sampling and checkpoints between steps are not in it)
        trainingNanos = (long) (trainer.history().stream().mapToDouble(StepRecord::seconds).sum() * 1e9);
        String when = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS) + " at step " + trainer.step();
        String before = provenance.get("resumed");
        provenance.put("resumed", before == null ? when : before + ", " + when);
        writeProvenance();
        drawFixedBatch(trainer.gan());
        Path checkpoint = TrainingCheckpoint.located(folder);
        if (checkpoint != null) {
            readProgression(checkpoint);
        }
        readFrames(trainer);
    }

    @Override
    public void onStep(Trainer trainer, StepRecord record) {
        csv.append(record);
        if (outputs.everySteps() > 0 && record.step() % outputs.everySteps() == 0) {
            writeSamples(trainer, "step-" + String.format("%06d", record.step()), (int) record.step());
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch) {
        if (outputs.everySteps() <= 0 && outputs.everyEpochs() > 0 && epoch % outputs.everyEpochs() == 0) {
            writeSamples(trainer, "epoch-" + String.format("%03d", epoch), epoch);
        }
        checkpointNow(trainer);
    }

    /**
     * Saves a checkpoint when the run keeps checkpoints: at the end of every epoch, and between
     * runs after its training changed (gan-repl), when the last checkpoint must be of the trainer
     * as it is, or the run rebuilt from the new script could not take it up.
     */
    public void checkpointNow(Trainer trainer) {
        if (outputs.checkpoints()) {
            saveNetworks(trainer.gan());
            csv.flush(); // a resumed run reads its earlier steps back from the log
            TrainingCheckpoint.save(trainer, folder, this::writeProgression);
        }
    }

    // ---------------------------------------------------------------- what a checkpoint keeps of the figures

    private static final String PROGRESSION = "progression.bin";

    /** The name of a sample grid written while training (not the final one), as {@link #writeSamples} names it. */
    private static final java.util.regex.Pattern SAMPLE_GRID = java.util.regex.Pattern.compile("(epoch|step)-(\\d+)\\.png");

    /** The first rows sampled so far (progression.png's material), as (key, length, floats) records. */
    private void writeProgression(Path checkpoint) {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(checkpoint.resolve(PROGRESSION))))) {
            out.writeInt(byEpoch.size());
            for (Map.Entry<Integer, float[]> e : byEpoch.entrySet()) {
                out.writeInt(e.getKey());
                out.writeInt(e.getValue().length);
                for (float v : e.getValue()) {
                    out.writeFloat(v);
                }
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot write " + checkpoint.resolve(PROGRESSION) + ": " + e.getMessage(), e);
        }
    }

    private void readProgression(Path checkpoint) {
        Path file = checkpoint.resolve(PROGRESSION);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int entries = in.readInt();
            for (int i = 0; i < entries; i++) {
                int key = in.readInt();
                float[] row = new float[in.readInt()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = in.readFloat();
                }
                byEpoch.put(key, row);
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The GIF's frames so far: the sample grids written up to the checkpoint, in order. */
    private void readFrames(Trainer trainer) {
        if (outputs.samples() <= 0 || trainer.gan().sampleShape().dimension() != 3) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(folder.resolve("samples"))) {
            for (Path file : files.sorted().toList()) {
                java.util.regex.Matcher m = SAMPLE_GRID.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long key = Long.parseLong(m.group(2));
                long reached = m.group(1).equals("epoch") ? trainer.completedEpochs() : trainer.step();
                if (key <= reached) {
                    frames.add(javax.imageio.ImageIO.read(file.toFile()));
                }
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot read the sample grids of " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEnd(Trainer trainer, boolean stopped) {
        csv.flush();
        trainingNanos += System.nanoTime() - callStarted;
        if (lastSampleStep != trainer.step() && outputs.samples() > 0) {
            writeSamples(trainer, "final", trainer.completedEpochs() + 1);
        }
        if (outputs.plots()) {
            writePlots(trainer);
        }
        saveNetworks(trainer.gan());
        if (outputs.samples() > 0) {
            writeFinalFigures(trainer.gan(), trainer.dataset(), folder);
        }
        endProvenance(trainer, stopped);
        try {
            RunReport.write(folder);
        } catch (RuntimeException e) {
            throw new GanymedeException("the run is saved in " + folder + ", but its report could not be written: "
                    + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- provenance

    /** What made this run, written once at its first start: versions, device, data, networks, settings. */
    private void startProvenance(Trainer trainer) {
        Gan gan = trainer.gan();
        Dataset data = trainer.dataset();
        TrainingSettings s = trainer.settings();
        provenance.put("ganymede.version", Backend.version());
        provenance.put("djl.version", ai.djl.engine.Engine.getDjlVersion());
        provenance.put("engine", Backend.engine().getEngineName() + " " + Backend.engine().getVersion());
        provenance.put("device", Backend.describe(gan.generator().device()));
        provenance.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        provenance.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        provenance.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        provenance.put("started", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        provenance.put("data", data.name());
        provenance.put("data.size", Integer.toString(data.size()));
        provenance.put("data.classes", Integer.toString(data.numClasses()));
        provenance.put("sample.shape", gan.sampleShape().toString());
        provenance.put("latent", gan.latent().toString());
        provenance.put("latent.distribution", gan.latent().isUniform() ? "uniform" : "normal");
        provenance.put("conditional.classes", Integer.toString(gan.numClasses()));
        provenance.put("generator.parameters", Long.toString(gan.generator().parameterCount()));
        provenance.put("discriminator.parameters", Long.toString(gan.discriminator().parameterCount()));
        provenance.put("loss", gan.loss().name());
        TrainingStrategy.RecordedFigures figures = trainer.strategy().recordedFigures();
        provenance.put("loss.d.name", figures.lossD());
        provenance.put("loss.g.name", figures.lossG());
        provenance.put("discriminator.outputs", Boolean.toString(figures.discriminatorOutputs()));
        provenance.put("batch", Integer.toString(s.batchSize()));
        provenance.put("dSteps", Integer.toString(s.discriminatorSteps()));
        provenance.put("reuseFakes", Boolean.toString(s.reuseFakes()));
        provenance.put("seed", Long.toString(s.seed()));
        provenance.put("optimizer.generator", trainer.generatorOptimizer().describe());
        provenance.put("optimizer.discriminator", trainer.discriminatorOptimizer().describe());
        provenance.put("steps.per.epoch", Long.toString(trainer.stepsPerEpoch()));
        provenance.put("fixed.seed", Integer.toString(FIXED_SEED));
        writeProvenance();
    }

    /** How far training got and how long it took; rewritten at the end of every training call. */
    private void endProvenance(Trainer trainer, boolean stopped) {
        provenance.put("finished", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        provenance.put("steps", Long.toString(trainer.step()));
        provenance.put("epochs.completed", Integer.toString(trainer.completedEpochs()));
        provenance.put("stopped.early", Boolean.toString(stopped));
        provenance.put("training.seconds", String.format(Locale.ROOT, "%.3f", trainingNanos / 1e9));
        writeProvenance();
    }

    private void writeProvenance() {
        StringBuilder sb = new StringBuilder("# Provenance of this run, written by Ganymede's RunRecorder\n");
        provenance.forEach((k, v) -> sb.append(PropertiesLine.of(k, v == null ? "unknown" : v)));
        writeText("run.properties", sb.toString());
    }

    // ---------------------------------------------------------------- the final generator's figures

    /** Points along each interpolation path (the strip's columns). */
    public static final int INTERPOLATION_STEPS = 10;

    /** Paths drawn for an unconditional generator (the strip's rows). */
    public static final int INTERPOLATION_ROWS = 8;

    /**
     * Writes the figures only the final generator can draw, in evaluation mode, into {@code folder}:
     * <ul>
     *   <li>{@code interpolation.png}: for images, {@value #INTERPOLATION_ROWS} rows of
     *       {@value #INTERPOLATION_STEPS} images along latent paths between pairs of the fixed latent
     *       batch (row r from vector 2r to 2r + 1); a conditional generator gets one row per class (at
     *       most 10), the class held fixed along the row. The path is spherical for Gaussian noise and
     *       linear for uniform noise ({@link LatentInterpolation#suitedTo}). For 1D and 2D data, the
     *       same paths drawn as curves of G(z(t)).
     *   <li>{@code classes.png} for a conditional generator of images: one row per class, each column
     *       one latent vector of the fixed batch, so a column shows one "style" in every class.
     *   <li>{@code interpolation.properties}: how the strip was made, for the report's caption.
     * </ul>
     * Usable on a generator loaded from a finished run ({@code gan report} does that for older runs).
     */
    public static void writeFinalFigures(Gan gan, Dataset data, Path folder) {
        Shape shape = gan.sampleShape();
        boolean images = shape.dimension() == 3;
        boolean points = shape.dimension() == 1 && shape.get(0) <= 2;
        if (!images && !points) {
            return;
        }
        int size = (int) gan.latent().shape().size();
        LatentInterpolation.Method method = LatentInterpolation.suitedTo(gan.latent().isUniform());
        boolean byClass = gan.isConditional() && images;
        int rows = byClass ? Math.min(gan.numClasses(), 10) : INTERPOLATION_ROWS;
        int steps = INTERPOLATION_STEPS;
        float[] ends = gan.latent().fixedBatch(2 * rows, FIXED_SEED);
        float[] path = LatentInterpolation.pairs(ends, size, rows, steps, method);
        int[] labels = null;
        if (gan.isConditional()) {
            labels = new int[rows * steps];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = byClass ? i / steps : 0;
            }
        }
        float[] range = data.valueRange();
        try (NDManager scope = Backend.engine().newBaseManager(gan.generator().device())) {
            float[] drawn = gan.generate(path, labels, rows * steps, scope);
            Path file = folder.resolve("interpolation.png");
            if (images) {
                List<String> names = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    names.add(byClass ? data.className(r) : "z" + (2 * r + 1) + " → z" + (2 * r + 2));
                }
                SampleGrid.writeRows(names, drawn, steps, (int) shape.get(0), (int) shape.get(1),
                        (int) shape.get(2), range[0], range[1], file);
                if (byClass) {
                    writeClassRows(gan, data, folder.resolve("classes.png"), scope);
                }
            } else {
                int dims = (int) shape.get(0);
                float[][] curves = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    curves[r] = java.util.Arrays.copyOfRange(drawn, r * steps * dims, (r + 1) * steps * dims);
                }
                String title = "G along " + rows + " " + method.label() + " latent paths";
                if (dims == 1) {
                    double[] m = moments(data);
                    Plots.interpolation1d(curves, m[0], m[1], title, file);
                } else {
                    double[][] modes = data instanceof GaussianMixture2D
                            ? ((GaussianMixture2D) data).modes() : new double[0][];
                    Plots.interpolation2d(curves, modes, title, file);
                }
            }
            double midNorm = 0;
            double endNorm = 0;
            for (int r = 0; r < rows; r++) {
                midNorm += LatentInterpolation.norm(path, size, r * steps + steps / 2) / rows;
                endNorm += (LatentInterpolation.norm(ends, size, 2 * r) + LatentInterpolation.norm(ends, size, 2 * r + 1))
                        / (2.0 * rows);
            }
            Files.writeString(folder.resolve("interpolation.properties"),
                    "# How interpolation.png was drawn (read by the run report)\n"
                            + "method=" + method.name().toLowerCase(Locale.ROOT) + "\n"
                            + "latent=" + gan.latent() + "\n"
                            + "rows=" + rows + "\n"
                            + "steps=" + steps + "\n"
                            + "byClass=" + byClass + "\n"
                            + "classFixed=" + (gan.isConditional() ? (byClass ? "per row" : data.className(0)) : "") + "\n"
                            + "norm.ends=" + String.format(Locale.ROOT, "%.3f", endNorm) + "\n"
                            + "norm.middle=" + String.format(Locale.ROOT, "%.3f", midNorm) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GanymedeException("cannot write the interpolation figures into " + folder + ": " + e.getMessage(), e);
        }
    }

    /** One row per class, one column per latent vector of the fixed batch (the same in every row). */
    private static void writeClassRows(Gan gan, Dataset data, Path file, NDManager scope) throws IOException {
        Shape shape = gan.sampleShape();
        int classes = gan.numClasses();
        int columns = INTERPOLATION_STEPS;
        int size = (int) gan.latent().shape().size();
        float[] fixed = gan.latent().fixedBatch(columns, FIXED_SEED);
        float[] noise = new float[classes * columns * size];
        int[] labels = new int[classes * columns];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(fixed, 0, noise, c * columns * size, columns * size);
            for (int j = 0; j < columns; j++) {
                labels[c * columns + j] = c;
            }
        }
        float[] drawn = gan.generate(noise, labels, classes * columns, scope);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(data.className(c));
        }
        float[] range = data.valueRange();
        SampleGrid.writeRows(names, drawn, columns, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2),
                range[0], range[1], file);
    }

    private void writeSamples(Trainer trainer, String name, int key) {
        if (outputs.samples() <= 0) {
            return;
        }
        lastSampleStep = trainer.step();
        Gan gan = trainer.gan();
        Shape shape = gan.sampleShape();
        try (NDManager scope = Backend.engine().newBaseManager(gan.generator().device())) {
            if (shape.dimension() == 3) {
                int n = outputs.samples();
                float[] images = gan.generate(fixedNoise, fixedLabels, n, scope);
                float[] range = trainer.dataset().valueRange();
                int c = (int) shape.get(0);
                int h = (int) shape.get(1);
                int w = (int) shape.get(2);
                int columns = gan.isConditional() ? gan.numClasses() : (int) Math.ceil(Math.sqrt(n));
                SampleGrid.write(images, n, c, h, w, columns, range[0], range[1], folder.resolve("samples").resolve(name + ".png"));
                int perRow = Math.min(8, n);
                float[] firstRow = new float[perRow * c * h * w];
                System.arraycopy(images, 0, firstRow, 0, firstRow.length);
                byEpoch.put(key, firstRow);
                frames.add(SampleGrid.render(images, n, c, h, w, columns, range[0], range[1]));
            } else if (shape.dimension() == 1 && shape.get(0) <= 2) {
                int n = 2000;
                float[] points = gan.generate(gan.latent().fixedBatch(n, FIXED_SEED), null, n, scope);
                Path file = folder.resolve("samples").resolve(name + ".png");
                if (shape.get(0) == 1) {
                    if (dataMoments == null) {
                        dataMoments = moments(trainer.dataset()); // one pass over the data, not one per histogram
                    }
                    Plots.histogram1d(points, dataMoments[0], dataMoments[1], file);
                } else {
                    double[][] modes = trainer.dataset() instanceof GaussianMixture2D
                            ? ((GaussianMixture2D) trainer.dataset()).modes() : new double[0][];
                    Plots.scatter2d(points, modes, file, trainer.dataset().name() + ", " + name);
                }
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot write samples into " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Mean and standard deviation of a 1-D data set. */
    static double[] moments(Dataset data) {
        float[] one = new float[1];
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < data.size(); i++) {
            data.copySample(i, one, 0);
            sum += one[0];
            sq += (double) one[0] * one[0];
        }
        double mean = sum / data.size();
        return new double[] {mean, Math.sqrt(Math.max(0, sq / data.size() - mean * mean))};
    }

    private void writePlots(Trainer trainer) {
        List<StepRecord> history = trainer.history();
        if (history.isEmpty()) {
            return;
        }
        try {
            writeCurves(trainer, folder);
            Shape shape = trainer.gan().sampleShape();
            if (byEpoch.size() > 1 && shape.dimension() == 3) {
                Map<Integer, float[]> chosen = new TreeMap<>();
                List<Integer> epochs = SampleGrid.progressionEpochs(((TreeMap<Integer, float[]>) byEpoch).lastKey(), 5);
                for (Integer e : epochs) {
                    if (byEpoch.containsKey(e)) {
                        chosen.put(e, byEpoch.get(e));
                    }
                }
                float[] range = trainer.dataset().valueRange();
                int perRow = Math.min(8, outputs.samples());
                SampleGrid.writeProgression(chosen.isEmpty() ? byEpoch : chosen, perRow, (int) shape.get(0),
                        (int) shape.get(1), (int) shape.get(2), range[0], range[1], folder.resolve("progression.png"));
            }
            if (frames.size() > 1) {
                GifWriter.write(frames, 500, folder.resolve("progress.gif"));
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot write plots into " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The training curves of {@code trainer} so far into {@code folder}: losses.png, with the loss
     * columns named as its strategy names them, and d-outputs.png when a discriminator judged
     * samples (not for an autoencoder). Returns the files written; none before the first step.
     */
    public static List<Path> writeCurves(Trainer trainer, Path folder) throws IOException {
        List<StepRecord> history = trainer.history();
        if (history.isEmpty()) {
            return List.of();
        }
        TrainingStrategy.RecordedFigures figures = trainer.strategy().recordedFigures();
        Path losses = folder.resolve("losses.png");
        Plots.losses(history, losses, figures.lossD(), figures.lossG());
        if (!figures.discriminatorOutputs()) {
            return List.of(losses);
        }
        Path outputs = folder.resolve("d-outputs.png");
        Plots.discriminatorOutputs(history, outputs,
                trainer.gan().loss().outputKind() != dev.ganymede.engine.loss.OutputKind.SCORE);
        return List.of(losses, outputs);
    }

    private void saveNetworks(Gan gan) {
        // generator.params holds what samples are drawn with (the average when weights are averaged)
        gan.withSamplingWeights(() -> {
            NetworkIO.save(gan.generator(), folder.resolve("generator.params"));
            return null;
        });
        if (gan.samplesWithAveragedWeights()) {
            NetworkIO.save(gan.generator(), folder.resolve("generator-trained.params"));
        }
        NetworkIO.save(gan.discriminator(), folder.resolve("discriminator.params"));
    }

    @Override
    public void close() {
        if (csv != null) {
            csv.close();
        }
    }
}
