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
import dev.ganymede.engine.output.Plots;
import dev.ganymede.engine.output.SampleGrid;
import dev.ganymede.engine.output.StepRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a run folder as training goes: metrics.csv (every step), samples/ (grids from the fixed
 * latent batch, or histograms and scatter plots for 1-D and 2-D data), losses.png and
 * d-outputs.png, progression.png and progress.gif (the fixed batch across epochs), the summary of
 * both networks, and the trained networks (generator.params, discriminator.params).
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
        try {
            if (csv == null) {
                csv = CsvLog.create(folder.resolve("metrics.csv"));
                Gan gan = trainer.gan();
                writeText("summary.txt", gan.generator().summary() + "\n" + gan.discriminator().summary() + "\n"
                        + "device: " + Backend.describe(gan.generator().device()) + "\n");
                int n = Math.max(1, outputs.samples());
                fixedNoise = gan.latent().fixedBatch(n, FIXED_SEED);
                if (gan.isConditional()) {
                    fixedLabels = new int[n];
                    for (int i = 0; i < n; i++) {
                        fixedLabels[i] = i % gan.numClasses();
                    }
                }
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot write " + folder.resolve("metrics.csv") + ": " + e.getMessage(), e);
        }
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
        if (outputs.checkpoints()) {
            saveNetworks(trainer.gan());
        }
    }

    @Override
    public void onEnd(Trainer trainer, boolean stopped) {
        csv.flush();
        if (lastSampleStep != trainer.step() && outputs.samples() > 0) {
            writeSamples(trainer, "final", trainer.completedEpochs() + 1);
        }
        if (outputs.plots()) {
            writePlots(trainer);
        }
        saveNetworks(trainer.gan());
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
            Plots.losses(history, folder.resolve("losses.png"));
            boolean probabilities = trainer.gan().loss().outputKind() != dev.ganymede.engine.loss.OutputKind.SCORE;
            Plots.discriminatorOutputs(history, folder.resolve("d-outputs.png"), probabilities);
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
