package dev.ganymede.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.output.SampleGrid;
import dev.ganymede.engine.train.Gan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples a trained generator from a run folder: the networks are rebuilt from the run's own copy of
 * the script with the settings it ran with, then the saved parameters are loaded (data only).
 */
public final class Sampler {

    private Sampler() {}

    public static Path sample(Path run, int count, long seed, Path out) {
        if (count <= 0 || count > 4096) {
            throw new GanymedeException("-n must be between 1 and 4096, got " + count);
        }
        RunFolder.requireTrained(run);
        if (!Files.isRegularFile(run.resolve("settings.properties"))) {
            throw new GanymedeException(run + " is not a run folder with a trained generator: it has no settings.properties (written by gan run)");
        }
        Path file = out != null ? out : run.resolve("sample.png");
        try (GanSession session = RunFolder.open(run, Device.cpu());
                NDManager scope = Backend.engine().newBaseManager()) {
            session.loadRun(run);
            Gan gan = session.getGan();
            Shape shape = gan.sampleShape();
            if (shape.dimension() != 3) {
                throw new GanymedeException("gan sample draws image grids; this generator makes samples of shape " + shape);
            }
            float[] noise = gan.latent().fixedBatch(count, seed);
            int[] labels = null;
            int columns = (int) Math.ceil(Math.sqrt(count));
            if (gan.isConditional()) {
                // one row per class
                int classes = gan.numClasses();
                columns = Math.max(1, count / classes);
                labels = new int[count];
                for (int i = 0; i < count; i++) {
                    labels[i] = Math.min(classes - 1, i / columns);
                }
            }
            float[] images = gan.generate(noise, labels, count, scope);
            float[] range = session.dataset().valueRange();
            if (gan.isConditional()) {
                List<String> names = new ArrayList<>();
                int rows = (count + columns - 1) / columns;
                for (int r = 0; r < rows; r++) {
                    names.add(session.dataset().className(Math.min(gan.numClasses() - 1, r)));
                }
                int full = rows * columns;
                float[] padded = java.util.Arrays.copyOf(images, (int) (full * shape.size()));
                SampleGrid.writeRows(names, padded, columns, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2),
                        range[0], range[1], file);
            } else {
                SampleGrid.write(images, count, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2), columns,
                        range[0], range[1], file);
            }
        } catch (IOException e) {
            throw new GanymedeException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
