package dev.ganymede.engine.data;

import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.GanymedeException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * PNG and JPEG images from a folder, for training on your own pictures.
 *
 * <ul>
 *   <li>Images directly in the folder: an unlabelled data set.
 *   <li>Images in sub-folders: one class per sub-folder, labels in alphabetical order of the
 *       sub-folder names ({@code cats/} = 0, {@code dogs/} = 1). Only the images directly inside
 *       each sub-folder are read.
 * </ul>
 *
 * Every image is cropped to its central square, resized to {@code size}x{@code size} with
 * bilinear interpolation (halving repeatedly first when shrinking a lot, so it does not alias), and
 * stored as gray (1 channel, luma) or RGB (3 channels, CHW order) in [-1, 1]. Transparent pixels
 * are drawn over black. Files are read in name order, so the data set is the same every time.
 */
public final class ImageFolder implements Dataset {

    private final String name;
    private final Shape sampleShape;
    private final int sampleSize;
    private final float[] data;
    private final int[] labels;
    private final List<String> classNames;
    private final List<Path> files;

    private ImageFolder(String name, int channels, int size, float[] data, int[] labels,
            List<String> classNames, List<Path> files) {
        this.name = name;
        this.sampleShape = new Shape(channels, size, size);
        this.sampleSize = channels * size * size;
        this.data = data;
        this.labels = labels;
        this.classNames = classNames;
        this.files = files;
    }

    /**
     * Reads every image of {@code folder} (or of its class sub-folders) as {@code channels} x
     * {@code size} x {@code size} samples; {@code channels} is 1 (gray) or 3 (RGB).
     */
    public static ImageFolder load(Path folder, int size, int channels) {
        if (size <= 0) {
            throw new IllegalArgumentException("the image size must be positive, got " + size);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 (gray) or 3 (RGB) channels, got " + channels);
        }
        if (!Files.exists(folder)) {
            throw new GanymedeException("image folder not found: " + folder);
        }
        if (!Files.isDirectory(folder)) {
            throw new GanymedeException("image folder " + folder + " is not a folder");
        }
        List<Path> topImages = list(folder, true);
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (Path sub : list(folder, false)) {
            List<Path> images = list(sub, true);
            if (!images.isEmpty()) {
                int label = classNames.size();
                classNames.add(sub.getFileName().toString());
                files.addAll(images);
                images.forEach(i -> labelList.add(label));
            }
        }
        boolean labelled = !classNames.isEmpty();
        if (labelled && !topImages.isEmpty()) {
            throw new GanymedeException("image folder " + folder + " mixes images (" + topImages.get(0).getFileName()
                    + ", ...) with class sub-folders (" + classNames.get(0) + "/, ...): put every image in a"
                    + " class sub-folder, or all of them directly in the folder for unlabelled data");
        }
        if (!labelled) {
            files = topImages;
        }
        if (files.isEmpty()) {
            throw new GanymedeException("no images in " + folder
                    + ": expected .png, .jpg or .jpeg files in it or in its class sub-folders");
        }
        int n = files.size();
        int sampleSize = channels * size * size;
        float[] data = new float[Math.multiplyExact(n, sampleSize)];
        GanymedeException[] errors = new GanymedeException[n];
        List<Path> paths = files;
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                decode(paths.get(i), size, channels, data, i * sampleSize);
            } catch (GanymedeException e) {
                errors[i] = e;
            }
        });
        for (GanymedeException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        int[] labels = null;
        if (labelled) {
            labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        }
        Path fileName = folder.toAbsolutePath().normalize().getFileName();
        return new ImageFolder(fileName == null ? "images" : fileName.toString(), channels, size, data,
                labels, List.copyOf(classNames), List.copyOf(files));
    }

    /** The image files, in sample order. */
    public List<Path> files() {
        return files;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public void copySample(int index, float[] dest, int offset) {
        Objects.checkIndex(index, files.size());
        System.arraycopy(data, index * sampleSize, dest, offset, sampleSize);
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, files.size());
        return labels == null ? -1 : labels[index];
    }

    @Override
    public String className(int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : Integer.toString(label);
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images of " + sampleShape
                + (classNames.isEmpty() ? ", unlabelled" : ", classes " + classNames);
    }

    /** Image files ({@code images}) or sub-folders (not {@code images}) of a folder, by name. */
    private static List<Path> list(Path folder, boolean images) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries
                    .filter(p -> images ? Files.isRegularFile(p) && isImage(p) : Files.isDirectory(p))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new GanymedeException("cannot list the folder " + folder + " (" + e + ")", e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private static void decode(Path file, int size, int channels, float[] dest, int offset) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new GanymedeException("cannot read the image " + file + " (" + e.getMessage() + ")", e);
        }
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            throw new GanymedeException("cannot read the image " + file
                    + ": not a PNG or JPEG file that Java's ImageIO can decode");
        }
        BufferedImage small = resize(image, size);
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = small.getRGB(x, y);
                float r = (rgb >> 16) & 0xFF;
                float g = (rgb >> 8) & 0xFF;
                float b = rgb & 0xFF;
                int at = offset + y * size + x;
                if (channels == 1) {
                    dest[at] = (0.299f * r + 0.587f * g + 0.114f * b) / 127.5f - 1f;
                } else {
                    dest[at] = r / 127.5f - 1f;
                    dest[at + plane] = g / 127.5f - 1f;
                    dest[at + 2 * plane] = b / 127.5f - 1f;
                }
            }
        }
    }

    /** The central square of {@code image}, bilinearly resized to size x size, as opaque RGB. */
    static BufferedImage resize(BufferedImage image, int size) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int x0 = (image.getWidth() - side) / 2;
        int y0 = (image.getHeight() - side) / 2;
        BufferedImage current = draw(image, x0, y0, side, side, side);
        // shrink by halves first: one bilinear step from far above the target would skip pixels
        while (side >= 2 * size) {
            side /= 2;
            current = draw(current, 0, 0, current.getWidth(), current.getHeight(), side);
        }
        return side == size ? current : draw(current, 0, 0, current.getWidth(), current.getHeight(), size);
    }

    private static BufferedImage draw(BufferedImage src, int x, int y, int w, int h, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, size, size, x, y, x + w, y + h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
