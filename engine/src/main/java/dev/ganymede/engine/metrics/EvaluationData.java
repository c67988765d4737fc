package dev.ganymede.engine.metrics;

import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.data.IdxDataset;
import dev.ganymede.engine.data.SyntheticDigits;
import dev.ganymede.engine.nn.Shapes;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The real images a generator is measured against, in three roles:
 *
 * <ul>
 *   <li><b>reference</b>: the data the generator learned from; generated samples are compared
 *       with a random sample of it;
 *   <li><b>held out</b>: real images of the same kind it never saw; compared with the reference in
 *       exactly the same way, they give the floor of every metric (what a perfect generator,
 *       drawing new images from the data's own distribution, would score);
 *   <li><b>classifier training</b>: what the feature network learns from (and it is tested on the
 *       held-out images).
 * </ul>
 *
 * {@link #of(Dataset)} knows the data sets of {@link dev.ganymede.engine.data.Datasets}:
 *
 * <table>
 *   <caption>Splits</caption>
 *   <tr><th>training data</th><th>held out</th><th>feature network learns from</th></tr>
 *   <tr><td>built-in digits (any seed)</td><td>10,000 digits of seed {@value #HELD_OUT_SEED}</td>
 *       <td>20,000 digits of seed {@value #CLASSIFIER_SEED}: one feature network for every digits run,
 *       whatever its seed, so their FDs compare</td></tr>
 *   <tr><td>Fashion-MNIST or IDX files</td><td>the test split (t10k files) next to them</td>
 *       <td>the training split</td></tr>
 *   <tr><td>an image folder with class sub-folders</td><td>every 6th image (1/6, as MNIST's 10,000 of
 *       70,000)</td><td>the other 5/6, which are also the reference</td></tr>
 * </table>
 *
 * The {@link #id()} names the data in file names: "digits", or the data set's name and a hash of
 * its content ("fashion-mnist-5c3e0a1f"), so a feature network is never reused for other data.
 */
public final class EvaluationData {

    /** Seed of the digits the feature network learns from (differs from the seeds scripts use). */
    public static final long CLASSIFIER_SEED = 0x5EEDFEA7L;

    /** Seed of the held-out digits. */
    public static final long HELD_OUT_SEED = 0x5EED7E57L;

    /** Held-out digits. */
    public static final int HELD_OUT_DIGITS = 10_000;

    /** Digits the feature network learns from. */
    public static final int CLASSIFIER_DIGITS = 20_000;

    private final String id;
    private final Dataset reference;
    private final Supplier<Dataset> heldOutSource;
    private final Supplier<Dataset> classifierSource;
    private Dataset heldOut;
    private Dataset classifierTraining;

    private EvaluationData(String id, Dataset reference, Supplier<Dataset> heldOut, Supplier<Dataset> classifierTraining) {
        this.id = sanitise(id);
        this.reference = reference;
        this.heldOutSource = heldOut;
        this.classifierSource = classifierTraining;
        check(reference, "reference");
    }

    private EvaluationData(String id, Dataset reference, Dataset heldOut, Dataset classifierTraining) {
        this(id, reference, () -> heldOut, () -> classifierTraining);
        heldOut();
        classifierTraining();
    }

    /** A held-out or classifier-training set, checked against the reference when first made. */
    private Dataset matching(Dataset data, String role) {
        check(data, role);
        if (!reference.sampleShape().equals(data.sampleShape())) {
            throw new GanymedeException("the " + role + " images of '" + id + "' have shape "
                    + Shapes.format(data.sampleShape()) + " but the reference images "
                    + Shapes.format(reference.sampleShape()));
        }
        if (reference.numClasses() != data.numClasses()) {
            throw new GanymedeException("the reference data of '" + id + "' has " + reference.numClasses()
                    + " classes but the " + role + " data " + data.numClasses());
        }
        return data;
    }

    /**
     * The splits for a generator trained on {@code trainingData} (see the table above).
     *
     * @throws GanymedeException for data that is not labelled images: the feature network is a classifier
     */
    public static EvaluationData of(Dataset trainingData) {
        check(trainingData, "training");
        if (trainingData instanceof SyntheticDigits) {
            // drawn only when needed: the classifier's digits when it is trained, the held-out ones for the floor
            boolean zeroToOne = trainingData.valueRange()[0] == 0f;
            return new EvaluationData("digits", trainingData,
                    () -> SyntheticDigits.generate(HELD_OUT_DIGITS, HELD_OUT_SEED, zeroToOne),
                    () -> SyntheticDigits.generate(CLASSIFIER_DIGITS, CLASSIFIER_SEED, zeroToOne));
        }
        if (trainingData instanceof IdxDataset idx) {
            Path folder = idx.imageFile().toAbsolutePath().getParent();
            Dataset test;
            if ("fashion-mnist".equals(idx.name())) {
                test = IdxDataset.fashionMnist(folder, false);
            } else {
                test = IdxDataset.load(folder, false);
            }
            return new EvaluationData(idx.name() + "-" + Hashes.hex8(Hashes.content(idx, test)), idx, test, idx);
        }
        if (trainingData.size() >= 12) { // an ImageFolder, or any other labelled images
            Dataset kept = Subset.everyNth(trainingData, 6, 5, false, trainingData.name());
            Dataset held = Subset.everyNth(trainingData, 6, 5, true, trainingData.name() + "-held-out");
            return new EvaluationData(trainingData.name() + "-" + Hashes.hex8(Hashes.content(trainingData)),
                    kept, held, kept);
        }
        throw new GanymedeException("the data set '" + trainingData.name() + "' has only " + trainingData.size()
                + " images: too few to hold some out for the metrics");
    }

    /**
     * Splits given explicitly: the feature network learns from {@code reference} and is tested on
     * {@code heldOut}. {@code id} names the cached feature network: give different data different ids.
     */
    public static EvaluationData of(String id, Dataset reference, Dataset heldOut) {
        return new EvaluationData(id, reference, heldOut, reference);
    }

    /** As {@link #of(String, Dataset, Dataset)}, the feature network learning from a third set. */
    public static EvaluationData of(String id, Dataset reference, Dataset heldOut, Dataset classifierTraining) {
        return new EvaluationData(id, reference, heldOut, classifierTraining);
    }

    /** A name for file names: lower case letters, digits, '-', '_' and '.'. */
    public String id() {
        return id;
    }

    public Dataset reference() {
        return reference;
    }

    /** The held-out images (the built-in digits draw theirs on first use). */
    public synchronized Dataset heldOut() {
        if (heldOut == null) {
            heldOut = matching(heldOutSource.get(), "held-out");
        }
        return heldOut;
    }

    /** The images the feature network learns from (the built-in digits draw theirs on first use). */
    public synchronized Dataset classifierTraining() {
        if (classifierTraining == null) {
            classifierTraining = matching(classifierSource.get(), "classifier-training");
        }
        return classifierTraining;
    }

    /** Number of classes the feature network tells apart. */
    public int classes() {
        return reference.numClasses();
    }

    @Override
    public String toString() {
        return id + ": " + reference.size() + " reference images of " + Shapes.format(reference.sampleShape())
                + ", " + classes() + " classes";
    }

    private static void check(Dataset data, String role) {
        if (data.sampleShape().dimension() != 3) {
            throw new GanymedeException("the metrics measure images in the feature space of a classifier, but the "
                    + role + " data '" + data.name() + "' has samples of shape " + Shapes.format(data.sampleShape())
                    + " (images are (channels, height, width))");
        }
        if (data.numClasses() < 2) {
            throw new GanymedeException("the metrics need labelled images to train their feature network (a"
                    + " classifier), but the " + role + " data '" + data.name() + "' "
                    + (data.numClasses() == 0 ? "has no labels" : "has a single class")
                    + ": put the images of an image folder in one sub-folder per class");
        }
    }

    private static String sanitise(String id) {
        String s = id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        if (s.isEmpty()) {
            throw new IllegalArgumentException("an evaluation data id needs letters or digits, got '" + id + "'");
        }
        return s;
    }
}
