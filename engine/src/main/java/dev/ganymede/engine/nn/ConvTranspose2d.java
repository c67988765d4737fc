package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * A transposed convolution with PyTorch's semantics: weight (in, out, k, k), output size
 * {@code (n - 1) s - 2p + k + output_padding}.
 *
 * <p>DJL's PyTorch engine has no transposed convolution, so it is computed as one ordinary
 * convolution followed by a pixel shuffle (the sub-pixel decomposition). Output position
 * {@code o} with {@code o + p = q s + r} only receives the kernel taps {@code m s + r}, so each of
 * the s² phases r is a small correlation of the input with the flipped sub-kernel
 * {@code w[m s + r]}, m &lt; ceil(k / s). All phases share one convolution with s² · out channels;
 * no zeros are inserted into the input, so there is no fourfold wasted arithmetic at stride 2.
 * Autograd differentiates through the weight rearrangement, the convolution and the shuffle.
 *
 * <p>Data movement is kept to one pass each way. The weight is rearranged by one gather (the tap
 * flip included; its index is made once and kept beside the weight) instead of a flip and a
 * permuting copy, whose 2-float inner runs made them slow. The pixel shuffle and the crop to the
 * output size are one gather with an index computed at build time, so the output is a contiguous
 * tensor of exactly the output size (what follows, BatchNorm above all, runs on dense memory) and
 * its gradient is one scatter-add instead of a copy for the shuffle and a zero-filled tensor per
 * cropped axis. The convolution still computes whole phase blocks (8x8 where 7x7 are kept for
 * 7 -> 14): per-phase convolutions or one grouped convolution over gathered windows would skip
 * that, but measured slower on oneDNN.
 */
public final class ConvTranspose2d extends Layer {

    private final int outChannels;
    private final int kernel;
    private int stride = 1;
    private int padding;
    private int outputPadding;
    private boolean bias = true;
    private int inChannels;
    private Parameter weight;
    private Parameter biasParam;
    // decomposition plan, fixed at build time
    private int taps;
    private long convPadH;
    private long convPadW;
    private long cropH;
    private long cropW;
    private long outH;
    private long outW;
    // the shuffle-and-crop as flat positions in the convolution's per-channel phase block
    private long[] shuffleIndex;
    private long phaseBlock;
    private boolean plain;
    private NDArray weightIndex;

    public ConvTranspose2d(int outChannels, int kernel) {
        if (outChannels <= 0 || kernel <= 0) {
            throw new IllegalArgumentException("ConvTranspose2d needs positive channels and kernel size, got "
                    + outChannels + " and " + kernel);
        }
        this.outChannels = outChannels;
        this.kernel = kernel;
    }

    public ConvTranspose2d stride(int s) {
        if (s <= 0) {
            throw new IllegalArgumentException("ConvTranspose2d stride must be positive, got " + s);
        }
        this.stride = s;
        return this;
    }

    public ConvTranspose2d padding(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("ConvTranspose2d padding must not be negative, got " + p);
        }
        this.padding = p;
        return this;
    }

    public ConvTranspose2d outputPadding(int op) {
        if (op < 0) {
            throw new IllegalArgumentException("ConvTranspose2d output_padding must not be negative, got " + op);
        }
        this.outputPadding = op;
        return this;
    }

    public ConvTranspose2d bias(boolean withBias) {
        this.bias = withBias;
        return this;
    }

    /** Spectral normalisation of the weight (SNGAN), like torch.nn.utils.spectral_norm(layer): see {@link SpectralNorm}. */
    public ConvTranspose2d spectralNorm() {
        return SpectralNorm.of(this);
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    public String typeName() {
        return "ConvTranspose2d";
    }

    @Override
    public String describe() {
        return "ConvTranspose2d(" + inChannels + ", " + outChannels + ", kernel_size=(" + kernel + ", " + kernel
                + "), stride=(" + stride + ", " + stride + ")"
                + (padding > 0 ? ", padding=(" + padding + ", " + padding + ")" : "")
                + (outputPadding > 0 ? ", output_padding=(" + outputPadding + ", " + outputPadding + ")" : "")
                + (bias ? "" : ", bias=False") + ")";
    }

    /** PyTorch's output size formula. */
    public static long outputSize(long n, int k, int s, int p, int op) {
        return (n - 1) * s - 2L * p + k + op;
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        if (input.dimension() != 3) {
            throw shapeError(input, "expects (channels, height, width); for a latent vector add `reshape z, 1, 1` first");
        }
        if (outputPadding >= stride) {
            throw new ShapeException("ConvTranspose2d output_padding (" + outputPadding
                    + ") must be smaller than its stride (" + stride + "), as in PyTorch");
        }
        long h = outputSize(input.get(1), kernel, stride, padding, outputPadding);
        long w = outputSize(input.get(2), kernel, stride, padding, outputPadding);
        if (h <= 0 || w <= 0) {
            throw shapeError(input, "with kernel " + kernel + ", stride " + stride + ", padding " + padding
                    + " would produce an empty " + h + "x" + w + " map");
        }
        return new Shape(outChannels, h, w);
    }

    @Override
    protected void declareParameters(Shape input) {
        inChannels = (int) input.get(0);
        // PyTorch computes fan-in from dimension 1 of the weight, which is `out` for a transposed conv
        int fanIn = outChannels * kernel * kernel;
        int fanOut = inChannels * kernel * kernel;
        weight = declare("weight", new Shape(inChannels, outChannels, kernel, kernel), Parameter.Role.WEIGHT, fanIn, fanOut);
        if (bias) {
            biasParam = declare("bias", new Shape(outChannels), Parameter.Role.BIAS, fanIn, fanOut);
        }
        taps = (kernel + stride - 1) / stride;
        outH = outputShape().get(1);
        outW = outputShape().get(2);
        convPadH = convPadding(input.get(1), outH);
        convPadW = convPadding(input.get(2), outW);
        cropH = padding - (taps - 1 - convPadH) * stride;
        cropW = padding - (taps - 1 - convPadW) * stride;
        long qH = input.get(1) + 2 * convPadH - taps + 1;
        long qW = input.get(2) + 2 * convPadW - taps + 1;
        plain = stride == 1 && cropH == 0 && cropW == 0 && qH == outH && qW == outW;
        // output (oh, ow) is shuffled row Y = oh + cropH = q s + r of phase r: channel block
        // (r_h s + r_w) of the convolution, position (q_h, q_w) in it
        phaseBlock = (long) stride * stride * qH * qW;
        shuffleIndex = new long[Math.toIntExact(outH * outW)];
        for (long oh = 0; oh < outH; oh++) {
            long yh = oh + cropH;
            for (long ow = 0; ow < outW; ow++) {
                long yw = ow + cropW;
                long phase = (yh % stride) * stride + yw % stride;
                shuffleIndex[(int) (oh * outW + ow)] = (phase * qH + yh / stride) * qW + yw / stride;
            }
        }
    }

    /**
     * The smallest symmetric padding whose convolution covers every needed phase row q: from
     * floor(p / s) to floor((out - 1 + p) / s). With padding P, rows q = taps-1-P ... n-1+P exist.
     */
    private long convPadding(long n, long out) {
        long first = padding / stride;
        long last = (out - 1 + padding) / stride;
        return Math.max(0, Math.max(taps - 1 - first, last - n + 1));
    }

    /** The convolution weight (out·s·s, in, taps, taps) that computes all phases at once. */
    NDArray phaseWeight(NDArray w, ForwardContext context) {
        long full = (long) taps * stride;
        NDArray padded = w;
        if (full > kernel) {
            NDArray zerosRows = context.manager().zeros(new Shape(inChannels, outChannels, full - kernel, kernel), w.getDataType(), w.getDevice());
            padded = NDArrays.concat(new NDList(padded, zerosRows), 2);
            NDArray zerosCols = context.manager().zeros(new Shape(inChannels, outChannels, full, full - kernel), w.getDataType(), w.getDevice());
            padded = NDArrays.concat(new NDList(padded, zerosCols), 3);
        }
        // one gather: element (o, r_h, r_w, i, m_h, m_w) is tap ((taps-1-m) s + r) of w[i, o], the
        // taps walked backwards as the transposed convolution walks the kernel
        return padded.reshape(-1).gather(weightIndex(), 0)
                .reshape((long) outChannels * stride * stride, inChannels, taps, taps);
    }

    /** The flat source position of every phase-weight element, kept beside the weight itself. */
    private synchronized NDArray weightIndex() {
        NDArray owner = weight.value();
        if (weightIndex == null || weightIndex.isReleased() || weightIndex.getManager() != owner.getManager()) {
            long full = (long) taps * stride;
            long[] index = new long[Math.toIntExact((long) outChannels * stride * stride * inChannels * taps * taps)];
            int n = 0;
            for (int o = 0; o < outChannels; o++) {
                for (int rh = 0; rh < stride; rh++) {
                    for (int rw = 0; rw < stride; rw++) {
                        for (int i = 0; i < inChannels; i++) {
                            for (int mh = 0; mh < taps; mh++) {
                                for (int mw = 0; mw < taps; mw++) {
                                    long kh = (long) (taps - 1 - mh) * stride + rh;
                                    long kw = (long) (taps - 1 - mw) * stride + rw;
                                    index[n++] = (((long) i * outChannels + o) * full + kh) * full + kw;
                                }
                            }
                        }
                    }
                }
            }
            weightIndex = owner.getManager().create(index);
        }
        return weightIndex;
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        NDArray phases = phaseWeight(context.use(weight), context);
        NDArray y = Torch.convolution(x, phases, null, new Shape(1, 1), new Shape(convPadH, convPadW), new Shape(1, 1), 1);
        if (!plain) {
            long batch = y.getShape().get(0);
            NDArray index = context.manager().create(shuffleIndex)
                    .reshape(1, 1, shuffleIndex.length)
                    .broadcast(new Shape(batch, outChannels, shuffleIndex.length));
            y = y.reshape(batch, outChannels, phaseBlock).gather(index, 2).reshape(batch, outChannels, outH, outW);
        }
        if (biasParam != null) {
            y = y.add(context.use(biasParam).reshape(1, outChannels, 1, 1));
        }
        return y;
    }
}
