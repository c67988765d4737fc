package dev.ganymede.engine.data;

import dev.ganymede.engine.GanymedeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The data sets a seed or a command line can name.
 *
 * <table>
 *   <caption>Names</caption>
 *   <tr><th>name</th><th>data set</th></tr>
 *   <tr><td>{@code digits}</td><td>60,000 {@link SyntheticDigits}, 1x28x28 in [-1, 1], 10 classes</td></tr>
 *   <tr><td>{@code fashion-mnist}</td><td>Fashion-MNIST's 60,000 training images from
 *       /usr/share/datasets/fashion-mnist ({@link IdxDataset#fashionMnist(boolean)})</td></tr>
 *   <tr><td>{@code mnist:<folder>}</td><td>the training split of the IDX files in a folder</td></tr>
 *   <tr><td>{@code gaussian-1d}</td><td>100,000 draws of N(4, 1.25²) ({@link Gaussian1D})</td></tr>
 *   <tr><td>{@code ring}</td><td>100,000 points of 8 Gaussians on the unit circle ({@link GaussianMixture2D})</td></tr>
 *   <tr><td>{@code grid}</td><td>100,000 points of 25 Gaussians on a 5x5 grid</td></tr>
 *   <tr><td>{@code folder:<path>}</td><td>the images of a folder, 1x28x28 gray ({@link ImageFolder})</td></tr>
 *   <tr><td>{@code <path>}</td><td>a folder of IDX files, or else of images</td></tr>
 * </table>
 */
public final class Datasets {

    /** Samples in "digits". */
    public static final int DIGITS_SIZE = 60_000;

    /** Samples in "gaussian-1d", "ring" and "grid". */
    public static final int TOY_SIZE = 100_000;

    /** Side of the images "folder:" reads. */
    public static final int FOLDER_IMAGE_SIZE = 28;

    private static final List<String> NAMES = List.of("digits", "fashion-mnist", "mnist:<folder>",
            "gaussian-1d", "ring", "grid", "folder:<path>", "<path of an IDX or image folder>");

    private Datasets() {}

    /**
     * True for the built-in data sets of points rather than images ({@code gaussian-1d},
     * {@code ring}, {@code grid}), known from the name without making the data.
     */
    public static boolean isPoints(String name) {
        return name != null && POINTS.contains(name.strip());
    }

    private static final List<String> POINTS = List.of("gaussian-1d", "ring", "grid");

    /** The forms {@link #named} accepts, for help texts. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The data set called {@code name}; {@code seed} drives the synthetic ones and is ignored by
     * data read from files.
     */
    public static Dataset named(String name, long seed) {
        if (name == null || name.isBlank()) {
            throw new GanymedeException("no data set named; valid names: " + String.join(", ", NAMES));
        }
        String n = name.strip();
        switch (n) {
            case "digits":
                return SyntheticDigits.generate(DIGITS_SIZE, seed);
            case "fashion-mnist":
                return IdxDataset.fashionMnist(true);
            case "gaussian-1d":
                return Gaussian1D.standard(TOY_SIZE, seed);
            case "ring":
                return GaussianMixture2D.ring(TOY_SIZE, seed);
            case "grid":
                return GaussianMixture2D.grid(TOY_SIZE, seed);
            default:
                break;
        }
        if (n.startsWith("mnist:")) {
            return IdxDataset.load(path(n, "mnist:"), true, "mnist", null);
        }
        if (n.startsWith("folder:")) {
            return ImageFolder.load(path(n, "folder:"), FOLDER_IMAGE_SIZE, 1);
        }
        if (looksLikePath(n)) {
            Path folder = Path.of(n.startsWith("~/") ? System.getProperty("user.home") + n.substring(1) : n);
            if (!Files.isDirectory(folder)) {
                throw new GanymedeException("data set folder not found: " + folder
                        + " (valid names: " + String.join(", ", NAMES) + ")");
            }
            if (holdsIdx(folder)) {
                return IdxDataset.load(folder, true);
            }
            return ImageFolder.load(folder, FOLDER_IMAGE_SIZE, 1);
        }
        throw new GanymedeException("unknown data set '" + n + "'; valid names: " + String.join(", ", NAMES));
    }

    private static Path path(String name, String prefix) {
        String rest = name.substring(prefix.length()).strip();
        if (rest.isEmpty()) {
            throw new GanymedeException("'" + name + "' names no folder: write " + prefix + "<folder>");
        }
        if (rest.startsWith("~/")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Path.of(rest);
    }

    private static boolean looksLikePath(String n) {
        return n.contains("/") || n.contains("\\") || n.startsWith(".") || n.startsWith("~")
                || Files.isDirectory(Path.of(n));
    }

    private static boolean holdsIdx(Path folder) {
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte",
                "train-images.idx3-ubyte.gz", "train-images.idx3-ubyte")) {
            if (Files.isRegularFile(folder.resolve(f))) {
                return true;
            }
        }
        return false;
    }
}
