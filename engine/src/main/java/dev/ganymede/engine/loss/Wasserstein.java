package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;

/**
 * The Wasserstein GAN objective (Arjovsky et al. 2017, arXiv 1701.07875; seed 001 ch. 2.6 and
 * 4.1): the critic D estimates the earth mover's distance as E[D(x)] − E[D(G(z))], which it
 * maximises, so it minimises the negative; the generator raises the critic's score of its samples.
 *
 * <pre>
 *   D minimises E[D(G(z))] − E[D(x)]
 *   G minimises −E[D(G(z))]
 * </pre>
 *
 * Seed 001 (L970) prints E[D(x)] − E[D(G(z))] as D's loss, and seed 003 writes G's loss with G(z)
 * in place of D(G(z)); both are the quantities above with the signs meant. The estimate is a
 * distance only for a 1-Lipschitz critic: weight clipping or a gradient penalty must come with it.
 * D must output a raw score: no sigmoid.
 */
public final class Wasserstein implements AdversarialLoss {

    @Override
    public String name() {
        return "wasserstein";
    }

    @Override
    public OutputKind outputKind() {
        return OutputKind.SCORE;
    }

    @Override
    public String describe() {
        return "D: E[D(G(z))] − E[D(x)]; G: −E[D(G(z))] (a distance only with a Lipschitz critic)";
    }

    @Override
    public NDArray discriminatorLoss(NDArray dReal, NDArray dFake) {
        return dFake.mean().sub(dReal.mean());
    }

    @Override
    public NDArray generatorLoss(NDArray dFake) {
        return dFake.mean().neg();
    }
}
