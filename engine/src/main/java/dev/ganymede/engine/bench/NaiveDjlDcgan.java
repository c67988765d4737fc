package dev.ganymede.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.data.DataLoader;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.data.HostBatch;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Torch;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 004's DCGAN written the way a first DJL port would be, as the baseline the engine has to
 * beat: plain tensors for parameters, no layer library, and
 * <ul>
 *   <li>transposed convolution by zero insertion: the input is spread out with s - 1 zeros
 *       between pixels and convolved with the flipped, transposed kernel (padding k - 1 - p), so
 *       three quarters of the multiply-adds at stride 2 hit zeros;</li>
 *   <li>every gradient of both networks cleared before each backward pass the way DJL's own
 *       gradient collector does it ({@code grad.subi(grad)} on each array that has one);</li>
 *   <li>the generator step back-propagates into D's weights too (their gradients are computed
 *       and thrown away), as the PyTorch tutorial loop does;</li>
 *   <li>Adam written out with NDArray arithmetic, bias corrections as separate divisions.</li>
 * </ul>
 * The step itself is the PyTorch tutorial's: one G forward, D updated on real and detached
 * fakes, G updated through D on the same fakes.
 */
final class NaiveDjlDcgan implements AutoCloseable {

    private static final float LR = 2e-4f;
    private static final float BETA1 = 0.5f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final NDManager params;
    private final DataLoader loader;
    private final int batch;
    // generator
    private final NDArray gW1;
    private final NDArray gB1;
    private final NDArray gT1;
    private final NDArray gBnGamma;
    private final NDArray gBnBeta;
    private final NDArray gBnMean;
    private final NDArray gBnVar;
    private final NDArray gT2;
    // discriminator
    private final NDArray dC1;
    private final NDArray dC2;
    private final NDArray dBn2Gamma;
    private final NDArray dBn2Beta;
    private final NDArray dBn2Mean;
    private final NDArray dBn2Var;
    private final NDArray dC3;
    private final NDArray dBn3Gamma;
    private final NDArray dBn3Beta;
    private final NDArray dBn3Mean;
    private final NDArray dBn3Var;
    private final NDArray dL;
    private final NDArray dLb;
    private final List<NDArray> gParams = new ArrayList<>();
    private final List<NDArray> dParams = new ArrayList<>();
    private final List<NDArray[]> gState = new ArrayList<>();
    private final List<NDArray[]> dState = new ArrayList<>();
    private long t;

    NaiveDjlDcgan(Dataset data, int batch, long seed) {
        Backend.seed(seed);
        this.batch = batch;
        params = Backend.engine().newBaseManager();
        gW1 = uniform(gParams, new Shape(256 * 7 * 7, 100), 100);
        gB1 = uniform(gParams, new Shape(256 * 7 * 7), 100);
        gT1 = uniform(gParams, new Shape(256, 128, 4, 4), 128 * 16);
        gBnGamma = trainable(gParams, params.ones(new Shape(128)));
        gBnBeta = trainable(gParams, params.zeros(new Shape(128)));
        gBnMean = params.zeros(new Shape(128));
        gBnVar = params.ones(new Shape(128));
        gT2 = uniform(gParams, new Shape(128, 1, 4, 4), 16);
        dC1 = uniform(dParams, new Shape(64, 1, 4, 4), 16);
        dC2 = uniform(dParams, new Shape(128, 64, 4, 4), 64 * 16);
        dBn2Gamma = trainable(dParams, params.ones(new Shape(128)));
        dBn2Beta = trainable(dParams, params.zeros(new Shape(128)));
        dBn2Mean = params.zeros(new Shape(128));
        dBn2Var = params.ones(new Shape(128));
        dC3 = uniform(dParams, new Shape(256, 128, 4, 4), 128 * 16);
        dBn3Gamma = trainable(dParams, params.ones(new Shape(256)));
        dBn3Beta = trainable(dParams, params.zeros(new Shape(256)));
        dBn3Mean = params.zeros(new Shape(256));
        dBn3Var = params.ones(new Shape(256));
        dL = uniform(dParams, new Shape(1, 2304), 2304);
        dLb = uniform(dParams, new Shape(1), 2304);
        for (NDArray p : gParams) {
            gState.add(new NDArray[] {params.zeros(p.getShape()), params.zeros(p.getShape())});
        }
        for (NDArray p : dParams) {
            dState.add(new NDArray[] {params.zeros(p.getShape()), params.zeros(p.getShape())});
        }
        loader = DataLoader.builder(data).batchSize(batch).shuffle(true).dropLast(true).seed(seed).build();
    }

    private NDArray uniform(List<NDArray> into, Shape shape, int fanIn) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return trainable(into, params.randomUniform(-bound, bound, shape, DataType.FLOAT32));
    }

    private static NDArray trainable(List<NDArray> into, NDArray array) {
        array.setRequiresGradient(true);
        into.add(array);
        return array;
    }

    /** PyTorch's ConvTranspose2d(in, out, k, s, p) by zero insertion and an ordinary convolution. */
    static NDArray convTransposeByZeroInsertion(NDArray x, NDArray w, int stride, int padding) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long wd = s.get(3);
        int k = (int) w.getShape().get(2);
        NDManager m = x.getManager();
        NDArray spread = x;
        if (stride > 1) {
            NDArray cols = NDArrays.concat(new NDList(x.reshape(n, c, h, 1, wd, 1),
                    m.zeros(new Shape(n, c, h, 1, wd, stride - 1))), 5);
            NDArray rows = NDArrays.concat(new NDList(cols,
                    m.zeros(new Shape(n, c, h, stride - 1, wd, stride))), 3);
            spread = rows.reshape(n, c, h * stride, wd * stride)
                    .get(new NDIndex(":, :, :{}, :{}", (h - 1) * stride + 1, (wd - 1) * stride + 1));
        }
        NDArray kernel = w.flip(2, 3);
        kernel.attach(m);
        kernel = kernel.transpose(1, 0, 2, 3);
        return Torch.convolution(spread, kernel, null, new Shape(1, 1),
                new Shape(k - 1 - padding, k - 1 - padding), new Shape(1, 1), 1);
    }

    private NDArray generator(NDArray z) {
        NDArray h = JniUtils.linear(Torch.pt(z), Torch.pt(gW1), Torch.pt(gB1)).reshape(z.getShape().get(0), 256, 7, 7);
        h = convTransposeByZeroInsertion(h, gT1, 2, 1);
        h = JniUtils.batchNorm(Torch.pt(h), Torch.pt(gBnMean), Torch.pt(gBnVar), Torch.pt(gBnGamma),
                Torch.pt(gBnBeta), true, 0.1, 1e-5);
        h = JniUtils.relu(Torch.pt(h));
        h = convTransposeByZeroInsertion(h, gT2, 2, 1);
        return h.tanh();
    }

    private NDArray discriminator(NDArray x) {
        Shape s2 = new Shape(2, 2);
        Shape p1 = new Shape(1, 1);
        Shape d1 = new Shape(1, 1);
        NDArray h = Torch.convolution(x, dC1, null, s2, p1, d1, 1);
        h = JniUtils.leakyRelu(Torch.pt(h), 0.2);
        h = Torch.convolution(h, dC2, null, s2, p1, d1, 1);
        h = JniUtils.batchNorm(Torch.pt(h), Torch.pt(dBn2Mean), Torch.pt(dBn2Var), Torch.pt(dBn2Gamma),
                Torch.pt(dBn2Beta), true, 0.1, 1e-5);
        h = JniUtils.leakyRelu(Torch.pt(h), 0.2);
        h = Torch.convolution(h, dC3, null, s2, p1, d1, 1);
        h = JniUtils.batchNorm(Torch.pt(h), Torch.pt(dBn3Mean), Torch.pt(dBn3Var), Torch.pt(dBn3Gamma),
                Torch.pt(dBn3Beta), true, 0.1, 1e-5);
        h = JniUtils.leakyRelu(Torch.pt(h), 0.2);
        h = h.reshape(h.getShape().get(0), 2304);
        return JniUtils.linear(Torch.pt(h), Torch.pt(dL), Torch.pt(dLb));
    }

    private static NDArray bceWithLogits(NDArray logits, float target) {
        return JniUtils.softPlus(Torch.pt(logits)).sub(Torch.mul(logits, target)).mean();
    }

    /** Clears every gradient of both networks as DJL's gradient collector does. */
    private void zeroAllGradients(NDManager scope) {
        for (List<NDArray> list : List.of(gParams, dParams)) {
            for (NDArray p : list) {
                NDArray grad = Autograd.gradient(p, scope);
                if (grad != null) {
                    grad.subi(Autograd.gradient(p, scope));
                }
            }
        }
    }

    private void adam(List<NDArray> ps, List<NDArray[]> state, NDManager scope) {
        float bc1 = (float) (1 - Math.pow(BETA1, t));
        float bc2 = (float) (1 - Math.pow(BETA2, t));
        try (Autograd.Recording paused = Autograd.pause()) {
            for (int i = 0; i < ps.size(); i++) {
                NDArray p = ps.get(i);
                NDArray g = Autograd.gradient(p, scope);
                if (g == null) {
                    continue;
                }
                NDArray m = state.get(i)[0];
                NDArray v = state.get(i)[1];
                Torch.muli(m, BETA1).addi(Torch.mul(g, 1 - BETA1));
                Torch.muli(v, BETA2).addi(Torch.mul(g.square(), 1 - BETA2));
                NDArray mHat = Torch.div(m, bc1);
                NDArray vHat = Torch.div(v, bc2);
                mHat.attach(scope);
                vHat.attach(scope);
                p.subi(Torch.mul(mHat, LR).div(Torch.add(vHat.sqrt(), EPS)));
            }
        }
    }

    /** One training step; returns D's and G's losses. */
    float[] step() {
        t++;
        try (NDManager scope = params.newSubManager()) {
            HostBatch hb = loader.next();
            NDArray real = scope.create(hb.data(), new Shape(batch, 1, 28, 28));
            NDArray z = scope.randomNormal(0f, 1f, new Shape(batch, 100), DataType.FLOAT32);
            NDArray fake;
            NDArray lossD;
            try (Autograd.Recording rec = Autograd.record()) {
                fake = generator(z);
                zeroAllGradients(scope);
                lossD = bceWithLogits(discriminator(real), 1f).add(bceWithLogits(discriminator(fake.stopGradient()), 0f));
                Autograd.backward(lossD);
            }
            adam(dParams, dState, scope);
            NDArray lossG;
            try (Autograd.Recording rec = Autograd.record()) {
                zeroAllGradients(scope);
                lossG = bceWithLogits(discriminator(fake), 1f);
                Autograd.backward(lossG);
            }
            adam(gParams, gState, scope);
            return new float[] {lossD.getFloat(), lossG.getFloat()};
        }
    }

    @Override
    public void close() {
        loader.close();
        params.close();
    }
}
