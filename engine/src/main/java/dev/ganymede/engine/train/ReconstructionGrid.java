package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.loss.AutoencoderLoss;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.ForwardContext;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.Shapes;
import dev.ganymede.engine.output.SampleGrid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What an autoencoder shows best: {@code reconstructions.png}, written at the end of every
 * training call, two labelled rows of {@value #COUNT} images — the first {@value #COUNT} samples of
 * the data set, and their reconstructions D(E(x)) in evaluation mode (a VAE decodes the mean μ,
 * not a random draw). Added before the {@link RunRecorder} so that the run report finds it.
 */
public final class ReconstructionGrid implements TrainingListener {

    /** Images per row. */
    public static final int COUNT = 10;

    private final Path folder;

    public ReconstructionGrid(Path folder) {
        this.folder = folder;
    }

    @Override
    public void onEnd(Trainer trainer, boolean stopped) {
        write(trainer.gan(), trainer.dataset(), folder.resolve("reconstructions.png"));
    }

    /** Writes the two rows (inputs, reconstructions) for images; does nothing for 1-D or 2-D data. */
    public static void write(Gan gan, Dataset data, Path file) {
        Shape shape = data.sampleShape();
        if (shape.dimension() != 3 || !(gan.loss() instanceof AutoencoderLoss objective)) {
            return;
        }
        int n = Math.min(COUNT, data.size());
        int size = (int) shape.size();
        float[] inputs = new float[n * size];
        for (int i = 0; i < n; i++) {
            data.copySample(i, inputs, i * size);
        }
        Network encoder = gan.discriminator();
        Network decoder = gan.generator();
        float[] both = new float[2 * n * size];
        System.arraycopy(inputs, 0, both, 0, inputs.length);
        try (NDManager scope = Backend.engine().newBaseManager(decoder.device());
                Autograd.Recording paused = Autograd.pause()) {
            ForwardContext eval = new ForwardContext(scope, false);
            NDArray code = encoder.forward(scope.create(inputs, Shapes.batched(n, shape)), eval).reshape(n, -1);
            if (objective.isVariational()) {
                code = code.get(":, 0:" + code.getShape().get(1) / 2); // the mean
            }
            NDArray z = code.reshape(Shapes.batched(n, gan.latent().shape()));
            float[] out = decoder.forward(z, eval).toFloatArray();
            System.arraycopy(out, 0, both, inputs.length, out.length);
            float[] range = data.valueRange();
            SampleGrid.writeRows(List.of("input", "reconstruction"), both, n, (int) shape.get(0), (int) shape.get(1),
                    (int) shape.get(2), range[0], range[1], file);
        } catch (IOException e) {
            throw new GanymedeException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
