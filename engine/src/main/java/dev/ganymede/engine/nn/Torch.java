package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.engine.PtNDArray;

/** Bridges to PyTorch's own functional ops, so layers have PyTorch's exact semantics. */
public final class Torch {

    private Torch() {}

    public static PtNDArray pt(NDArray array) {
        if (array instanceof PtNDArray) {
            return (PtNDArray) array;
        }
        throw new IllegalArgumentException("Ganymede runs on DJL's PyTorch engine; got an array of "
                + array.getManager().getEngine().getEngineName());
    }

    /** Copies {@code source} into {@code target} in place (same shape): PyTorch's {@code target[...] = source}. */
    public static void copyInto(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("cannot copy " + source.getShape() + " into " + target.getShape());
        }
        JniUtils.indexAdvPut(pt(target), new NDIndex("..."), pt(source));
    }
}
