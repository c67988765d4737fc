package dev.ganymede.engine.output;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes an animated GIF, for instance the grid of the fixed latent batch after every epoch
 * ({@link SampleGrid#render}). Uses the JDK's own GIF writer; every frame gets its own palette of at
 * most 256 colours (exact for grayscale grids), and the animation loops forever unless told otherwise.
 */
public final class GifWriter {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private GifWriter() {}

    /** Writes {@code frames}, each shown for {@code delayMillis}, looping forever. */
    public static void write(List<BufferedImage> frames, int delayMillis, Path file) throws IOException {
        write(frames, delayMillis, true, file);
    }

    /**
     * Writes {@code frames}, each shown for {@code delayMillis} (GIF counts in hundredths of a second,
     * so the delay is rounded to 10 ms, at least 10 ms), looping forever if {@code loop}, else played
     * once. All frames must have the size of the first.
     */
    public static void write(List<BufferedImage> frames, int delayMillis, boolean loop, Path file)
            throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("an animation needs at least one frame");
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("the delay must not be negative, got " + delayMillis);
        }
        int width = frames.get(0).getWidth();
        int height = frames.get(0).getHeight();
        for (int i = 1; i < frames.size(); i++) {
            BufferedImage frame = frames.get(i);
            if (frame.getWidth() != width || frame.getHeight() != height) {
                throw new IllegalArgumentException("frame " + i + " is " + frame.getWidth() + "×"
                        + frame.getHeight() + ", the first is " + width + "×" + height);
            }
        }
        Images.headless();
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IOException("this JVM has no GIF writer");
        }
        ImageWriter writer = writers.next();
        int centiseconds = Math.max(1, Math.round(delayMillis / 10f));
        Images.createParent(file);
        Files.deleteIfExists(file); // a FileImageOutputStream would keep a longer file's tail
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            ImageWriteParam param = writer.getDefaultWriteParam();
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage frame = opaque(frames.get(i));
                IIOMetadata metadata = frameMetadata(writer, frame, param, centiseconds, loop && i == 0);
                writer.writeToSequence(new IIOImage(frame, null, metadata), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /** Frame metadata: the delay, no transparency, and on the first frame the NETSCAPE2.0 loop block. */
    private static IIOMetadata frameMetadata(
            ImageWriter writer, BufferedImage frame, ImageWriteParam param, int centiseconds, boolean loopBlock)
            throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);

        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(centiseconds));
        control.setAttribute("transparentColorIndex", "0");

        if (loopBlock) {
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode netscape = new IIOMetadataNode("ApplicationExtension");
            netscape.setAttribute("applicationID", "NETSCAPE");
            netscape.setAttribute("authenticationCode", "2.0");
            // sub-block 1, then the loop count as little-endian 16 bits; 0 repeats forever
            netscape.setUserObject(new byte[] {1, 0, 0});
            extensions.appendChild(netscape);
        }
        metadata.setFromTree(FORMAT, root);
        return metadata;
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) parent.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }

    /** RGB and indexed images go as they are; others (ARGB, …) are flattened onto white. */
    private static BufferedImage opaque(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_INT_RGB
                || type == BufferedImage.TYPE_3BYTE_BGR
                || type == BufferedImage.TYPE_BYTE_INDEXED
                || type == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }
}
