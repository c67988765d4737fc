package dev.ganymede.engine.metrics;

import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.nn.Shapes;
import dev.ganymede.engine.train.Gan;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Measures generators against real images: n samples of a generator and n real reference images
 * go through the feature network, and every metric of this package is computed from the two sets
 * of features.
 *
 * <pre>{@code
 * EvaluationData data = EvaluationData.of(SyntheticDigits.generate(60_000, 1));
 * try (Evaluator evaluator = Evaluator.builder(data).samples(10_000).seed(1).build()) {
 *     Evaluation floor = evaluator.heldOutBaseline();      // real vs real: the best a generator can do
 *     Evaluation now = evaluator.evaluate(gan);            // the generator as it is
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The n reference images are a random sample (without replacement) of the reference data,
 *       drawn once per evaluator; their features, statistics and k-NN radii are computed once.
 *   <li>A generator draws n samples in evaluation mode (BatchNorm's running statistics) from latent
 *       noise drawn with a Java generator seeded by the evaluator's seed, the classes of a
 *       conditional generator in turn 0, 1, ..., K-1, 0, ... Nothing reads PyTorch's random stream,
 *       and an evaluation changes nothing in the generator: training continues as if it had not
 *       happened.
 *   <li>The same seed gives the same numbers: samples, subsets and features are all determined by
 *       it (on one machine; PyTorch's CPU kernels may round differently elsewhere).
 *   <li>{@link #heldOutBaseline()} measures n held-out real images in exactly the same way: the
 *       floor. Evaluating an untrained generator gives the ceiling.
 * </ul>
 *
 * FD, the classifier score and the class histogram are always computed; KID (100 subsets of 1000,
 * or of half the samples when they are fewer than 2000) and precision/recall/density/coverage (k = 5) unless switched off, as the training-time
 * tracker does to stay cheap.
 */
public final class Evaluator implements AutoCloseable {

    /** StudioGAN's and the FID literature's sample count. */
    public static final int DEFAULT_SAMPLES = 10_000;

    /**
     * The sample counts gan eval, the REPL's /eval and the metrics word accept: fewer than 100
     * leave FD mostly noise; more than 50,000 take minutes per evaluation for no gain.
     */
    public static final int FEWEST_SAMPLES = 100;
    public static final int MOST_SAMPLES = 50_000;

    /** True when {@code n} is in [{@link #FEWEST_SAMPLES}, {@link #MOST_SAMPLES}]. */
    public static boolean acceptsSampleCount(int n) {
        return n >= FEWEST_SAMPLES && n <= MOST_SAMPLES;
    }

    private static final int GENERATE_BATCH = 500;

    private final EvaluationData data;
    private final FeatureNetwork features;
    private final boolean ownsFeatures;
    private final int samples;
    private final long seed;
    private final boolean kid;
    private final boolean manifold;
    private final int k;
    private final int kidSubsets;
    private final int kidSubsetSize;
    private Features reference;
    private FeatureStatistics referenceStatistics;
    private double[] referenceRadii;

    private Evaluator(Builder b) {
        this.data = b.data;
        this.samples = b.samples;
        this.seed = b.seed;
        this.kid = b.kid;
        this.manifold = b.manifold;
        this.k = b.k;
        this.kidSubsets = b.kidSubsets;
        this.kidSubsetSize = b.kidSubsetSize;
        if (b.features != null) {
            this.features = b.features;
            this.ownsFeatures = false;
        } else {
            this.features = FeatureNetwork.forData(data, b.log);
            this.ownsFeatures = true;
        }
    }

    /** Starts configuring an evaluator for {@code data}. */
    public static Builder builder(EvaluationData data) {
        return new Builder(data);
    }

    /**
     * An evaluator of {@code samples} samples, seed 1, every metric, for a generator trained on
     * {@code trainingData} (splits as {@link EvaluationData#of(Dataset)}; its feature network from
     * the default cache, trained there the first time).
     */
    public static Evaluator forData(Dataset trainingData, int samples) {
        return builder(EvaluationData.of(trainingData)).samples(samples).build();
    }

    public EvaluationData data() {
        return data;
    }

    public FeatureNetwork featureNetwork() {
        return features;
    }

    /** Samples per evaluation (and reference images, unless the reference data has fewer). */
    public int samples() {
        return samples;
    }

    public long seed() {
        return seed;
    }

    /** The features of the real reference images (computed on first use). */
    public Features referenceFeatures() {
        if (reference == null) {
            Dataset real = data.reference();
            reference = features.extract(real, choose(real.size(), Math.min(samples, real.size()), seed));
            referenceStatistics = FeatureStatistics.of(reference);
        }
        return reference;
    }

    /** The floor: n held-out real images measured against the reference as a generator's samples are. */
    public Evaluation heldOutBaseline() {
        long started = System.nanoTime();
        Dataset held = data.heldOut();
        int n = Math.min(samples, held.size());
        Features f = features.extract(held, choose(held.size(), n, seed + 1));
        return measure("held-out real images", f, null, started);
    }

    /** The generator's samples against the reference, as "generator". */
    public Evaluation evaluate(Gan gan) {
        return evaluate(gan, "generator");
    }

    /** The generator's samples against the reference, named {@code subject}. */
    public Evaluation evaluate(Gan gan, String subject) {
        long started = System.nanoTime();
        if (!gan.sampleShape().equals(features.network().inputShape())) {
            throw new GanymedeException("the generator makes samples of shape " + Shapes.format(gan.sampleShape())
                    + " but the feature network of '" + data.id() + "' reads "
                    + Shapes.format(features.network().inputShape()));
        }
        int size = (int) gan.sampleShape().size();
        float[] noise = gan.latent().fixedBatch(samples, seed);
        int noiseSize = (int) gan.latent().shape().size();
        int[] labels = null;
        if (gan.isConditional()) {
            if (gan.numClasses() != data.classes()) {
                throw new GanymedeException("the generator is conditional on " + gan.numClasses()
                        + " classes but the data '" + data.id() + "' has " + data.classes());
            }
            labels = new int[samples];
            for (int i = 0; i < samples; i++) {
                labels[i] = i % gan.numClasses();
            }
        }
        float[] images = new float[samples * size];
        try (NDManager manager = Backend.engine().newBaseManager(gan.generator().device())) {
            for (int from = 0; from < samples; from += GENERATE_BATCH) {
                int n = Math.min(GENERATE_BATCH, samples - from);
                float[] z = java.util.Arrays.copyOfRange(noise, from * noiseSize, (from + n) * noiseSize);
                int[] y = labels == null ? null : java.util.Arrays.copyOfRange(labels, from, from + n);
                float[] out = gan.generate(z, y, n, manager);
                System.arraycopy(out, 0, images, from * size, n * size);
            }
        }
        return evaluateImages(images, samples, labels, subject, started);
    }

    /**
     * Any images (in the reference data's value range) against the reference; {@code labels} are
     * the classes they were generated for, or null.
     */
    public Evaluation evaluateImages(float[] images, int count, int[] labels, String subject) {
        return evaluateImages(images, count, labels, subject, System.nanoTime());
    }

    private Evaluation evaluateImages(float[] images, int count, int[] labels, String subject, long started) {
        float[] range = data.reference().valueRange();
        for (int i = 0; i < images.length; i++) {
            if (Float.isNaN(images[i])) {
                throw new GanymedeException("the " + subject + "'s samples contain NaN (at value " + i
                        + "): the network has diverged");
            }
        }
        Features f = features.extract(images, count, range[0], range[1]);
        return measure(subject, f, labels, started);
    }

    private Evaluation measure(String subject, Features f, int[] labels, long started) {
        Features real = referenceFeatures();
        double fd = FrechetDistance.between(referenceStatistics, FeatureStatistics.of(f));
        double kidMean = Double.NaN;
        double kidStd = Double.NaN;
        if (kid) {
            int size = KernelDistance.subsetSize(kidSubsetSize, Math.min(real.count(), f.count()));
            KernelDistance kd = KernelDistance.between(real, f, kidSubsets, size, seed ^ 0x4B1DL);
            kidMean = kd.mean();
            kidStd = kd.std();
        }
        ManifoldMetrics mm = null;
        if (manifold) {
            if (referenceRadii == null) {
                referenceRadii = ManifoldMetrics.radii(real, k);
            }
            mm = ManifoldMetrics.between(real, referenceRadii, f, k);
        }
        ClassifierScore score = ClassifierScore.of(f, Math.min(ClassifierScore.DEFAULT_SPLITS, f.count()));
        ClassHistogram histogram = ClassHistogram.of(f);
        double labelAccuracy = Double.NaN;
        if (labels != null) {
            int[] predicted = f.predictedClasses();
            int agree = 0;
            for (int i = 0; i < labels.length; i++) {
                if (predicted[i] == labels[i]) {
                    agree++;
                }
            }
            labelAccuracy = agree / (double) labels.length;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Evaluation(subject, f.count(), real.count(), fd, kidMean, kidStd,
                mm == null ? Double.NaN : mm.precision(), mm == null ? Double.NaN : mm.recall(),
                mm == null ? Double.NaN : mm.density(), mm == null ? Double.NaN : mm.coverage(),
                score.mean(), score.std(), histogram, histogram.klToUniform(), labelAccuracy, seconds);
    }

    /** {@code count} distinct indices below {@code size}, in random order (all of them when count = size). */
    static int[] choose(int size, int count, long seed) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(size - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return java.util.Arrays.copyOf(order, count);
    }

    /** Closes the feature network if the evaluator loaded it. */
    @Override
    public void close() {
        if (ownsFeatures) {
            features.close();
        }
    }

    /** Options of an {@link Evaluator}. */
    public static final class Builder {
        private final EvaluationData data;
        private int samples = DEFAULT_SAMPLES;
        private long seed = 1;
        private boolean kid = true;
        private boolean manifold = true;
        private int k = ManifoldMetrics.DEFAULT_K;
        private int kidSubsets = KernelDistance.DEFAULT_SUBSETS;
        private int kidSubsetSize = KernelDistance.DEFAULT_SUBSET_SIZE;
        private FeatureNetwork features;
        private Consumer<String> log;

        private Builder(EvaluationData data) {
            if (data == null) {
                throw new IllegalArgumentException("an evaluator needs evaluation data");
            }
            this.data = data;
        }

        /** Samples per evaluation (default 10,000; at least 10). */
        public Builder samples(int n) {
            if (n < 10) {
                throw new GanymedeException("the metrics need at least 10 samples, got " + n
                        + " (and FD is only comparable between evaluations with the same number)");
            }
            this.samples = n;
            return this;
        }

        /** Seed of the latent noise, the reference sample and KID's subsets (default 1). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Whether to compute KID (default true). */
        public Builder kid(boolean on) {
            this.kid = on;
            return this;
        }

        /** Whether to compute precision, recall, density and coverage (default true). */
        public Builder manifold(boolean on) {
            this.manifold = on;
            return this;
        }

        /**
         * KID's random subsets: {@code subsets} of {@code size} samples per side (default 100 of
         * 1000, as torchmetrics; at most half the samples, {@link KernelDistance#subsetSize}).
         */
        public Builder kidSubsets(int subsets, int size) {
            if (subsets < 1 || size < 2) {
                throw new IllegalArgumentException("KID needs at least 1 subset of at least 2 samples, got "
                        + subsets + " of " + size);
            }
            this.kidSubsets = subsets;
            this.kidSubsetSize = size;
            return this;
        }

        /** The neighbour that makes the manifold balls (default 5). */
        public Builder neighbours(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + value);
            }
            this.k = value;
            return this;
        }

        /** A feature network to use (the caller closes it); by default the data's own, cached one. */
        public Builder featureNetwork(FeatureNetwork network) {
            this.features = network;
            return this;
        }

        /** Where to say that the feature network is being trained (default: nowhere). */
        public Builder log(Consumer<String> sink) {
            this.log = sink;
            return this;
        }

        /** Loads (or trains) the feature network and returns the evaluator. */
        public Evaluator build() {
            return new Evaluator(this);
        }
    }
}
