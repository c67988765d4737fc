package dev.ganymede.engine.output

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

import javax.imageio.ImageIO
import java.awt.image.BufferedImage
import java.nio.file.Path

@Title("SampleGrid: a batch of generated images tiled into one PNG, like torchvision's make_grid")
@Narrative("""
Images arrive as one float array in sample-major CHW order, with values in a known range (usually
[-1, 1], the range of a tanh output). The grid puts them in cells separated and framed by 2 pixels
of gray, fills rows of a given number of columns, and enlarges everything by an integer factor so
28 × 28 digits are readable. Values map linearly to 0..255 and are clamped.

Labelled variants put a class name, or "Epoch e", to the left of every row.
""")
class SampleGridSpec extends Specification {

    @TempDir Path dir

    def "#count images of #h×#w in #columns columns at scale #scale make a #width × #height picture"() {
        given: "a batch of images"
        float[] images = new float[count * h * w]

        when: "the grid is written and read back"
        def file = dir.resolve("grid.png")
        SampleGrid.write(images, count, 1, h, w, columns, -1f, 1f, scale, file)
        def png = ImageIO.read(file.toFile())

        then: "its size is scale × (cells × (side + 2) + 2) in both directions"
        png.width == width
        png.height == height

        and: "the size helper agrees"
        SampleGrid.gridSize(count, columns, h, w, scale) == [width, height] as int[]

        where: "an incomplete last row still takes a whole row; fewer images than columns narrow the grid"
        count | columns | h  | w  | scale || width | height
        64    | 8       | 28 | 28 | 2     || 484   | 484     // the usual 8 × 8 MNIST grid
        10    | 8       | 28 | 28 | 1     || 242   | 62      // two rows, the second one incomplete
        3     | 8       | 28 | 28 | 1     || 92    | 32      // fewer images than columns
        16    | 4       | 64 | 64 | 1     || 266   | 266     // CelebA-sized cells
        7     | 3       | 5  | 9  | 3     || 105   | 69      // non-square cells, scale 3
    }

    def "without a scale, #h×#w images are enlarged #expected times"() {
        when:
        def file = dir.resolve("default.png")
        SampleGrid.write(new float[4 * h * w], 4, 1, h, w, 2, -1f, 1f, file)

        then: "small images are doubled, large ones kept"
        ImageIO.read(file.toFile()).width == expected * (2 * (w + 2) + 2)
        SampleGrid.defaultScale(h, w) == expected

        where:
        h  | w  || expected
        28 | 28 || 2
        32 | 32 || 2
        64 | 64 || 1
        16 | 48 || 1
    }

    def "a gray value of #value in [#low, #high] is stored as #level"() {
        given: "one 1 × 1 grayscale image"
        float[] image = [value] as float[]

        when: "it is written at scale 1 and read back"
        def file = dir.resolve("gray.png")
        SampleGrid.write(image, 1, 1, 1, 1, 1, low as float, high as float, 1, file)
        def png = ImageIO.read(file.toFile())

        then: "the PNG is 8-bit grayscale"
        png.type == BufferedImage.TYPE_BYTE_GRAY

        and: "the pixel inside the 2-pixel frame has the mapped level"
        png.raster.getSample(2, 2, 0) == level

        and: "the frame is the padding gray"
        png.raster.getSample(0, 0, 0) == SampleGrid.PADDING_GRAY

        where: "the ends map to 0 and 255, the middle rounds up, and the rest is clamped"
        value            | low | high || level
        -1f              | -1  | 1    || 0
        1f               | -1  | 1    || 255
        0f               | -1  | 1    || 128
        -0.5f            | -1  | 1    || 64
        -7f              | -1  | 1    || 0
        3.5f             | -1  | 1    || 255
        Float.NaN        | -1  | 1    || 0
        0.25f            | 0   | 1    || 64
        1f               | 0   | 1    || 255
    }

    def "RGB images keep their channels, and every source pixel becomes a scale × scale block"() {
        given: "one 2 × 2 RGB image: red, green / blue, a mixed colour (CHW order)"
        float[] image = [
                // red plane
                1, -1, -1, 0.5,
                // green plane
                -1, 1, -1, 0,
                // blue plane
                -1, -1, 1, -0.5] as float[]

        when: "it is written at scale 3 and read back"
        def file = dir.resolve("rgb.png")
        SampleGrid.write(image, 1, 3, 2, 2, 1, -1f, 1f, 3, file)
        def png = ImageIO.read(file.toFile())
        def rgb = { int x, int y -> png.getRGB(6 + 3 * x + 1, 6 + 3 * y + 1) & 0xFFFFFF }

        then: "the picture is 3 × (2 + 2 + 2) pixels square"
        png.width == 18 && png.height == 18

        and: "each pixel has its own colour"
        rgb(0, 0) == 0xFF0000
        rgb(1, 0) == 0x00FF00
        rgb(0, 1) == 0x0000FF
        rgb(1, 1) == (191 << 16 | 128 << 8 | 64)

        and: "the whole 3 × 3 block of the first pixel is red"
        (0..2).every { dy -> (0..2).every { dx -> (png.getRGB(6 + dx, 6 + dy) & 0xFFFFFF) == 0xFF0000 } }
    }

    def "images fill the cells row by row"() {
        given: "five 1 × 1 images of increasing brightness in a grid of 3 columns"
        float[] images = [-1, -0.5, 0, 0.5, 1] as float[]

        when:
        def image = SampleGrid.render(images, 5, 1, 1, 1, 3, -1f, 1f, 1)
        def level = { int column, int row -> image.getRGB(2 + 3 * column, 2 + 3 * row) & 0xFF }

        then: "the first row holds images 0, 1, 2 and the second images 3, 4"
        [level(0, 0), level(1, 0), level(2, 0), level(0, 1), level(1, 1)] == [0, 64, 128, 191, 255]

        and: "the empty last cell shows the padding gray"
        level(2, 1) == SampleGrid.PADDING_GRAY
    }

    def "labelled rows: a label column at the left, then the same grid as without labels"() {
        given: "three classes with four images each"
        int h = 8, w = 8
        float[] images = new float[3 * 4 * h * w]
        def random = new Random(1)
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (random.nextDouble() * 2 - 1)
        }

        when: "they are drawn with labels and without"
        def labelled = SampleGrid.renderRows(["zero", "one", "two"], images, 4, 1, h, w, -1f, 1f, 2)
        def plain = SampleGrid.render(images, 12, 1, h, w, 4, -1f, 1f, 2)
        int labelWidth = labelled.width - plain.width

        then: "the labelled picture is wider by a label column and as tall"
        labelWidth > 20
        labelled.height == plain.height

        and: "to the right of the labels it is the plain grid, pixel for pixel"
        (0..<plain.height).every { y ->
            (0..<plain.width).every { x -> labelled.getRGB(labelWidth + x, y) == plain.getRGB(x, y) }
        }

        and: "every row's band of the label column has dark text pixels on white"
        (0..<3).every { row ->
            int top = 2 * (2 + row * (h + 2))
            (top..<top + 2 * h).any { y -> (0..<labelWidth).any { x -> (labelled.getRGB(x, y) & 0xFF) < 100 } }
        }
        (labelled.getRGB(0, 0) & 0xFFFFFF) == 0xFFFFFF
    }

    def "the epoch progression shows the epochs in ascending order, each row from its own batch"() {
        given: "batches of four constant images for epochs 10, 1 and 4, in no particular order"
        def batches = new HashMap<Integer, float[]>()
        batches[10] = constant(4, 1f)
        batches[1] = constant(4, -1f)
        batches[4] = constant(4, 0f)

        when: "two images per row are drawn and written"
        def image = SampleGrid.renderProgression(batches, 2, 1, 3, 3, -1f, 1f, 1)
        def file = dir.resolve("progression.png")
        SampleGrid.writeProgression(batches, 2, 1, 3, 3, -1f, 1f, 1, file)
        int left = image.width - (2 * (3 + 2) + 2)
        def level = { int row -> image.getRGB(left + 2 + 1, 2 + row * 5 + 1) & 0xFF }

        then: "three rows: epoch 1 (black), epoch 4 (gray), epoch 10 (white)"
        image.height == 3 * 5 + 2
        [level(0), level(1), level(2)] == [0, 128, 255]

        and: "the file holds the same picture"
        ImageIO.read(file.toFile()).width == image.width
    }

    def "#lastEpoch epochs in #rows rows are shown at epochs #expected"() {
        expect:
        SampleGrid.progressionEpochs(lastEpoch, rows) == expected

        where: "log-spaced, rounded to 1, 2, 4, 5 × 10^k, always ending at the last epoch (20 epochs give seed 002's figure)"
        lastEpoch | rows || expected
        20        | 5    || [1, 2, 4, 10, 20]
        100       | 3    || [1, 10, 100]
        50        | 5    || [1, 2, 5, 20, 50]
        3         | 5    || [1, 2, 3]
        1         | 5    || [1]
        30        | 1    || [30]
    }

    def "#description is refused"() {
        when:
        SampleGrid.render(images as float[], count, channels, 2, 2, 2, low as float, high as float, scale)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(message)

        where:
        description              | images       | count | channels | low | high | scale || message
        "two channels"           | new float[8] | 1     | 2        | -1  | 1    | 1     || "1 (grayscale) or 3 (RGB) channels"
        "too few values"         | new float[7] | 2     | 1        | -1  | 1    | 1     || "expected 2 images of 1×2×2 = 8 values, got 7"
        "an empty value range"   | new float[4] | 1     | 1        | 1   | 1    | 1     || "is empty"
        "a zero scale"           | new float[4] | 1     | 1        | -1  | 1    | 0     || "scale must be at least 1"
    }

    private static float[] constant(int count, float value) {
        float[] a = new float[count * 9]
        Arrays.fill(a, value)
        a
    }
}
