package dev.ganymede.engine.output

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

import javax.imageio.ImageIO
import javax.imageio.metadata.IIOMetadataNode
import java.awt.image.BufferedImage
import java.nio.file.Path

@Title("GifWriter: an animated GIF of the fixed latent batch across epochs")
@Narrative("""
The frames are ordinary BufferedImages, typically SampleGrid.render of the same latent vectors after
each epoch. The JDK's GIF writer stores them with a per-frame delay (in hundredths of a second) and,
unless told otherwise, the NETSCAPE2.0 block that makes viewers loop forever.
""")
class GifWriterSpec extends Specification {

    @TempDir Path dir

    def "#count #kind frames make a GIF of #count images, each shown #delayMillis ms"() {
        given: "frames that differ from one to the next"
        def frames = (0..<count).collect { i ->
            float[] images = new float[4 * channels * 6 * 6]
            Arrays.fill(images, (float) ((i + 1) / count * 2 - 1))
            SampleGrid.render(images, 4, channels, 6, 6, 2, -1f, 1f, 2)
        }

        when: "the animation is written and read back"
        def file = dir.resolve("anim.gif")
        GifWriter.write(frames, delayMillis, file)
        def reader = ImageIO.getImageReadersByFormatName("gif").next()
        def input = ImageIO.createImageInputStream(file.toFile())
        reader.input = input

        then: "it holds one image per frame, of the frame's size"
        reader.getNumImages(true) == count
        reader.read(count - 1).width == frames[0].width
        reader.read(count - 1).height == frames[0].height

        and: "the first frame carries the delay and the endless-loop block"
        def tree = reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0") as IIOMetadataNode
        (tree.getElementsByTagName("GraphicControlExtension").item(0) as IIOMetadataNode)
                .getAttribute("delayTime") == "${centiseconds}"
        def loop = tree.getElementsByTagName("ApplicationExtension").item(0) as IIOMetadataNode
        loop.getAttribute("applicationID") == "NETSCAPE"
        (loop.userObject as byte[]) == [1, 0, 0] as byte[]

        and: "the colours survive the palette: the last frame is white inside its cells"
        (reader.read(count - 1).getRGB(5, 5) & 0xFFFFFF) == 0xFFFFFF

        cleanup:
        input?.close()
        reader?.dispose()

        where:
        kind        | count | channels | delayMillis || centiseconds
        "grayscale" | 5     | 1        | 250         || 25
        "RGB"       | 3     | 3        | 1000        || 100
        "single"    | 1     | 1        | 4           || 1
    }

    def "an animation written to an existing file replaces it"() {
        given: "a long animation already at the path"
        def file = dir.resolve("again.gif")
        def frame = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB)
        GifWriter.write((1..20).collect { frame }, 100, file)

        when: "a two-frame animation is written over it"
        GifWriter.write([frame, frame], 100, file)
        def reader = ImageIO.getImageReadersByFormatName("gif").next()
        def input = ImageIO.createImageInputStream(file.toFile())
        reader.input = input

        then:
        reader.getNumImages(true) == 2

        cleanup:
        input?.close()
        reader?.dispose()
    }

    def "#description is refused"() {
        when:
        GifWriter.write(frames, 100, dir.resolve("bad.gif"))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(message)

        where:
        description               | frames                                                          || message
        "an empty list of frames" | []                                                              || "at least one frame"
        "frames of two sizes"     | [new BufferedImage(4, 4, 1), new BufferedImage(5, 4, 1)]       || "frame 1 is 5×4, the first is 4×4"
    }
}
