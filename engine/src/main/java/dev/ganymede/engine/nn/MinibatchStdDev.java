package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * ProGAN's minibatch standard deviation (Karras et al., 2018), the parameter-free cousin of
 * minibatch discrimination: the standard deviation of every feature (at every position) over the
 * batch, averaged into one number, appended to each sample as one more feature, or one more
 * constant feature map for (C, H, W) input. A batch of near-identical fakes shows a small value.
 *
 * <p>As in ProGAN's code the deviation is sqrt(mean((x − mean(x))²) + 1e-8) over the batch (the
 * biased variance, and 1e-8 so a batch of one gives 1e-4 and the gradient stays finite). ProGAN's
 * code can also take it over groups of 4 samples; this layer uses the whole batch, as the paper
 * describes it.
 */
public final class MinibatchStdDev extends Layer {

    private static final float EPS = 1e-8f;

    @Override
    public String typeName() {
        return "MinibatchStdDev";
    }

    @Override
    public String describe() {
        return "MinibatchStdDev()";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() != 1 && input.dimension() != 3) {
            throw shapeError(input, "expects a feature vector or a (channels, height, width) map");
        }
        long[] dims = input.getShape().clone();
        dims[0] += 1;
        return new Shape(dims);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        Shape s = x.getShape();
        NDArray centred = x.sub(x.mean(new int[] {0}, true));
        NDArray std = Torch.add(centred.square().mean(new int[] {0}), EPS).sqrt();
        NDArray mean = std.mean();
        long[] ones = new long[s.dimension()];
        java.util.Arrays.fill(ones, 1L);
        long[] dims = s.getShape().clone();
        dims[1] = 1;
        NDArray feature = mean.reshape(new Shape(ones)).broadcast(new Shape(dims));
        return NDArrays.concat(new NDList(x, feature), 1);
    }
}
