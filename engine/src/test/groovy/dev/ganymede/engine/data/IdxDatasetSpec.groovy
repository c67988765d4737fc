package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.GanymedeException
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Narrative
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

import static dev.ganymede.engine.data.IdxFiles.images
import static dev.ganymede.engine.data.IdxFiles.labels
import static dev.ganymede.engine.data.IdxFiles.split

@Title("IdxDataset: MNIST and Fashion-MNIST from their IDX files")
@Narrative("""
MNIST-style data sets come as two IDX files per split: images (magic 0x00000803, then the count,
the rows, the columns and one byte per pixel) and labels (magic 0x00000801, the count, one byte per
label). The training split is called train-*, the test split t10k-*; the files may be gzipped.
Pixels 0..255 become floats in [-1, 1].

A broken or missing file is reported with its path and what is wrong with it, never as a bare
EOFException. The specs below write their own small IDX files into a temporary folder.
""")
class IdxDatasetSpec extends Specification {

    @TempDir Path temp

    def "a #kind training split of 4 images of 3x2 pixels is read with its labels"() {
        given: "a folder with train-images-idx3-ubyte#ext and train-labels-idx1-ubyte#ext"
        def folder = temp.resolve("digits")
        images(folder.resolve("train-images-idx3-ubyte$ext"), 3, 2,
                [[0, 0, 0, 0, 0, 0], [255, 255, 255, 255, 255, 255], [0, 51, 102, 153, 204, 255], [128] * 6], gzip)
        labels(folder.resolve("train-labels-idx1-ubyte$ext"), [7, 0, 3, 9], gzip)

        when:
        def data = IdxDataset.load(folder, true)

        then: "each image is 1 x rows x columns, named after the folder"
        data.name() == "digits"
        data.size() == 4
        data.sampleShape() == new Shape(1, 3, 2)

        and: "the labels are read, and there are as many classes as the largest label + 1"
        (0..3).collect { data.label(it) } == [7, 0, 3, 9]
        data.numClasses() == 10

        and: "pixel 0 becomes -1, 255 becomes 1, and values in between scale linearly"
        pixels(data, 0) == [-1f] * 6
        pixels(data, 1) == [1f] * 6
        pixels(data, 2).collect { Math.round(it * 100) / 100 } == [-1, -0.6, -0.2, 0.2, 0.6, 1]
        Math.abs(pixels(data, 3)[0] - 0.0039f) < 1e-4

        where:
        kind      | gzip  | ext
        "gzipped" | true  | ".gz"
        "plain"   | false | ""
    }

    def "the test split is read from the t10k files and named with -test"() {
        given:
        def folder = split(temp.resolve("mnist"), "train", 20, 28, 28, true)
        split(folder, "t10k", 10, 28, 28, false)

        when:
        def train = IdxDataset.load(folder, true)
        def test = IdxDataset.load(folder, false)

        then:
        train.size() == 20
        test.size() == 10
        test.name() == "mnist-test"
        test.imageFile() == folder.resolve("t10k-images-idx3-ubyte")
        train.imageFile() == folder.resolve("train-images-idx3-ubyte.gz")
    }

    def "the original MNIST spelling train-images.idx3-ubyte is found too"() {
        given:
        def folder = temp.resolve("dotted")
        images(folder.resolve("train-images.idx3-ubyte"), 2, 2, [[1, 2, 3, 4]], false)
        labels(folder.resolve("train-labels.idx1-ubyte"), [5], false)

        expect:
        IdxDataset.load(folder, true).label(0) == 5
    }

    def "a data set can carry class names"() {
        given:
        def folder = split(temp.resolve("named"), "train", 10, 4, 4, true)

        when:
        def data = IdxDataset.load(folder, true, "pets", ["cat", "dog", "bird", "fish", "a", "b", "c", "d", "e", "f"])

        then:
        data.name() == "pets"
        data.className(1) == "dog"
        data.numClasses() == 10
    }

    def "a missing folder is reported with its path"() {
        given:
        def folder = temp.resolve("nowhere")

        when:
        IdxDataset.load(folder, true)

        then:
        def e = thrown(GanymedeException)
        e.message == "IDX folder not found: $folder"
    }

    def "a missing #file is reported with the path it was expected at"() {
        given: "a folder with only the #present file"
        def folder = temp.resolve("half")
        if (present == "images") {
            images(folder.resolve("train-images-idx3-ubyte.gz"), 2, 2, [[1, 2, 3, 4]], true)
        } else {
            labels(folder.resolve("train-labels-idx1-ubyte.gz"), [1], true)
        }

        when:
        IdxDataset.load(folder, true)

        then:
        def e = thrown(GanymedeException)
        e.message.startsWith("IDX file not found: ${folder.resolve(file)}")

        where:
        present  | file
        "labels" | "train-images-idx3-ubyte.gz"
        "images" | "train-labels-idx1-ubyte.gz"
    }

    def "a file that is not what its name says is refused for its bad magic number"() {
        given: "an image file whose header carries the label magic 0x00000801"
        def folder = temp.resolve("swapped")
        def imageFile = images(folder.resolve("train-images-idx3-ubyte"), 2, 2, [[1, 2, 3, 4]], false, 0x801)
        labels(folder.resolve("train-labels-idx1-ubyte"), [1], false)

        when:
        IdxDataset.load(folder, true)

        then:
        def e = thrown(GanymedeException)
        e.message == "$imageFile: bad magic number 0x00000801, expected 0x00000803 " +
                "(unsigned-byte images, 3 dimensions); it holds unsigned-byte labels, 1 dimension"
    }

    def "#problem is reported with the file's path"() {
        given:
        def folder = temp.resolve("broken")
        def imageFile = folder.resolve("train-images-idx3-ubyte.gz")
        Files.createDirectories(folder)
        write(imageFile)
        labels(folder.resolve("train-labels-idx1-ubyte.gz"), [1, 2], true)

        when:
        IdxDataset.load(folder, true)

        then:
        def e = thrown(GanymedeException)
        e.message.startsWith("$imageFile: ")
        e.message.contains(message)

        where:
        problem                  | write                                                              || message
        "a truncated image file" | { Path f -> IdxFiles.write(f, idx(2, 2, 2, 5), true) }             || "truncated: the header announces 2x2x2 = 8 bytes of data but only 5 follow"
        "trailing bytes"         | { Path f -> IdxFiles.write(f, idx(2, 2, 2, 9), true) }             || "unexpected bytes after the 2x2x2 values"
        "an empty file"          | { Path f -> Files.write(f, new byte[0]) }                          || "too short to be an IDX file (0 bytes)"
        "a zero dimension"       | { Path f -> IdxFiles.write(f, idx(2, 0, 2, 0), true) }             || "dimension 1 has size 0"
        "a cut-off gzip stream"  | { Path f -> IdxFiles.write(f, idx(2, 2, 2, 8), true); cut(f, 12) } || "corrupt gzip data"
    }

    def "image and label files that disagree on the count are refused, naming both"() {
        given:
        def folder = temp.resolve("disagree")
        def imageFile = images(folder.resolve("train-images-idx3-ubyte"), 1, 1, [[1], [2], [3], [4]], false)
        def labelFile = labels(folder.resolve("train-labels-idx1-ubyte"), [1, 2, 3], false)

        when:
        IdxDataset.load(folder, true)

        then:
        def e = thrown(GanymedeException)
        e.message == "IDX files disagree: $labelFile holds 3 labels but $imageFile holds 4 images"
    }

    def "a label outside the class names is refused"() {
        given:
        def folder = temp.resolve("labels")
        images(folder.resolve("train-images-idx3-ubyte"), 1, 1, [[1], [2]], false)
        def labelFile = labels(folder.resolve("train-labels-idx1-ubyte"), [1, 12], false)

        when:
        IdxDataset.fashionMnist(folder, true)

        then:
        def e = thrown(GanymedeException)
        e.message == "$labelFile: label 12 of sample 1 is not one of the 10 classes (0..9)"
    }

    def "without Fashion-MNIST installed the message says how to get it"() {
        when:
        IdxDataset.fashionMnist(temp.resolve("absent"), true)

        then:
        def e = thrown(GanymedeException)
        e.message.contains("Fashion-MNIST not found: there is no folder ${temp.resolve("absent")}")
        e.message.contains("apt-get install dataset-fashion-mnist")
        e.message.contains("or pass a folder")
    }

    @Requires(value = { Files.isDirectory(IdxDataset.FASHION_MNIST_FOLDER) },
            reason = "needs Fashion-MNIST in /usr/share/datasets/fashion-mnist: apt-get install dataset-fashion-mnist (CI installs it)")
    def "Fashion-MNIST from the Debian package: 60,000 + 10,000 images of 10 balanced classes"() {
        when:
        def train = IdxDataset.fashionMnist(true)
        def test = IdxDataset.fashionMnist(false)

        then:
        train.name() == "fashion-mnist"
        train.size() == 60_000
        test.size() == 10_000
        train.sampleShape() == new Shape(1, 28, 28)
        (0..<train.size()).countBy { train.label(it) }.values().every { it == 6000 }

        and: "the class names are Fashion-MNIST's, in label order"
        (0..9).collect { train.className(it) } == ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

        and: "pixels are in [-1, 1] with a black (-1) background"
        def first = pixels(train, 0)
        first.every { it >= -1f && it <= 1f }
        first[0] == -1f
    }

    static List<Float> pixels(Dataset data, int index) {
        Samples.list(data, index, 1)
    }

    /** An image-file header announcing count x rows x cols, followed by {@code bytes} pixels of value 7. */
    static byte[] idx(int count, int rows, int cols, int bytes) {
        def b = java.nio.ByteBuffer.allocate(16 + bytes)
        b.putInt(0x803).putInt(count).putInt(rows).putInt(cols)
        bytes.times { b.put((byte) 7) }
        b.array()
    }

    static void cut(Path file, int keep) {
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), keep))
    }
}
