package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;

/**
 * An f-GAN (Nowozin et al. 2016, arXiv 1606.00709): D's raw output V, passed through the output
 * activation g_f, is a variational function T = g_f(V) whose bound E_P[T] − E_Q[f*(T)] estimates
 * the f-divergence D_f(P‖Q) from below, tightly at T*(x) = f'(p(x)/q(x)). D maximises the bound;
 * the generator lowers it.
 *
 * <pre>
 *   D minimises −(E[g_f(V(x))] − E[f*(g_f(V(G(z))))])
 *   G minimises −E[g_f(V(G(z)))]            (default)
 *            or −E[f*(g_f(V(G(z))))]         (saturating: the saddle-point objective itself)
 * </pre>
 *
 * <p>The generator's default follows the paper's section 3.2 ("Practical considerations"):
 * as Goodfellow et al. did for the GAN, it maximises E_Q[g_f(V)] instead of minimising
 * E_Q[−f*(g_f(V))]. The stationary point is the same, the gradients are stronger early in training,
 * and the authors report that it helps for the other divergences too. For the KL divergence it is
 * G's loss −E[D(G(z))] of seed 003's KL-GAN table, once its G(z) is read as D(G(z)).
 * D must output a raw score: no sigmoid.
 */
public final class FGan implements AdversarialLoss {

    private final FDivergence divergence;
    private boolean saturating;

    private FGan(FDivergence divergence) {
        this.divergence = divergence;
    }

    public static FGan of(FDivergence divergence) {
        if (divergence == null) {
            throw new IllegalArgumentException("an f-GAN needs a divergence");
        }
        return new FGan(divergence);
    }

    /** G minimises −E[f*(g_f(V(G(z))))], the saddle-point objective, instead of −E[g_f(V(G(z)))]. */
    public FGan saturating(boolean useSaturating) {
        this.saturating = useSaturating;
        return this;
    }

    public boolean isSaturating() {
        return saturating;
    }

    public FDivergence divergence() {
        return divergence;
    }

    @Override
    public String name() {
        return divergence.lossName();
    }

    @Override
    public OutputKind outputKind() {
        return OutputKind.SCORE;
    }

    @Override
    public String describe() {
        return "f-GAN, " + divergence.title() + ": " + divergence.formula()
                + "; D: −E[g(V(x))] + E[f*(g(V(G(z))))]; G: "
                + (saturating ? "−E[f*(g(V(G(z))))]" : "−E[g(V(G(z)))]");
    }

    /** The variational bound E[g_f(V(x))] − E[f*(g_f(V(G(z))))] that D maximises: −(D's loss). */
    public NDArray bound(NDArray vReal, NDArray vFake) {
        return divergence.activation(vReal).mean().sub(divergence.conjugateOfActivation(vFake).mean());
    }

    @Override
    public NDArray discriminatorLoss(NDArray dReal, NDArray dFake) {
        return divergence.conjugateOfActivation(dFake).mean().sub(divergence.activation(dReal).mean());
    }

    @Override
    public NDArray generatorLoss(NDArray dFake) {
        if (saturating) {
            return divergence.conjugateOfActivation(dFake).mean().neg();
        }
        return divergence.activation(dFake).mean().neg();
    }
}
