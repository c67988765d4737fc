package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Torch;

/**
 * KL-Wasserstein GAN (Song and Ermon 2020, "Bridging the gap between f-GANs and Wasserstein GANs",
 * arXiv 1910.09779; seed 003 section 3). The critic's scores on generated samples are reweighted by
 * the density ratios its KL-optimal form implies, self-normalised over the fake batch:
 *
 * <pre>
 *   r_i = exp(D(G(z_i))) / mean_j exp(D(G(z_j)))
 *   D minimises mean_i r_i D(G(z_i)) − mean_i D(x_i)
 *   G minimises −mean_i r_i D(G(z_i))
 *   hinge:  D minimises mean_i max(0, 1 − D(x_i)) + mean_i max(0, 1 + r_i D(G(z_i)))
 * </pre>
 *
 * <p>With all r_i = 1 this is the Wasserstein objective; the weights make it the KL member of the
 * paper's family. mean_i r_i D_i = Σ_i softmax(D)_i D_i, so the weights are computed as N times a
 * softmax over the fake batch (all D's outputs for the batch, flattened), which subtracts the largest
 * score before exponentiating: finite for scores of ±100 and beyond. As in the authors' code
 * (ermongroup/f-wgan, {@code loss_kl_dis} and {@code loss_kl_gen}) the weights are not detached:
 * gradients flow through r into both players. The hinge form is the one the authors train image
 * models with.
 *
 * <p>Seed 003 prints L_D = (1/N) Σ e^(r_i D(G(z_i))) − (1/N) Σ e^(D(x_i)) and L_G = (1/N) Σ r_i D(G(z_i))
 * with r_i undefined: garbled exponentials and G's sign (it would lower its own score). This class
 * implements the paper's objective instead. D must output a raw score: no sigmoid.
 */
public final class KlWasserstein implements AdversarialLoss {

    private boolean hinge;

    public KlWasserstein() {}

    /** The hinge form of D's loss, as in the authors' image experiments. */
    public KlWasserstein hinge(boolean useHinge) {
        this.hinge = useHinge;
        return this;
    }

    public boolean isHinge() {
        return hinge;
    }

    @Override
    public String name() {
        return "kl-wgan";
    }

    @Override
    public OutputKind outputKind() {
        return OutputKind.SCORE;
    }

    @Override
    public String describe() {
        String d = hinge ? "E[max(0, 1 − D(x))] + E[max(0, 1 + r·D(G(z)))]" : "E[r·D(G(z))] − E[D(x)]";
        return "r = exp(D(G(z)))/mean exp(D(G(z))) over the fake batch; D: " + d + "; G: −E[r·D(G(z))]";
    }

    /** The weights r_i, one per element of D's output on the fake batch, flattened; they average 1. */
    public NDArray weights(NDArray dFake) {
        NDArray flat = dFake.flatten();
        return Torch.mul(flat.softmax(0), flat.size());
    }

    /** mean_i r_i D(G(z_i)) = Σ_i softmax(D(G(z)))_i D(G(z_i)). */
    public NDArray weightedFakeMean(NDArray dFake) {
        NDArray flat = dFake.flatten();
        return flat.softmax(0).mul(flat).sum();
    }

    @Override
    public NDArray discriminatorLoss(NDArray dReal, NDArray dFake) {
        if (hinge) {
            NDArray flat = dFake.flatten();
            NDArray weighted = weights(dFake).mul(flat);
            return Hinge.relu(Torch.add(dReal.neg(), 1)).mean().add(Hinge.relu(Torch.add(weighted, 1)).mean());
        }
        return weightedFakeMean(dFake).sub(dReal.mean());
    }

    @Override
    public NDArray generatorLoss(NDArray dFake) {
        return weightedFakeMean(dFake).neg();
    }
}
