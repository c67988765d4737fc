package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.nn.Torch;

/**
 * Least-squares GAN (Mao et al. 2017, arXiv 1611.04076; seed 001 ch. 4.3): D regresses its raw
 * score towards a target b on real samples and a on generated ones, and G pulls D(G(z)) towards c.
 *
 * <pre>
 *   D minimises ½ E[(D(x) − b)²] + ½ E[(D(G(z)) − a)²]
 *   G minimises ½ E[(D(G(z)) − c)²]
 * </pre>
 *
 * The seed uses a = 0, b = 1, c = 1 (the defaults). The paper's other choice, a = −1, b = 1, c = 0,
 * satisfies b − c = 1 and b − a = 2, under which G minimises the Pearson χ² divergence between
 * P_data + P_g and 2·P_g. D must output a raw score: no sigmoid.
 */
public final class LeastSquares implements AdversarialLoss {

    private final double fakeTarget;
    private final double realTarget;
    private final double generatorTarget;

    private LeastSquares(double a, double b, double c) {
        if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c))) {
            throw new IllegalArgumentException("the least-squares targets must be finite numbers, got a = " + a + ", b = " + b + ", c = " + c);
        }
        if (a == b) {
            throw new IllegalArgumentException("the least-squares fake target a and real target b must differ (both are " + a + "), or D cannot tell real from fake");
        }
        this.fakeTarget = a;
        this.realTarget = b;
        this.generatorTarget = c;
    }

    /** The seed's targets: a = 0 for fakes, b = 1 for reals, c = 1 for the generator. */
    public static LeastSquares standard() {
        return new LeastSquares(0, 1, 1);
    }

    /** Targets a (D's target for fakes), b (for reals) and c (G's target for its fakes). */
    public static LeastSquares targets(double a, double b, double c) {
        return new LeastSquares(a, b, c);
    }

    public double fakeTarget() {
        return fakeTarget;
    }

    public double realTarget() {
        return realTarget;
    }

    public double generatorTarget() {
        return generatorTarget;
    }

    @Override
    public String name() {
        return "lsgan";
    }

    @Override
    public OutputKind outputKind() {
        return OutputKind.SCORE;
    }

    @Override
    public String describe() {
        return "D: ½E[" + square("D(x)", realTarget) + "] + ½E[" + square("D(G(z))", fakeTarget) + "]; G: ½E["
                + square("D(G(z))", generatorTarget) + "]";
    }

    /** (x − t)² written as a person would: x² for t = 0, (x + 1)² for t = −1. */
    private static String square(String x, double target) {
        if (target == 0) {
            return x + "²";
        }
        return "(" + x + (target > 0 ? " − " : " + ") + number(Math.abs(target)) + ")²";
    }

    @Override
    public NDArray discriminatorLoss(NDArray dReal, NDArray dFake) {
        return Torch.mul(meanSquare(dReal, realTarget).add(meanSquare(dFake, fakeTarget)), 0.5);
    }

    @Override
    public NDArray generatorLoss(NDArray dFake) {
        return Torch.mul(meanSquare(dFake, generatorTarget), 0.5);
    }

    private static NDArray meanSquare(NDArray output, double target) {
        NDArray d = Torch.sub(output, target);
        return d.mul(d).mean();
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
