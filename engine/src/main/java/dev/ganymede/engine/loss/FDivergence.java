package dev.ganymede.engine.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.nn.Torch;

/**
 * The f-divergences of f-GAN (Nowozin, Cseke and Tomioka 2016, arXiv 1606.00709, tables 1 and 2)
 * that Ganymede offers, each with its output activation g_f, which maps D's raw output v to the
 * domain of the conjugate, and the Fenchel conjugate f* of its generator function f.
 *
 * <table>
 *   <caption>g_f, f* and f(u), with D_f(P‖Q) = ∫ q f(p/q)</caption>
 *   <tr><th>divergence</th><th>g_f(v)</th><th>f*(t)</th><th>f*(g_f(v))</th><th>f(u)</th></tr>
 *   <tr><td>KL</td><td>v</td><td>exp(t − 1)</td><td>exp(v − 1)</td><td>u log u</td></tr>
 *   <tr><td>reverse KL</td><td>−exp(−v)</td><td>−1 − log(−t)</td><td>v − 1</td><td>−log u</td></tr>
 *   <tr><td>Jensen–Shannon</td><td>log 2 − log(1 + exp(−v))</td><td>−log(2 − exp(t))</td>
 *       <td>softplus(v) − log 2</td><td>u log u − (u + 1) log((1 + u)/2)</td></tr>
 *   <tr><td>Pearson χ²</td><td>v</td><td>t²/4 + t</td><td>v²/4 + v</td><td>(u − 1)²</td></tr>
 *   <tr><td>squared Hellinger</td><td>1 − exp(−v)</td><td>t/(1 − t)</td><td>exp(v) − 1</td><td>(√u − 1)²</td></tr>
 * </table>
 *
 * <p>The composed column f*(g_f(v)) is what the losses compute: simplified by hand, it never forms
 * an intermediate that overflows when the result does not (the reverse KL's −exp(−v) at v = −100,
 * then a log of it), and the Jensen–Shannon terms go through PyTorch's softplus, exact for any v.
 * Only where the true value itself exceeds float range (about 3.4e38: exp(v) for v above 88.7)
 * does a term become ±∞; it is never NaN.
 *
 * <p>With this f, Jensen–Shannon's D_f is 2·JS(P‖Q) = KL(P‖M) + KL(Q‖M), M = (P + Q)/2 (the
 * paper's table 1 writes JS with a factor ½ in front but lists this f and conjugate).
 */
public enum FDivergence {

    /** Kullback–Leibler KL(P‖Q): the seed 003 "KL-GAN". */
    KL("kl", "Kullback–Leibler", "g(v) = v, f*(t) = exp(t − 1)") {
        @Override
        public NDArray activation(NDArray v) {
            return v;
        }

        @Override
        public NDArray conjugateOfActivation(NDArray v) {
            return Torch.sub(v, 1).exp();
        }
    },

    /** Reverse Kullback–Leibler KL(Q‖P). */
    REVERSE_KL("reverse-kl", "reverse Kullback–Leibler", "g(v) = −exp(−v), f*(t) = −1 − log(−t)") {
        @Override
        public NDArray activation(NDArray v) {
            return v.neg().exp().neg();
        }

        @Override
        public NDArray conjugateOfActivation(NDArray v) {
            // −1 − log(exp(−v)) = v − 1
            return Torch.sub(v, 1);
        }
    },

    /** Jensen–Shannon, the divergence the original GAN approximates. */
    JENSEN_SHANNON("js", "Jensen–Shannon", "g(v) = log 2 − log(1 + exp(−v)), f*(t) = −log(2 − exp(t))") {
        @Override
        public NDArray activation(NDArray v) {
            return Torch.add(softplus(v.neg()).neg(), LOG_2);
        }

        @Override
        public NDArray conjugateOfActivation(NDArray v) {
            // −log(2 − 2σ(v)) = −log 2 − log(1 − σ(v)) = softplus(v) − log 2
            return Torch.sub(softplus(v), LOG_2);
        }
    },

    /** Pearson χ². */
    PEARSON("pearson", "Pearson χ²", "g(v) = v, f*(t) = t²/4 + t") {
        @Override
        public NDArray activation(NDArray v) {
            return v;
        }

        @Override
        public NDArray conjugateOfActivation(NDArray v) {
            return Torch.mul(v.mul(v), 0.25).add(v);
        }
    },

    /** Squared Hellinger ∫ (√p − √q)². */
    SQUARED_HELLINGER("hellinger", "squared Hellinger", "g(v) = 1 − exp(−v), f*(t) = t/(1 − t)") {
        @Override
        public NDArray activation(NDArray v) {
            return Torch.add(v.neg().exp().neg(), 1);
        }

        @Override
        public NDArray conjugateOfActivation(NDArray v) {
            // g/(1 − g) with 1 − g = exp(−v): (1 − exp(−v)) exp(v) = exp(v) − 1
            return Torch.sub(v.exp(), 1);
        }
    };

    private static final float LOG_2 = (float) Math.log(2);

    private final String lossName;
    private final String title;
    private final String formula;

    FDivergence(String lossName, String title, String formula) {
        this.lossName = lossName;
        this.title = title;
        this.formula = formula;
    }

    /** The loss name scripts use: "kl", "reverse-kl", "js", "pearson", "hellinger". */
    public String lossName() {
        return lossName;
    }

    /** The divergence's name in words. */
    public String title() {
        return title;
    }

    /** Its output activation and conjugate, in one line. */
    public String formula() {
        return formula;
    }

    /** g_f(v): D's raw output mapped into the domain of f*. */
    public abstract NDArray activation(NDArray v);

    /** f*(g_f(v)), simplified so that it stays finite wherever its value is. */
    public abstract NDArray conjugateOfActivation(NDArray v);

    static NDArray softplus(NDArray x) {
        return JniUtils.softPlus(Torch.pt(x));
    }
}
