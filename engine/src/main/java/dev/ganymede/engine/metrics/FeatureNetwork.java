package dev.ganymede.engine.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.DataLoader;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.data.HostBatch;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Conv2d;
import dev.ganymede.engine.nn.ForwardContext;
import dev.ganymede.engine.nn.Initializer;
import dev.ganymede.engine.nn.Layer;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.NetworkIO;
import dev.ganymede.engine.nn.Shapes;
import dev.ganymede.engine.nn.Torch;
import dev.ganymede.engine.optim.Adam;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The measuring instrument of the metrics: a small convolutional classifier that Ganymede trains on
 * the real images themselves, standing in for the Inception-v3 network of FID and IS (whose weights
 * cannot be downloaded here, and which never saw 28x28 digits anyway). Its 128 penultimate
 * activations are the features and its softmax the class probabilities.
 *
 * <pre>
 *   Conv(16, 5, s2, p2) BN ReLU   -&gt; 16 x 14 x 14     (for 1 x 28 x 28 input)
 *   Conv(32, 5, s2, p2) BN ReLU   -&gt; 32 x 7 x 7
 *   Conv(64, 3, s2, p1) BN ReLU   -&gt; 64 x 4 x 4
 *   flatten, Linear(128) ReLU     -&gt; 128 features
 *   Linear(classes)               -&gt; logits; softmax -&gt; class probabilities
 * </pre>
 *
 * 164,458 parameters for 28x28 gray images and 10 classes. It trains with softmax cross-entropy and
 * Adam (1e-3, cosine-annealed epoch by epoch) in batches of 128: 5 epochs of the training split (2
 * epochs of 20,000 images for the built-in digits). Its initial weights (PyTorch's U(±1/√fan_in))
 * and the batch order come from Java generators seeded by the recipe, and it has no dropout, so
 * training it neither reads nor disturbs PyTorch's random stream: a GAN run that trains its feature
 * network mid-run continues exactly as one that found it cached. Images are scaled to [-1, 1] from
 * the value range of their data set before they enter it.
 *
 * <p>Trained once per data set and recipe, then cached as {@code <data-id>-<recipe hash>.params} with
 * a {@code .properties} file holding its test accuracy, in {@link #defaultFolder()}
 * (~/.ganymede/features, or the folder the system property {@code ganymede.features} or the
 * environment variable {@code GANYMEDE_FEATURES} names). The hash covers the architecture and the
 * recipe, the id the data's content, so a changed data set or recipe trains a new network.
 */
public final class FeatureNetwork implements AutoCloseable {

    /** Length of a feature vector. */
    public static final int FEATURES = 128;

    /** Layer whose output is the feature vector: the ReLU after Linear(128). */
    static final int FEATURE_LAYER = 11;

    /** Images per forward pass when extracting features. */
    static final int EXTRACT_BATCH = 500;

    /**
     * How the feature network is trained.
     *
     * @param epochs passes over the classifier-training images
     * @param batchSize images per step
     * @param learningRate Adam's initial learning rate, annealed to 0 by a cosine over the epochs
     * @param seed seeds the initial weights and the batch order
     */
    public record Recipe(int epochs, int batchSize, double learningRate, long seed) {

        public Recipe {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("a feature network recipe needs at least one epoch, a positive"
                        + " batch size and learning rate, got " + epochs + ", " + batchSize + ", " + learningRate);
            }
        }

        /** 5 epochs, batch 128, Adam 1e-3: 90 to 91 % on Fashion-MNIST. */
        public static Recipe standard() {
            return new Recipe(5, 128, 1e-3, 1);
        }

        /** The recipe for a data set: 2 epochs for the (easy) built-in digits, else {@link #standard()}. */
        public static Recipe forData(EvaluationData data) {
            return "digits".equals(data.id()) ? new Recipe(2, 128, 1e-3, 1) : standard();
        }

        String describe() {
            return "epochs=" + epochs + ", batch=" + batchSize + ", adam lr=" + learningRate + " cosine, seed=" + seed;
        }
    }

    private final Network network;
    private final EvaluationData data;
    private final Recipe recipe;
    private final Path file;
    private final double testAccuracy;
    private final int testImages;
    private final double trainingSeconds;
    private final boolean trainedNow;

    private FeatureNetwork(Network network, EvaluationData data, Recipe recipe, Path file, double testAccuracy,
            int testImages, double trainingSeconds, boolean trainedNow) {
        this.network = network;
        this.data = data;
        this.recipe = recipe;
        this.file = file;
        this.testAccuracy = testAccuracy;
        this.testImages = testImages;
        this.trainingSeconds = trainingSeconds;
        this.trainedNow = trainedNow;
    }

    /** Where feature networks are cached unless told otherwise. */
    public static Path defaultFolder() {
        String property = System.getProperty("ganymede.features");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("GANYMEDE_FEATURES");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".ganymede", "features");
    }

    /** The feature network of {@code data} with its recipe, from the default folder (trained there if missing). */
    public static FeatureNetwork forData(EvaluationData data) {
        return forData(data, Recipe.forData(data), defaultFolder(), null);
    }

    /** As {@link #forData(EvaluationData)}, telling {@code log} when it trains and how well it did. */
    public static FeatureNetwork forData(EvaluationData data, Consumer<String> log) {
        return forData(data, Recipe.forData(data), defaultFolder(), log);
    }

    /**
     * The feature network of {@code data} trained with {@code recipe}, loaded from {@code folder} or,
     * the first time, trained and saved there. {@code log} (may be null) hears what happens.
     */
    public static FeatureNetwork forData(EvaluationData data, Recipe recipe, Path folder, Consumer<String> log) {
        Consumer<String> say = log == null ? s -> { } : log;
        Device device = Backend.device(Backend.DeviceChoice.AUTO);
        Network network = architecture(data.reference().sampleShape(), data.classes(), recipe.seed(), device);
        String key = Hashes.hex8(Hashes.text(network.toString() + "\n" + recipe.describe()));
        Path file = folder.resolve(data.id() + "-" + key + ".params");
        Path info = folder.resolve(data.id() + "-" + key + ".properties");
        try {
            Properties saved = readProperties(info);
            if (saved != null && Files.isRegularFile(file)) {
                try {
                    NetworkIO.load(network, file);
                    double accuracy = Double.parseDouble(saved.getProperty("testAccuracy"));
                    double seconds = Double.parseDouble(saved.getProperty("trainingSeconds", "NaN"));
                    int images = Integer.parseInt(saved.getProperty("testImages", "0"));
                    return new FeatureNetwork(network, data, recipe, file, accuracy, images, seconds, false);
                } catch (RuntimeException e) {
                    say.accept("the cached feature network " + file + " cannot be read (" + e.getMessage()
                            + "); training it again");
                }
            }
            say.accept(String.format(Locale.ROOT, "training the feature network of %s: %,d images, %s (once; cached in %s)",
                    data.id(), data.classifierTraining().size(), recipe.describe(), folder));
            long started = System.nanoTime();
            train(network, data.classifierTraining(), recipe);
            double seconds = (System.nanoTime() - started) / 1e9;
            FeatureNetwork trained = new FeatureNetwork(network, data, recipe, file, Double.NaN, 0, seconds, true);
            double accuracy = trained.accuracy(data.heldOut());
            say.accept(String.format(Locale.ROOT, "feature network of %s: %.2f %% of %,d held-out images classified"
                    + " correctly, trained in %.1f s", data.id(), 100 * accuracy, data.heldOut().size(), seconds));
            save(network, file, info, data, recipe, accuracy, seconds);
            return new FeatureNetwork(network, data, recipe, file, accuracy, data.heldOut().size(), seconds, true);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /**
     * The classifier for images of {@code input} shape and {@code classes} classes, its weights drawn
     * from a Java generator seeded with {@code seed} (see the class comment).
     */
    public static Network architecture(Shape input, int classes, long seed, Device device) {
        if (input.dimension() != 3) {
            throw new GanymedeException("the feature network reads images (channels, height, width), not "
                    + Shapes.format(input));
        }
        SplittableRandom random = new SplittableRandom(seed);
        Initializer init = (p, m) -> {
            switch (p.role()) {
                case WEIGHT:
                case BIAS: {
                    double bound = 1 / Math.sqrt(p.fanIn());
                    float[] values = new float[(int) p.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
                    }
                    return m.create(values, p.shape());
                }
                case GAMMA:
                case RUNNING_VAR:
                    return m.ones(p.shape());
                default:
                    return m.zeros(p.shape());
            }
        };
        return Network.builder("feature network").input(input).init(init)
                .add(new Conv2d(16, 5).stride(2).padding(2)).batchNorm().relu()
                .add(new Conv2d(32, 5).stride(2).padding(2)).batchNorm().relu()
                .add(new Conv2d(64, 3).stride(2).padding(1)).batchNorm().relu()
                .flatten().linear(FEATURES).relu()
                .linear(classes)
                .build(device);
    }

    private static void train(Network network, Dataset images, Recipe recipe) {
        float[] range = images.valueRange();
        try (NDManager root = Backend.engine().newBaseManager(network.device());
                Adam adam = Adam.of(recipe.learningRate());
                DataLoader loader = DataLoader.builder(images).batchSize(Math.min(recipe.batchSize(), images.size()))
                        .shuffle(true).dropLast(true).seed(recipe.seed()).build()) {
            int classes = images.numClasses();
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                adam.setLearningRate(recipe.learningRate() * 0.5 * (1 + Math.cos(Math.PI * epoch / recipe.epochs())));
                for (int b = 0; b < loader.batchesPerEpoch(); b++) {
                    HostBatch batch = loader.next();
                    try (NDManager scope = root.newSubManager()) {
                        NDArray x = normalise(scope.create(batch.data(), batch.shape()), range);
                        NDArray y = scope.create(batch.labels());
                        try (Autograd.Recording recording = Autograd.record()) {
                            NDArray logits = network.forward(x, new ForwardContext(scope, true));
                            NDArray loss = crossEntropy(logits, y, classes);
                            network.zeroGradients();
                            Autograd.backward(loss);
                        }
                        adam.step(network, scope);
                    }
                }
            }
        }
    }

    /** Mean of -log softmax(logits)[label], with the row maximum subtracted so exp cannot overflow. */
    static NDArray crossEntropy(NDArray logits, NDArray labels, int classes) {
        NDArray shifted = logits.sub(logits.max(new int[] {1}, true).stopGradient());
        NDArray logSumExp = shifted.exp().sum(new int[] {1}, true).log();
        return shifted.sub(logSumExp).mul(labels.oneHot(classes)).sum(new int[] {1}).mean().neg();
    }

    private static NDArray normalise(NDArray x, float[] range) {
        if (range[0] == -1f && range[1] == 1f) {
            return x;
        }
        return Torch.subi(Torch.muli(Torch.sub(x, range[0]), 2f / (range[1] - range[0])), 1);
    }

    private static void save(Network network, Path file, Path info, EvaluationData data, Recipe recipe,
            double accuracy, double seconds) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".features", ".tmp");
            NetworkIO.save(network, tmp);
            move(tmp, file);
            Properties p = new Properties();
            p.setProperty("data", data.id());
            p.setProperty("testAccuracy", Double.toString(accuracy));
            p.setProperty("testImages", Integer.toString(data.heldOut().size()));
            p.setProperty("trainingImages", Integer.toString(data.classifierTraining().size()));
            p.setProperty("trainingSeconds", String.format(Locale.ROOT, "%.1f", seconds));
            p.setProperty("recipe", recipe.describe());
            p.setProperty("device", Backend.describe(network.device()));
            p.setProperty("ganymede", Backend.version());
            Path tmpInfo = Files.createTempFile(file.toAbsolutePath().getParent(), ".features", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmpInfo)) {
                p.store(w, "Ganymede feature network of " + data.id() + "\n" + network.toString().replace("\n", "\n# "));
            }
            move(tmpInfo, info);
        } catch (IOException e) {
            throw new GanymedeException("cannot save the feature network to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Properties readProperties(Path info) {
        if (!Files.isRegularFile(info)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(info)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return p.getProperty("testAccuracy") == null ? null : p;
    }

    /**
     * The features of {@code count} images given as floats (row-major, the data's sample shape), in
     * the value range {@code low}..{@code high} of their data set.
     */
    public Features extract(float[] images, int count, float low, float high) {
        int size = (int) network.inputShape().size();
        if (images.length < (long) count * size) {
            throw new IllegalArgumentException(images.length + " floats are not " + count + " images of "
                    + Shapes.format(network.inputShape()));
        }
        int classes = data.classes();
        float[] features = new float[count * FEATURES];
        float[] probabilities = new float[count * classes];
        List<Layer> layers = network.body().layers();
        float[] range = {low, high};
        try (NDManager root = Backend.engine().newBaseManager(network.device());
                Autograd.Recording paused = Autograd.pause()) {
            for (int from = 0; from < count; from += EXTRACT_BATCH) {
                int n = Math.min(EXTRACT_BATCH, count - from);
                try (NDManager scope = root.newSubManager()) {
                    float[] chunk = java.util.Arrays.copyOfRange(images, from * size, (from + n) * size);
                    NDArray x = normalise(scope.create(chunk, Shapes.batched(n, network.inputShape())), range);
                    ForwardContext context = new ForwardContext(scope, false);
                    NDArray feature = null;
                    for (int i = 0; i < layers.size(); i++) {
                        x = layers.get(i).forward(x, context);
                        if (i == FEATURE_LAYER) {
                            feature = x;
                        }
                    }
                    System.arraycopy(feature.toType(DataType.FLOAT32, false).toFloatArray(), 0, features,
                            from * FEATURES, n * FEATURES);
                    System.arraycopy(x.softmax(1).toFloatArray(), 0, probabilities, from * classes, n * classes);
                }
            }
        }
        return Features.of(features, count, probabilities, classes);
    }

    /** The features of samples {@code indices} of a data set. */
    public Features extract(Dataset images, int[] indices) {
        int size = (int) images.sampleShape().size();
        float[] pixels = new float[indices.length * size];
        for (int k = 0; k < indices.length; k++) {
            images.copySample(indices[k], pixels, k * size);
        }
        float[] range = images.valueRange();
        return extract(pixels, indices.length, range[0], range[1]);
    }

    /** The fraction of {@code images} whose most probable class is their label. */
    public double accuracy(Dataset images) {
        int correct = 0;
        for (int from = 0; from < images.size(); from += 5_000) {
            int to = Math.min(images.size(), from + 5_000);
            int[] idx = new int[to - from];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = from + k;
            }
            int[] predicted = extract(images, idx).predictedClasses();
            for (int k = 0; k < idx.length; k++) {
                if (predicted[k] == images.label(idx[k])) {
                    correct++;
                }
            }
        }
        return correct / (double) images.size();
    }

    /** The fraction of held-out images it classifies correctly. */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** How many held-out images {@link #testAccuracy()} was measured on. */
    public int testImages() {
        return testImages;
    }

    /** Seconds its training took (when it was trained, here or before it was cached). */
    public double trainingSeconds() {
        return trainingSeconds;
    }

    /** True when this call trained it, false when it came from the cache. */
    public boolean trainedNow() {
        return trainedNow;
    }

    /** The cached parameter file. */
    public Path file() {
        return file;
    }

    public EvaluationData data() {
        return data;
    }

    public Recipe recipe() {
        return recipe;
    }

    /** The classifier itself. */
    public Network network() {
        return network;
    }

    /** Length of a feature vector. */
    public int dimension() {
        return FEATURES;
    }

    /** Number of classes. */
    public int classes() {
        return data.classes();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "feature network %s (%,d parameters, %.2f %% of %,d held-out images"
                + " classified correctly)", file.getFileName(), network.parameterCount(), 100 * testAccuracy, testImages);
    }

    @Override
    public void close() {
        network.close();
    }
}
