package dev.ganymede.engine.data;

import dev.ganymede.engine.GanymedeException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * MNIST-style data read from IDX files: an image file ({@code train-images-idx3-ubyte}, magic
 * 0x00000803: count, rows, columns, then one unsigned byte per pixel) and a label file
 * ({@code train-labels-idx1-ubyte}, magic 0x00000801: count, then one byte per label), gzipped
 * ({@code .gz}) or not; the test split uses the prefix {@code t10k}. Pixels are scaled to [-1, 1].
 *
 * <p>Everything is checked: magic numbers, sizes, that the two files agree, and that labels name a
 * class. Any problem is a {@link GanymedeException} whose message names the file and what is wrong.
 */
public final class IdxDataset extends ByteImages {

    /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
    public static final Path FASHION_MNIST_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

    /** Fashion-MNIST's ten classes, in label order. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser",
            "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private final List<String> classNames;
    private final Path imageFile;
    private final Path labelFile;

    private IdxDataset(String name, int rows, int cols, byte[] pixels, int[] labels, int numClasses,
            List<String> classNames, Path imageFile, Path labelFile) {
        super(name, 1, rows, cols, pixels, labels, numClasses, false);
        this.classNames = classNames;
        this.imageFile = imageFile;
        this.labelFile = labelFile;
    }

    /**
     * The training ({@code train}) or test split of the IDX files in {@code folder}, named after
     * the folder, with classes "0".."9".
     */
    public static IdxDataset load(Path folder, boolean train) {
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return load(folder, train, name == null ? "idx" : name.toString(), null);
    }

    /**
     * As {@link #load(Path, boolean)}, with a data set name and the class names in label order
     * ({@code null} for "0", "1", ...). The test split's name gets the suffix "-test".
     */
    public static IdxDataset load(Path folder, boolean train, String name, List<String> classNames) {
        if (!Files.isDirectory(folder)) {
            throw new GanymedeException(Files.exists(folder)
                    ? "IDX folder " + folder + " is not a folder"
                    : "IDX folder not found: " + folder);
        }
        String prefix = train ? "train" : "t10k";
        Path images = find(folder, prefix, "images", "idx3-ubyte");
        Path labels = find(folder, prefix, "labels", "idx1-ubyte");
        return read(images, labels, train ? name : name + "-test", classNames);
    }

    /** Fashion-MNIST from {@link #FASHION_MNIST_FOLDER}: 60,000 training or 10,000 test images. */
    public static IdxDataset fashionMnist(boolean train) {
        return fashionMnist(FASHION_MNIST_FOLDER, train);
    }

    /** Fashion-MNIST from IDX files in {@code folder}, with its class names. */
    public static IdxDataset fashionMnist(Path folder, boolean train) {
        if (!Files.isDirectory(folder)) {
            throw new GanymedeException("Fashion-MNIST not found: there is no folder " + folder
                    + "; install it with `apt-get install dataset-fashion-mnist`, or pass a folder"
                    + " holding its IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, ...)");
        }
        return load(folder, train, "fashion-mnist", FASHION_MNIST_CLASSES);
    }

    /** An image file and a label file given explicitly. */
    public static IdxDataset read(Path imageFile, Path labelFile, String name, List<String> classNames) {
        byte[][] header = new byte[1][];
        byte[] pixels = readIdx(imageFile, IMAGES_MAGIC, 3, header);
        int count = readInt(header[0], 4);
        int rows = readInt(header[0], 8);
        int cols = readInt(header[0], 12);
        byte[] labelBytes = readIdx(labelFile, LABELS_MAGIC, 1, header);
        int labelCount = readInt(header[0], 4);
        if (labelCount != count) {
            throw new GanymedeException("IDX files disagree: " + labelFile + " holds " + labelCount
                    + " labels but " + imageFile + " holds " + count + " images");
        }
        int[] labels = new int[count];
        int max = 0;
        for (int i = 0; i < count; i++) {
            labels[i] = labelBytes[i] & 0xFF;
            max = Math.max(max, labels[i]);
            if (classNames != null && labels[i] >= classNames.size()) {
                throw new GanymedeException(labelFile + ": label " + labels[i] + " of sample " + i
                        + " is not one of the " + classNames.size() + " classes (0.."
                        + (classNames.size() - 1) + ")");
            }
        }
        int numClasses = classNames != null ? classNames.size() : max + 1;
        return new IdxDataset(name, rows, cols, pixels, labels, numClasses,
                classNames == null ? null : List.copyOf(classNames), imageFile, labelFile);
    }

    @Override
    public String className(int label) {
        if (classNames != null && label >= 0 && label < classNames.size()) {
            return classNames.get(label);
        }
        return Integer.toString(label);
    }

    /** The image file the data came from. */
    public Path imageFile() {
        return imageFile;
    }

    /** The label file the data came from. */
    public Path labelFile() {
        return labelFile;
    }

    @Override
    public String toString() {
        return super.toString() + " from " + imageFile;
    }

    /** {@code prefix-kind-suffix} with or without .gz, also in the spelling {@code prefix-kind.suffix}. */
    private static Path find(Path folder, String prefix, String kind, String suffix) {
        String[] names = {
            prefix + "-" + kind + "-" + suffix + ".gz",
            prefix + "-" + kind + "-" + suffix,
            prefix + "-" + kind + "." + suffix + ".gz",
            prefix + "-" + kind + "." + suffix,
        };
        for (String n : names) {
            Path p = folder.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new GanymedeException("IDX file not found: " + folder.resolve(names[0]) + " (nor "
                + names[1] + ") in " + folder);
    }

    /**
     * Reads an IDX file of unsigned bytes with {@code dims} dimensions; returns the data and puts
     * the header (magic and sizes) in {@code header[0]}.
     */
    static byte[] readIdx(Path file, int expectedMagic, int dims, byte[][] header) {
        if (!Files.isRegularFile(file)) {
            throw new GanymedeException("IDX file not found: " + file);
        }
        try (InputStream in = open(file)) {
            int headerSize = 4 + 4 * dims;
            byte[] head = in.readNBytes(headerSize);
            if (head.length < 4) {
                throw new GanymedeException(file + ": too short to be an IDX file (" + head.length + " bytes)");
            }
            int magic = readInt(head, 0);
            if (magic != expectedMagic) {
                throw new GanymedeException(file + ": bad magic number " + hex(magic) + ", expected "
                        + hex(expectedMagic) + " (" + describe(expectedMagic) + ")"
                        + (magic == IMAGES_MAGIC || magic == LABELS_MAGIC ? "; it holds " + describe(magic) : ""));
            }
            if (head.length < headerSize) {
                throw new GanymedeException(file + ": truncated IDX header (" + head.length + " of "
                        + headerSize + " bytes)");
            }
            long total = 1;
            StringBuilder sizes = new StringBuilder();
            for (int d = 0; d < dims; d++) {
                int n = readInt(head, 4 + 4 * d);
                if (n <= 0) {
                    throw new GanymedeException(file + ": dimension " + d + " has size " + n);
                }
                total *= n;
                sizes.append(d == 0 ? "" : "x").append(n);
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new GanymedeException(file + ": " + sizes + " values are too many to hold in memory");
            }
            byte[] data = in.readNBytes((int) total);
            if (data.length < total) {
                throw new GanymedeException(file + ": truncated: the header announces " + sizes + " = "
                        + total + " bytes of data but only " + data.length + " follow");
            }
            if (in.read() != -1) {
                throw new GanymedeException(file + ": unexpected bytes after the " + sizes
                        + " values the header announces");
            }
            header[0] = head;
            return data;
        } catch (ZipException | EOFException e) {
            throw new GanymedeException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new GanymedeException(file + ": cannot read (" + e + ")", e);
        }
    }

    /** The file's stream, decompressed when it starts with the gzip signature 1f 8b. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    private static String describe(int magic) {
        return magic == IMAGES_MAGIC ? "unsigned-byte images, 3 dimensions"
                : magic == LABELS_MAGIC ? "unsigned-byte labels, 1 dimension" : "?";
    }
}
