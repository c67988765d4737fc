package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import java.util.concurrent.atomic.AtomicInteger

/**
 * A data set for loader specs: sample i is the single float i, labelled i % 3 (or unlabelled), so a
 * batch shows exactly which samples it holds. It counts how many samples have been copied, and can
 * be told to fail on one index.
 */
class CountingDataset implements Dataset {

    final int size
    final boolean labelled
    final String name
    final AtomicInteger copies = new AtomicInteger()
    volatile int failAt = -1

    CountingDataset(int size, boolean labelled = true, String name = "counting") {
        this.size = size
        this.labelled = labelled
        this.name = name
    }

    String name() { name }

    Shape sampleShape() { new Shape(1) }

    int size() { size }

    int numClasses() { labelled ? 3 : 0 }

    void copySample(int index, float[] dest, int offset) {
        if (index == failAt) {
            throw new IllegalStateException("sample $index is broken")
        }
        copies.incrementAndGet()
        dest[offset] = index
    }

    int label(int index) { labelled ? index % 3 : -1 }
}
