package dev.ganymede.engine.loss

import ai.djl.ndarray.NDManager
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("The standard GAN loss: binary cross-entropy on probabilities and on logits")
@Narrative("""
Both players of the standard GAN minimise a binary cross-entropy. D minimises
BCE(D(x), 1) + BCE(D(G(z)), 0); G minimises the non-saturating BCE(D(G(z)), 1) = -log D(G(z)), or
the original minimax log(1 - D(G(z))). On probabilities (D ends in a sigmoid) logs are clamped at
-100 as PyTorch's BCELoss does; on logits the loss is softplus(x) - x·y, finite for any logit.
""")
class LossesSpec extends Specification {

    @Shared NDManager m = Backend.engine().newBaseManager()

    def cleanupSpec() { m.close() }

    static double bce(double p, double y) {
        -(y * Math.max(Math.log(p), -100) + (1 - y) * Math.max(Math.log(1 - p), -100))
    }

    def "D's loss on D(x) = #real and D(G(z)) = #fake is #expected (the sum of both BCE terms)"() {
        given:
        def loss = BinaryCrossEntropy.onProbabilities()

        expect:
        Math.abs(loss.discriminatorLoss(m.create([real] as float[]), m.create([fake] as float[])).getFloat() - expected) < 1e-5

        where: "at the equilibrium D(x) = D(G(z)) = 0.5 the loss is 2 ln 2 = 1.386"
        real | fake || expected
        0.5f | 0.5f || 2 * Math.log(2)
        0.9f | 0.1f || 2 * -Math.log(0.9)
        0.6f | 0.4f || bce(0.6, 1) + bce(0.4, 0)
    }

    def "G's #kind loss at D(G(z)) = #fake is #expected"() {
        expect:
        Math.abs(loss.generatorLoss(m.create([fake] as float[])).getFloat() - expected) < 1e-5

        where: "the non-saturating loss is steep where G is bad (D(G(z)) near 0); the minimax one is flat there"
        kind             | loss                                                   | fake  || expected
        'non-saturating' | BinaryCrossEntropy.onProbabilities()                   | 0.5f  || Math.log(2)
        'non-saturating' | BinaryCrossEntropy.onProbabilities()                   | 0.01f || -Math.log(0.01)
        'minimax'        | BinaryCrossEntropy.onProbabilities().minimax(true)     | 0.5f  || Math.log(0.5)
        'minimax'        | BinaryCrossEntropy.onProbabilities().minimax(true)     | 0.01f || Math.log(0.99)
    }

    def "on logits, BCE of logit #logit against #target is #expected and stays finite"() {
        given:
        def loss = BinaryCrossEntropy.onLogits()

        expect:
        def value = loss.bce(m.create([logit] as float[]), target).getFloat()
        Double.isFinite(value)
        Math.abs(value - expected) < 1e-4 * Math.max(1d, expected as double)

        where: "softplus(x) - x·y: at ±100 a naive log(sigmoid(x)) would give -inf"
        logit   | target || expected
        0f      | 1.0    || Math.log(2)
        2f      | 1.0    || Math.log1p(Math.exp(-2))
        100f    | 1.0    || 0.0
        -100f   | 1.0    || 100.0
        100f    | 0.0    || 100.0
        -100f   | 0.0    || 0.0
    }

    def "probabilities of exactly 0 and 1 are clamped at log = -100, as PyTorch's BCELoss"() {
        expect:
        BinaryCrossEntropy.onProbabilities().bce(m.create([0f] as float[]), 1.0).getFloat() == 100f
        BinaryCrossEntropy.onProbabilities().bce(m.create([1f] as float[]), 0.0).getFloat() == 100f
    }

    def "one-sided label smoothing moves D's real target to #label and leaves the generator's at 1"() {
        given:
        def loss = BinaryCrossEntropy.onProbabilities().realLabel(label)

        expect: "D's loss at D(x) = 0.9, D(G(z)) = 0.1 uses the smoothed target for the real term only"
        Math.abs(loss.discriminatorLoss(m.create([0.9f] as float[]), m.create([0.1f] as float[])).getFloat()
                - (bce(0.9, label) + bce(0.1, 0))) < 1e-5

        and: "the generator still aims at 1: at D(G(z)) = 0.1 its loss is −log 0.1 = 2.303 (a target of 0.9 would give 2.083)"
        Math.abs(loss.generatorLoss(m.create([0.1f] as float[])).getFloat() - bce(0.1, 1)) < 1e-5

        where:
        label << [1.0, 0.9]
    }

    def "the VAE's KL term is 0 for N(0, 1) and ½(σ² + μ² - 1 - log σ²) otherwise, added (not subtracted)"() {
        expect:
        Reconstruction.vaeKl(m.zeros(new ai.djl.ndarray.types.Shape(2, 3)), m.zeros(new ai.djl.ndarray.types.Shape(2, 3))).getFloat() == 0f
        Math.abs(Reconstruction.vaeKl(m.create([[1f, 0f]] as float[][]), m.create([[0f, Math.log(4) as float]] as float[][])).getFloat()
                - (0.5 * (1 + 1 - 1 - 0) + 0.5 * (4 + 0 - 1 - Math.log(4)))) < 1e-5
    }

    def "L1 and L2 reconstruction are the mean absolute and mean squared errors"() {
        given:
        def a = m.create([1f, 2f, 3f] as float[])
        def b = m.create([1f, 0f, 6f] as float[])

        expect:
        Math.abs(Reconstruction.l1(a, b).getFloat() - 5 / 3d) < 1e-6
        Math.abs(Reconstruction.l2(a, b).getFloat() - 13 / 3d) < 1e-6
    }
}
