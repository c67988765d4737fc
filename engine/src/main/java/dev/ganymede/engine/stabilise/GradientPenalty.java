package dev.ganymede.engine.stabilise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ganymede.engine.nn.InputGradient;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.Torch;
import dev.ganymede.engine.train.Stabiliser;
import dev.ganymede.engine.train.StepContext;

/**
 * A penalty on the norm of the discriminator's gradient with respect to its input, added to the
 * discriminator's loss and differentiated through a second backward pass:
 * {@code weight · mean_i (‖∇ₓ D(x_i)‖₂ − target)²}, the norm taken per sample over all non-batch
 * dimensions.
 *
 * <ul>
 *   <li>WGAN-GP (Gulrajani et al. 2017): at points x̂ = α·x + (1 − α)·G(z) on lines between real and
 *       generated samples, one α ~ U(0, 1) per sample, target 1, weight λ = 10.
 *   <li>Zero-centred penalty on interpolates (Thanh-Tung et al. 2019): the same points, target 0.
 *   <li>R1 (Mescheder et al. 2018): at real samples, target 0, weight γ/2; R2 at generated samples.
 * </ul>
 *
 * The seeds' mistakes are avoided: α has one value per sample broadcast over the sample's other
 * dimensions (not one for the batch, not a 4-D shape on flat data), the fakes are detached, and
 * the norm is over every dimension but the batch.
 */
public final class GradientPenalty implements Stabiliser {

    /** Where the gradient is taken. */
    public enum Point {
        INTERPOLATES,
        REAL,
        FAKE
    }

    private final double weight;
    private final double target;
    private final Point point;

    public GradientPenalty(double weight, double target, Point point) {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("a gradient penalty needs a positive weight, got " + weight);
        }
        if (!(target >= 0)) {
            throw new IllegalArgumentException("the target gradient norm must be 0 or more, got " + target);
        }
        this.weight = weight;
        this.target = target;
        this.point = point;
    }

    /** WGAN-GP: λ · E[(‖∇D(x̂)‖ − 1)²] at random interpolates. */
    public static GradientPenalty wganGp(double lambda) {
        return new GradientPenalty(lambda, 1, Point.INTERPOLATES);
    }

    /** R1: γ/2 · E[‖∇D(x)‖²] at real samples. */
    public static GradientPenalty r1(double gamma) {
        return new GradientPenalty(gamma / 2, 0, Point.REAL);
    }

    /** R2: γ/2 · E[‖∇D(G(z))‖²] at generated samples. */
    public static GradientPenalty r2(double gamma) {
        return new GradientPenalty(gamma / 2, 0, Point.FAKE);
    }

    /** Zero-centred penalty at interpolates: λ · E[‖∇D(x̂)‖²]. */
    public static GradientPenalty zeroCentred(double lambda) {
        return new GradientPenalty(lambda, 0, Point.INTERPOLATES);
    }

    public double weight() {
        return weight;
    }

    public double target() {
        return target;
    }

    public Point point() {
        return point;
    }

    @Override
    public String describe() {
        return "gradient penalty " + weight + " · (‖∇D‖ − " + target + ")² at " + point.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public NDArray discriminatorPenalty(Network d, LabelledBatch real, LabelledBatch fake, StepContext c) {
        NDManager scope = c.scope();
        NDArray at;
        NDArray labels;
        switch (point) {
            case REAL:
                at = real.samples();
                labels = real.labels();
                break;
            case FAKE:
                at = fake.samples();
                labels = fake.labels();
                break;
            default:
                at = interpolates(real.samples(), fake.samples().stopGradient(), scope);
                labels = real.labels();
                break;
        }
        NDArray x = own(scope, at.stopGradient());
        x.setRequiresGradient(true);
        NDArray out = d.forward(x, c.training(labels));
        // recorded, so the penalty on the gradient can be differentiated; no parameter's .grad is touched
        NDArray grad = InputGradient.of(out, x, scope);
        long batch = grad.getShape().get(0);
        NDArray perSample = own(scope, grad.reshape(batch, -1));
        NDArray penalty;
        if (target == 0) {
            penalty = own(scope, perSample.square().sum(new int[] {1}).mean());
        } else {
            NDArray norm = own(scope, perSample.norm(new int[] {1}));
            penalty = own(scope, Torch.sub(norm, target).square().mean());
        }
        return own(scope, Torch.mul(penalty, weight));
    }

    /** α·real + (1 − α)·fake with one α ~ U(0, 1) per sample. */
    static NDArray interpolates(NDArray real, NDArray fake, NDManager scope) {
        Shape shape = real.getShape();
        long[] alphaShape = new long[shape.dimension()];
        java.util.Arrays.fill(alphaShape, 1);
        alphaShape[0] = shape.get(0);
        NDArray alpha = scope.randomUniform(0f, 1f, new Shape(alphaShape), real.getDataType(), real.getDevice());
        return own(scope, fake.add(own(scope, real.sub(fake)).mul(alpha)));
    }

    private static NDArray own(NDManager scope, NDArray a) {
        a.attach(scope);
        return a;
    }
}
