package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
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
}
