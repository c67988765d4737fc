package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.GanymedeException
import java.awt.Color
import java.nio.file.Files
import java.nio.file.Path
import spock.lang.Narrative
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

@Title("Datasets: the names a seed file or the command line uses for data")
@Narrative("""
  digits            60,000 synthetic handwritten digits, 1x28x28, 10 classes
  fashion-mnist     Fashion-MNIST's training split, from the Debian package dataset-fashion-mnist
  mnist:<folder>    the training split of the IDX files in a folder
  gaussian-1d       100,000 draws of N(4, 1.25²)
  ring, grid        100,000 points of the PacGAN 2D mixtures
  folder:<path>     a folder of PNG/JPEG images, 28x28 gray
  <path>            a folder of IDX files, or else of images

The seed drives the synthetic data sets; data read from files ignores it.
""")
class DatasetsSpec extends Specification {

    @TempDir Path temp

    def "'#name' is #description"() {
        when:
        def data = Datasets.named(name, 1)

        then:
        type.isInstance(data)
        data.name() == name
        data.size() == size
        data.sampleShape() == new Shape(shape as long[])
        data.numClasses() == classes

        and: "the name alone tells points from images, as the data's shape does"
        Datasets.isPoints(name) == (shape.size() == 1)

        where:
        name          | description                        || type              | size    | shape       | classes
        "digits"      | "60,000 synthetic digits"          || SyntheticDigits   | 60_000  | [1, 28, 28] | 10
        "gaussian-1d" | "the 1D Gaussian N(4, 1.25²)"      || Gaussian1D        | 100_000 | [1]         | 0
        "ring"        | "the ring of 8 Gaussians"          || GaussianMixture2D | 100_000 | [2]         | 0
        "grid"        | "the grid of 25 Gaussians"         || GaussianMixture2D | 100_000 | [2]         | 0
    }

    def "the seed drives the synthetic data sets"() {
        given:
        def first = { Dataset d -> Samples.list(d, 0, 20) }

        expect:
        first(Datasets.named("ring", 4)) == first(Datasets.named("ring", 4))
        first(Datasets.named("ring", 4)) != first(Datasets.named("ring", 5))
    }

    @Requires(value = { Files.isDirectory(IdxDataset.FASHION_MNIST_FOLDER) },
            reason = "needs Fashion-MNIST in /usr/share/datasets/fashion-mnist: apt-get install dataset-fashion-mnist (CI installs it)")
    def "'fashion-mnist' is the installed Fashion-MNIST training split"() {
        when:
        def data = Datasets.named("fashion-mnist", 1)

        then:
        data instanceof IdxDataset
        data.size() == 60_000
        data.className(9) == "Ankle boot"
    }

    def "'mnist:<folder>' and a bare folder path read IDX files"() {
        given:
        def folder = IdxFiles.split(temp.resolve("my-mnist"), "train", 30, 28, 28, true)

        when:
        def named = Datasets.named("mnist:$folder", 1)
        def bare = Datasets.named(folder.toString(), 1)

        then:
        named.name() == "mnist"
        named.size() == 30
        bare.name() == "my-mnist"
        bare.size() == 30
    }

    def "'folder:<path>' and a bare folder path of images read 28x28 gray images"() {
        given:
        def folder = temp.resolve("faces")
        ImageFolderSpec.png(folder.resolve("happy/1.png"), 64, 64, Color.WHITE)
        ImageFolderSpec.png(folder.resolve("sad/1.png"), 64, 64, Color.BLACK)

        when:
        def named = Datasets.named("folder:$folder", 1)
        def bare = Datasets.named(folder.toString(), 1)

        then:
        [named, bare].every { it instanceof ImageFolder && it.sampleShape() == new Shape(1, 28, 28) && it.numClasses() == 2 }
    }

    def "an unknown name is refused with the list of valid names"() {
        when:
        Datasets.named("cifar", 1)

        then:
        def e = thrown(GanymedeException)
        e.message == "unknown data set 'cifar'; valid names: digits, fashion-mnist, mnist:<folder>, gaussian-1d, " +
                "ring, grid, folder:<path>, <path of an IDX or image folder>"
    }

    def "a path that does not exist is reported as such"() {
        when:
        Datasets.named("$temp/missing", 1)

        then:
        def e = thrown(GanymedeException)
        e.message.startsWith("data set folder not found: $temp/missing")
    }

    def "'mnist:' without a folder asks for one"() {
        when:
        Datasets.named("mnist:", 1)

        then:
        def e = thrown(GanymedeException)
        e.message == "'mnist:' names no folder: write mnist:<folder>"
    }
}
