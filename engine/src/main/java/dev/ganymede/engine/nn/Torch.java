package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.BinaryOperator;

/**
 * Bridges to PyTorch's own functional ops, so layers have PyTorch's exact semantics, and
 * arithmetic with a Java number that is safe under autograd.
 *
 * <p>Never write {@code x.mul(2f)} (or add, sub, div, maximum... with a number) on the PyTorch
 * engine: DJL makes the number a 0-dim tensor that borrows a Java direct buffer and closes it as
 * soon as the operation returns. An autograd node that saved it (mul, div, maximum do) reads that
 * memory again in the backward pass, after the garbage collector may have given it to something
 * else: the gradient silently takes whatever value now lies there. {@link #mul(NDArray, double)}
 * and its siblings put the number in memory PyTorch owns, which lives as long as the graph needs
 * it. ScalarArithmeticSpec shows the difference and keeps the engine's classes free of the trap.
 */
public final class Torch {

    private Torch() {}

    public static PtNDArray pt(NDArray array) {
        if (array instanceof PtNDArray) {
            return (PtNDArray) array;
        }
        throw new IllegalArgumentException("Ganymede runs on DJL's PyTorch engine; got an array of "
                + array.getManager().getEngine().getEngineName());
    }

    /**
     * PyTorch's 2-D convolution ({@code torch.nn.functional.conv2d}; {@code bias} may be null),
     * once {@link ConvolutionKernels} has found that it computes right on this CPU: every
     * convolution of the engine goes through here so none runs unchecked.
     */
    public static NDArray convolution(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding,
            Shape dilation, int groups) {
        ConvolutionKernels.requireCorrect(x);
        return JniUtils.convolution(pt(x), pt(weight), bias == null ? null : pt(bias), stride, padding, dilation,
                groups);
    }

    /** Copies {@code source} into {@code target} in place (same shape): PyTorch's {@code target[...] = source}. */
    public static void copyInto(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("cannot copy " + source.getShape() + " into " + target.getShape());
        }
        JniUtils.indexAdvPut(pt(target), new NDIndex("..."), pt(source));
    }

    /**
     * A 0-dim tensor holding {@code value}, on {@code like}'s manager, in memory PyTorch owns: of
     * {@code like}'s type when that is floating, else float32 (so 0.5 stays 0.5 next to integers,
     * as with DJL's own operations).
     */
    public static NDArray scalar(NDArray like, double value) {
        DataType type = like.getDataType().isFloating() ? like.getDataType() : DataType.FLOAT32;
        return like.getManager().full(new Shape(), (float) value, type);
    }

    /** {@code x * value}, recorded by autograd like {@code x.mul(2f)} but safe: see the class comment. */
    public static NDArray mul(NDArray x, double value) {
        return withScalar(x, value, NDArray::mul);
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return withScalar(x, value, NDArray::div);
    }

    /** {@code x + value}. */
    public static NDArray add(NDArray x, double value) {
        return withScalar(x, value, NDArray::add);
    }

    /** {@code x - value}. */
    public static NDArray sub(NDArray x, double value) {
        return withScalar(x, value, NDArray::sub);
    }

    /** {@code max(x, value)} element-wise (PyTorch's {@code clamp_min}, with maximum's gradient). */
    public static NDArray maximum(NDArray x, double value) {
        return withScalar(x, value, NDArray::maximum);
    }

    /** {@code x *= value}, in place; returns {@code x}. */
    public static NDArray muli(NDArray x, double value) {
        return withScalar(x, value, NDArray::muli);
    }

    /** {@code x /= value}, in place; returns {@code x}. */
    public static NDArray divi(NDArray x, double value) {
        return withScalar(x, value, NDArray::divi);
    }

    /** {@code x += value}, in place; returns {@code x}. */
    public static NDArray addi(NDArray x, double value) {
        return withScalar(x, value, NDArray::addi);
    }

    /** {@code x -= value}, in place; returns {@code x}. */
    public static NDArray subi(NDArray x, double value) {
        return withScalar(x, value, NDArray::subi);
    }

    private static NDArray withScalar(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, value)) {
            return op.apply(x, s);
        }
    }
}
