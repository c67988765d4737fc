package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.nn.Torch;

/**
 * The hinge loss of geometric GAN and SAGAN (seed 001 ch. 2.6): D is pushed to score real samples
 * above +1 and generated ones below −1, and stops caring beyond the margin.
 *
 * <pre>
 *   D minimises E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]
 *   G minimises −E[D(G(z))]
 * </pre>
 *
 * D must output a raw score: no sigmoid.
 */
public final class Hinge implements AdversarialLoss {

    @Override
    public String name() {
        return "hinge";
    }

    @Override
    public OutputKind outputKind() {
        return OutputKind.SCORE;
    }

    @Override
    public String describe() {
        return "D: E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]; G: −E[D(G(z))]";
    }

    @Override
    public NDArray discriminatorLoss(NDArray dReal, NDArray dFake) {
        return relu(Torch.add(dReal.neg(), 1)).mean().add(relu(Torch.add(dFake, 1)).mean());
    }

    @Override
    public NDArray generatorLoss(NDArray dFake) {
        return dFake.mean().neg();
    }

    static NDArray relu(NDArray x) {
        return JniUtils.relu(Torch.pt(x));
    }
}
