package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.GanymedeException
import java.awt.Color
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

@Title("ImageFolder: your own PNG and JPEG pictures as a data set")
@Narrative("""
Point Ganymede at a folder of images. With images directly inside, the data set is unlabelled;
with sub-folders, each sub-folder is a class, numbered in alphabetical order of the folder names.
Every image is cropped to its central square, resized to size x size (bilinear), and stored as
1 gray channel or 3 RGB channels (channel-first), scaled to [-1, 1].

The specs paint their own small PNGs into a temporary folder.
""")
class ImageFolderSpec extends Specification {

    @TempDir Path temp

    def "images directly in the folder form an unlabelled data set, read in file-name order"() {
        given: "a black and a white 8x8 image"
        def folder = temp.resolve("plain")
        png(folder.resolve("b-white.png"), 8, 8, Color.WHITE)
        png(folder.resolve("a-black.png"), 8, 8, Color.BLACK)

        when:
        def data = ImageFolder.load(folder, 4, 1)

        then:
        data.name() == "plain"
        data.size() == 2
        data.sampleShape() == new Shape(1, 4, 4)
        data.numClasses() == 0
        data.label(0) == -1

        and: "black is -1 and white is 1, in file-name order"
        pixels(data, 0) == [-1f] * 16
        pixels(data, 1) == [1f] * 16
        data.files()*.fileName*.toString() == ["a-black.png", "b-white.png"]
    }

    def "sub-folders are classes, numbered in alphabetical order of their names"() {
        given: "zebras/ created before ants/, with two and one images"
        def folder = temp.resolve("animals")
        png(folder.resolve("zebras/z1.png"), 6, 6, Color.WHITE)
        png(folder.resolve("zebras/z2.png"), 6, 6, Color.WHITE)
        png(folder.resolve("ants/a1.png"), 6, 6, Color.BLACK)

        when:
        def data = ImageFolder.load(folder, 6, 1)

        then: "ants is class 0 and zebras class 1"
        data.numClasses() == 2
        data.className(0) == "ants"
        data.className(1) == "zebras"
        (0..<3).collect { data.label(it) } == [0, 1, 1]
        pixels(data, 0).every { it == -1f }
    }

    def "RGB images keep three channels, one plane after the other (CHW); gray uses the luma"() {
        given: "a pure red image"
        def folder = temp.resolve("red")
        png(folder.resolve("red.png"), 5, 5, Color.RED)

        when:
        def rgb = ImageFolder.load(folder, 2, 3)
        def gray = ImageFolder.load(folder, 2, 1)

        then: "in RGB the red plane is 1 and the green and blue planes are -1"
        rgb.sampleShape() == new Shape(3, 2, 2)
        pixels(rgb, 0) == [1f] * 4 + [-1f] * 8

        and: "in gray red has luma 0.299, which scales to 2 * 0.299 - 1"
        pixels(gray, 0).every { Math.abs(it - (2 * 0.299 - 1)) < 1e-5 }
    }

    def "a JPEG is read as well as a PNG"() {
        given:
        def folder = temp.resolve("jpeg")
        image(folder.resolve("photo.jpg"), 16, 16, Color.WHITE, "jpg")

        expect: "white within JPEG's rounding"
        pixels(ImageFolder.load(folder, 8, 1), 0).every { it > 0.95f }
    }

    def "a wide image is cropped to its central square before it is resized"() {
        given: "a 40x20 image: 10 red columns, then 10 black, 10 white and again 10 red"
        def folder = temp.resolve("wide")
        def picture = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB)
        def g = picture.createGraphics()
        g.color = Color.RED
        g.fillRect(0, 0, 40, 20)
        g.color = Color.BLACK
        g.fillRect(10, 0, 10, 20)
        g.color = Color.WHITE
        g.fillRect(20, 0, 10, 20)
        g.dispose()
        Files.createDirectories(folder)
        ImageIO.write(picture, "png", folder.resolve("wide.png").toFile())

        when: "it is read as 2x2 RGB"
        def p = pixels(ImageFolder.load(folder, 2, 3), 0)

        then: "the red borders are gone: the left column is black and the right one white"
        p[0] < -0.9f && p[2] < -0.9f           // red plane, left column
        p[4] < -0.9f && p[6] < -0.9f           // green plane, left column
        p[1] > 0.9f && p[3] > 0.9f             // red plane, right column
        p[5] > 0.9f && p[9] > 0.9f             // green and blue planes, right column
    }

    def "large images are shrunk smoothly: a fine checkerboard averages to mid-gray"() {
        given: "a 64x64 checkerboard of single black and white pixels"
        def folder = temp.resolve("checker")
        def picture = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB)
        (0..<64).each { y -> (0..<64).each { x -> picture.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0) } }
        Files.createDirectories(folder)
        ImageIO.write(picture, "png", folder.resolve("checker.png").toFile())

        expect: "no pixel of the 4x4 version is near black or white"
        pixels(ImageFolder.load(folder, 4, 1), 0).every { Math.abs(it) < 0.1f }
    }

    def "#problem is reported with the path"() {
        given:
        def folder = temp.resolve("case")
        prepare(folder)

        when:
        ImageFolder.load(folder, 28, 1)

        then:
        def e = thrown(GanymedeException)
        e.message.startsWith(message.replace("<folder>", folder.toString()))

        where:
        problem                  | prepare                                                                      || message
        "a missing folder"       | { Path f -> }                                                                || "image folder not found: <folder>"
        "a file instead"         | { Path f -> Files.writeString(f, "hi") }                                     || "image folder <folder> is not a folder"
        "a folder without images" | { Path f -> Files.createDirectories(f); Files.writeString(f.resolve("notes.txt"), "hi") } || "no images in <folder>: expected .png, .jpg or .jpeg files"
        "an unreadable image"    | { Path f -> Files.createDirectories(f); Files.writeString(f.resolve("bad.png"), "not a png") } || "cannot read the image <folder>/bad.png: not a PNG or JPEG file"
        "images beside classes"  | { Path f -> png(f.resolve("top.png"), 4, 4, Color.RED); png(f.resolve("cats/c.png"), 4, 4, Color.RED) } || "image folder <folder> mixes images (top.png, ...) with class sub-folders (cats/, ...)"
    }

    def "#channels channels are refused"() {
        when:
        ImageFolder.load(temp, 28, channels)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "images have 1 (gray) or 3 (RGB) channels, got $channels"

        where:
        channels << [0, 2, 4]
    }

    static List<Float> pixels(Dataset data, int index) {
        Samples.list(data, index, 1)
    }

    static Path png(Path file, int width, int height, Color color) {
        image(file, width, height, color, "png")
    }

    static Path image(Path file, int width, int height, Color color, String format) {
        def picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB)
        def g = picture.createGraphics()
        g.color = color
        g.fillRect(0, 0, width, height)
        g.dispose()
        Files.createDirectories(file.parent)
        assert ImageIO.write(picture, format, file.toFile())
        file
    }
}
