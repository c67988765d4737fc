package dev.ganymede.engine.support

import java.lang.management.BufferPoolMXBean
import java.lang.management.ManagementFactory
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * Provokes the garbage collector at a chosen moment and hands the direct memory it freed to new
 * buffers filled with {@link #MARK}, so that a tensor still reading freed memory reads the mark.
 * The new buffers are held until {@link #release}.
 */
class MemoryScribbler {

    static final float MARK = 12345f

    private final List<ByteBuffer> held = []

    /** Runs the collector, waits for freed direct buffers to be released, then fills fresh ones. */
    void collectAndScribble() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean).find { it.name == 'direct' }
        long before = direct.count
        System.gc()
        // the JVM frees a dead direct buffer's memory shortly after the collection, on another thread
        long deadline = System.nanoTime() + 50_000_000L
        while (direct.count >= before && System.nanoTime() < deadline) {
            Thread.sleep(1)
        }
        2000.times {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder())
            b.putFloat(0, MARK).putFloat(4, MARK)
            held << b
        }
    }

    void release() {
        held.clear()
    }
}
