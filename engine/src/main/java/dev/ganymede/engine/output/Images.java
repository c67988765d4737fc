package dev.ganymede.engine.output;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small helpers shared by the writers of this package. */
final class Images {

    private Images() {}

    /**
     * Asks AWT for headless operation unless the application chose otherwise: the figures are drawn
     * into off-screen images, and a training run usually has no display (or a stale {@code DISPLAY}).
     * Must run before AWT first looks at the property, so every entry point of this package calls it.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Writes {@code image} as PNG, creating missing parent directories. */
    static void writePng(BufferedImage image, Path file) throws IOException {
        createParent(file);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for an image of type " + image.getType());
            }
        }
    }

    static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
