package dev.ganymede.engine.output;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tiles a batch of generated images into one picture, the way torchvision's {@code make_grid} does:
 * cells of {@code height × width} pixels separated and framed by {@link #PADDING} pixels of a neutral
 * gray, {@code columns} cells to a row, filled row by row; the last row may be incomplete. The whole
 * picture is then enlarged by an integer {@code scale} (nearest neighbour, so pixels stay sharp), which
 * makes a grid of 28 × 28 digits readable on screen.
 *
 * <p>Images are given as one {@code float[]} in sample-major CHW order (sample, channel, row, column),
 * the layout of a {@code (N, C, H, W)} tensor's data. Values are mapped linearly from {@code [low, high]}
 * to 0..255 and clamped; NaN shows as {@code low}. One channel gives a grayscale picture, three give
 * RGB.
 *
 * <p>Two labelled variants put a short text to the left of every row: {@link #writeRows} (one row per
 * class of a conditional generator) and {@link #writeProgression} (one row per epoch, showing the same
 * latent vectors as training goes on).
 *
 * <p>The {@code render…} methods return the picture as a {@link BufferedImage#TYPE_INT_RGB} image (for
 * animations, see {@link GifWriter}); the {@code write…} methods store it as PNG, as an 8-bit grayscale
 * PNG when the images have one channel.
 */
public final class SampleGrid {

    /** Pixels between cells and around the grid, before scaling (torchvision's default). */
    public static final int PADDING = 2;

    /** Gray level (0..255) of the padding between cells. */
    public static final int PADDING_GRAY = 128;

    private static final int LABEL_BACKGROUND = 0xFFFFFF;
    private static final Color LABEL_COLOR = new Color(0x20, 0x20, 0x20);

    private SampleGrid() {}

    /**
     * The enlargement used when none is given: 2 for images of at most 32 pixels on their longer side,
     * 1 for larger ones.
     */
    public static int defaultScale(int height, int width) {
        return Math.max(height, width) <= 32 ? 2 : 1;
    }

    /** The {@code [width, height]} in pixels of an unlabelled grid of {@code count} images. */
    public static int[] gridSize(int count, int columns, int height, int width, int scale) {
        int cols = Math.min(columns, count);
        int rows = (count + cols - 1) / cols;
        return new int[] {
            scale * (cols * (width + PADDING) + PADDING), scale * (rows * (height + PADDING) + PADDING)
        };
    }

    // ---------------------------------------------------------------- plain grid

    /** Writes the grid of {@code count} images as PNG, enlarged by {@link #defaultScale}. */
    public static void write(
            float[] images, int count, int channels, int height, int width, int columns, float low, float high, Path file)
            throws IOException {
        write(images, count, channels, height, width, columns, low, high, defaultScale(height, width), file);
    }

    /** Writes the grid of {@code count} images as PNG, enlarged by {@code scale}. */
    public static void write(
            float[] images,
            int count,
            int channels,
            int height,
            int width,
            int columns,
            float low,
            float high,
            int scale,
            Path file)
            throws IOException {
        Png.write(render(images, count, channels, height, width, columns, low, high, scale), channels == 1, file);
    }

    /** The grid of {@code count} images, enlarged by {@link #defaultScale}. */
    public static BufferedImage render(
            float[] images, int count, int channels, int height, int width, int columns, float low, float high) {
        return render(images, count, channels, height, width, columns, low, high, defaultScale(height, width));
    }

    /** The grid of {@code count} images, enlarged by {@code scale}; see {@link #gridSize} for its size. */
    public static BufferedImage render(
            float[] images, int count, int channels, int height, int width, int columns, float low, float high, int scale) {
        Images.headless();
        checkImages(images, count, channels, height, width, low, high, scale);
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be at least 1, got " + columns);
        }
        int[] size = gridSize(count, columns, height, width, scale);
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        paintGrid(image, 0, images, 0, count, Math.min(columns, count), channels, height, width, low, high, scale);
        return image;
    }

    // ---------------------------------------------------------------- labelled rows

    /**
     * Writes one labelled row per entry of {@code labels} (for a conditional generator: one row per
     * class), enlarged by {@link #defaultScale}. {@code images} holds {@code labels.size() × perRow}
     * images, row after row.
     */
    public static void writeRows(
            List<String> labels,
            float[] images,
            int perRow,
            int channels,
            int height,
            int width,
            float low,
            float high,
            Path file)
            throws IOException {
        writeRows(labels, images, perRow, channels, height, width, low, high, defaultScale(height, width), file);
    }

    /** As {@link #writeRows(List, float[], int, int, int, int, float, float, Path)}, enlarged by {@code scale}. */
    public static void writeRows(
            List<String> labels,
            float[] images,
            int perRow,
            int channels,
            int height,
            int width,
            float low,
            float high,
            int scale,
            Path file)
            throws IOException {
        Png.write(renderRows(labels, images, perRow, channels, height, width, low, high, scale), channels == 1, file);
    }

    /** The labelled rows of {@link #writeRows}, as an image. */
    public static BufferedImage renderRows(
            List<String> labels,
            float[] images,
            int perRow,
            int channels,
            int height,
            int width,
            float low,
            float high,
            int scale) {
        Images.headless();
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("at least one row label is needed");
        }
        if (perRow < 1) {
            throw new IllegalArgumentException("perRow must be at least 1, got " + perRow);
        }
        checkImages(images, labels.size() * perRow, channels, height, width, low, high, scale);
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < labels.size(); r++) {
            rows.add(images);
        }
        return labelled(labels, rows, true, perRow, channels, height, width, low, high, scale);
    }

    // ---------------------------------------------------------------- epoch progression

    /**
     * Writes an "epoch progression" figure, enlarged by {@link #defaultScale}: one row per epoch (in
     * ascending order), labelled "Epoch e", showing the first {@code perRow} images of the batch the
     * generator made from the fixed latent vectors at the end of that epoch.
     */
    public static void writeProgression(
            Map<Integer, float[]> batchesByEpoch,
            int perRow,
            int channels,
            int height,
            int width,
            float low,
            float high,
            Path file)
            throws IOException {
        writeProgression(
                batchesByEpoch, perRow, channels, height, width, low, high, defaultScale(height, width), file);
    }

    /** As {@link #writeProgression(Map, int, int, int, int, float, float, Path)}, enlarged by {@code scale}. */
    public static void writeProgression(
            Map<Integer, float[]> batchesByEpoch,
            int perRow,
            int channels,
            int height,
            int width,
            float low,
            float high,
            int scale,
            Path file)
            throws IOException {
        Png.write(
                renderProgression(batchesByEpoch, perRow, channels, height, width, low, high, scale),
                channels == 1,
                file);
    }

    /** The epoch progression of {@link #writeProgression}, as an image. */
    public static BufferedImage renderProgression(
            Map<Integer, float[]> batchesByEpoch,
            int perRow,
            int channels,
            int height,
            int width,
            float low,
            float high,
            int scale) {
        Images.headless();
        if (batchesByEpoch.isEmpty()) {
            throw new IllegalArgumentException("at least one epoch is needed");
        }
        if (perRow < 1) {
            throw new IllegalArgumentException("perRow must be at least 1, got " + perRow);
        }
        List<String> labels = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (Map.Entry<Integer, float[]> e : new TreeMap<>(batchesByEpoch).entrySet()) {
            checkImages(e.getValue(), perRow, channels, height, width, low, high, scale);
            labels.add("Epoch " + e.getKey());
            rows.add(e.getValue());
        }
        return labelled(labels, rows, false, perRow, channels, height, width, low, high, scale);
    }

    /**
     * About {@code rows} epochs from 1 to {@code lastEpoch} to show in a progression figure, spaced
     * evenly on a log scale and rounded to 1, 2 or 5 times a power of ten (the last epoch is kept as
     * it is): 20 epochs and 5 rows give 1, 2, 5, 10, 20. Fewer are returned when they coincide.
     */
    public static List<Integer> progressionEpochs(int lastEpoch, int rows) {
        if (lastEpoch < 1 || rows < 1) {
            throw new IllegalArgumentException("lastEpoch and rows must be at least 1");
        }
        List<Integer> epochs = new ArrayList<>();
        if (rows == 1) {
            epochs.add(lastEpoch);
            return epochs;
        }
        for (int i = 0; i < rows; i++) {
            double ideal = Math.pow(lastEpoch, i / (double) (rows - 1));
            int epoch = i == rows - 1 ? lastEpoch : roundNicely(ideal);
            if (epoch >= lastEpoch && i < rows - 1) {
                continue;
            }
            if (epochs.isEmpty() || epoch > epochs.get(epochs.size() - 1)) {
                epochs.add(epoch);
            }
        }
        return epochs;
    }

    private static int roundNicely(double value) {
        int best = 1;
        double bestDistance = Double.MAX_VALUE;
        for (long power = 1; power <= 1_000_000_000L; power *= 10) {
            for (int m : new int[] {1, 2, 4, 5}) { // 1, 2, 4, 10, 20: the epochs of seed 002's figure
                double distance = Math.abs(Math.log(m * power) - Math.log(value));
                if (distance < bestDistance - 1e-9) { // a tie (√20 between 4 and 5) keeps the smaller
                    bestDistance = distance;
                    best = (int) (m * power);
                }
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- painting

    /**
     * Labels at the left, then the grid. {@code consecutive}: row r starts at image r × perRow of its
     * array; otherwise every row starts at image 0 of its own array.
     */
    private static BufferedImage labelled(
            List<String> labels,
            List<float[]> rows,
            boolean consecutive,
            int perRow,
            int channels,
            int height,
            int width,
            float low,
            float high,
            int scale) {
        int cellHeight = scale * (height + PADDING);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(11, Math.min(16, Math.round(cellHeight * 0.32f))));
        int margin = Math.max(6, font.getSize() / 2);

        // measure the labels on a scratch image
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = scratch.createGraphics();
        FontMetrics metrics = measure.getFontMetrics(font);
        int labelWidth = 0;
        for (String label : labels) {
            labelWidth = Math.max(labelWidth, metrics.stringWidth(label));
        }
        measure.dispose();
        int labelColumn = labelWidth + 2 * margin;

        int[] grid = gridSize(labels.size() * perRow, perRow, height, width, scale);
        int gridWidth = grid[0];
        int gridHeight = grid[1];
        BufferedImage image = new BufferedImage(labelColumn + gridWidth, gridHeight, BufferedImage.TYPE_INT_RGB);
        fillRect(image, 0, 0, labelColumn, gridHeight, LABEL_BACKGROUND);
        fillRect(image, labelColumn, 0, gridWidth, gridHeight, gray(PADDING_GRAY));
        for (int r = 0; r < labels.size(); r++) {
            int first = consecutive ? r * perRow : 0;
            paintCells(image, labelColumn, r, rows.get(r), first, perRow, perRow, channels, height, width, low, high, scale);
        }

        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setFont(font);
        g.setColor(LABEL_COLOR);
        metrics = g.getFontMetrics();
        for (int r = 0; r < labels.size(); r++) {
            String label = labels.get(r);
            int centreY = scale * PADDING + r * cellHeight + scale * height / 2;
            int baseline = centreY + (metrics.getAscent() - metrics.getDescent()) / 2;
            g.drawString(label, labelColumn - margin - metrics.stringWidth(label), baseline);
        }
        g.dispose();
        return image;
    }

    private static void paintGrid(
            BufferedImage image,
            int left,
            float[] images,
            int first,
            int count,
            int columns,
            int channels,
            int height,
            int width,
            float low,
            float high,
            int scale) {
        fillRect(image, left, 0, image.getWidth() - left, image.getHeight(), gray(PADDING_GRAY));
        int rows = (count + columns - 1) / columns;
        for (int r = 0; r < rows; r++) {
            int inRow = Math.min(columns, count - r * columns);
            paintCells(image, left, r, images, first + r * columns, inRow, columns, channels, height, width, low, high, scale);
        }
    }

    /** Paints {@code inRow} images, starting at image {@code first} of {@code images}, into grid row {@code row}. */
    private static void paintCells(
            BufferedImage image,
            int left,
            int row,
            float[] images,
            int first,
            int inRow,
            int columns,
            int channels,
            int height,
            int width,
            float low,
            float high,
            int scale) {
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int stride = image.getWidth();
        int plane = height * width;
        float factor = 255f / (high - low);
        for (int c = 0; c < inRow; c++) {
            int base = (first + c) * channels * plane;
            int x0 = left + scale * (PADDING + c * (width + PADDING));
            int y0 = scale * (PADDING + row * (height + PADDING));
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int offset = base + y * width + x;
                    int rgb;
                    if (channels == 1) {
                        rgb = gray(level(images[offset], low, factor));
                    } else {
                        rgb = level(images[offset], low, factor) << 16
                                | level(images[offset + plane], low, factor) << 8
                                | level(images[offset + 2 * plane], low, factor);
                    }
                    int py = y0 + y * scale;
                    int px = x0 + x * scale;
                    for (int dy = 0; dy < scale; dy++) {
                        int at = (py + dy) * stride + px;
                        for (int dx = 0; dx < scale; dx++) {
                            pixels[at + dx] = rgb;
                        }
                    }
                }
            }
        }
    }

    /** {@code value} in [low, high] to 0..255, rounding half up like torchvision's save_image; NaN gives 0. */
    private static int level(float value, float low, float factor) {
        float scaled = (value - low) * factor;
        if (!(scaled > 0f)) {
            return 0; // also NaN
        }
        if (scaled >= 255f) {
            return 255;
        }
        return (int) (scaled + 0.5f);
    }

    private static int gray(int level) {
        return level << 16 | level << 8 | level;
    }

    private static void fillRect(BufferedImage image, int x, int y, int w, int h, int rgb) {
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int stride = image.getWidth();
        for (int row = y; row < y + h; row++) {
            Arrays.fill(pixels, row * stride + x, row * stride + x + w, rgb);
        }
    }

    private static void checkImages(
            float[] images, int count, int channels, int height, int width, float low, float high, int scale) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images must have 1 (grayscale) or 3 (RGB) channels, got " + channels);
        }
        if (count < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "count, height and width must be positive, got " + count + ", " + height + ", " + width);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        if (!(high > low)) {
            throw new IllegalArgumentException("the value range [" + low + ", " + high + "] is empty");
        }
        long needed = (long) count * channels * height * width;
        if (images.length < needed) {
            throw new IllegalArgumentException("expected " + count + " images of " + channels + "×" + height + "×"
                    + width + " = " + needed + " values, got " + images.length);
        }
    }

    /** PNG output shared by the grid writers. */
    static final class Png {
        private Png() {}

        /** Writes {@code image}; as 8-bit grayscale when {@code gray} (the image must hold only grays then). */
        static void write(BufferedImage image, boolean gray, Path file) throws IOException {
            BufferedImage out = image;
            if (gray) {
                // copy the red samples: drawing onto a TYPE_BYTE_GRAY image would apply a gamma conversion
                out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
                WritableRaster target = out.getRaster();
                int[] row = new int[image.getWidth()];
                for (int y = 0; y < image.getHeight(); y++) {
                    image.getRaster().getSamples(0, y, image.getWidth(), 1, 0, row);
                    target.setSamples(0, y, image.getWidth(), 1, 0, row);
                }
            }
            Images.writePng(out, file);
        }
    }
}
