package dev.ganymede.engine.data

import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.GZIPOutputStream

/** Writes small IDX files for the specs, in the layout MNIST uses. */
class IdxFiles {

    /** An image file: magic 0x00000803, count, rows, cols, then the pixel bytes. */
    static Path images(Path file, int rows, int cols, List<List<Integer>> pixels, boolean gzip, int magic = 0x803) {
        def buffer = ByteBuffer.allocate(16 + pixels.size() * rows * cols)
        buffer.putInt(magic).putInt(pixels.size()).putInt(rows).putInt(cols)
        pixels.each { image -> image.each { buffer.put((byte) it.intValue()) } }
        write(file, buffer.array(), gzip)
    }

    /** A label file: magic 0x00000801, count, then one byte per label. */
    static Path labels(Path file, List<Integer> labels, boolean gzip, int magic = 0x801) {
        def buffer = ByteBuffer.allocate(8 + labels.size())
        buffer.putInt(magic).putInt(labels.size())
        labels.each { buffer.put((byte) it.intValue()) }
        write(file, buffer.array(), gzip)
    }

    /**
     * A folder holding the split {@code prefix} ("train" or "t10k") with the standard file names:
     * {@code count} images of rows x cols where image i is filled with the value (i * 10) % 256 and
     * labelled i % 10.
     */
    static Path split(Path folder, String prefix, int count, int rows, int cols, boolean gzip) {
        Files.createDirectories(folder)
        def ext = gzip ? ".gz" : ""
        images(folder.resolve("$prefix-images-idx3-ubyte$ext"), rows, cols,
                (0..<count).collect { i -> [(i * 10) % 256] * (rows * cols) }, gzip)
        labels(folder.resolve("$prefix-labels-idx1-ubyte$ext"), (0..<count).collect { it % 10 }, gzip)
        folder
    }

    static Path write(Path file, byte[] bytes, boolean gzip) {
        Files.createDirectories(file.parent)
        if (gzip) {
            new GZIPOutputStream(Files.newOutputStream(file)).withCloseable { it.write(bytes) }
        } else {
            Files.write(file, bytes)
        }
        file
    }
}
