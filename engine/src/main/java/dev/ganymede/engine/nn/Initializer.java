package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * How a parameter gets its first value. Random draws use PyTorch's generator, so a seeded run
 * initialises identically every time.
 */
@FunctionalInterface
public interface Initializer {

    NDArray initialValue(Parameter parameter, NDManager manager);

    /** PyTorch's defaults: weights and biases U(±1/√fan_in), BatchNorm γ = 1, β = 0, embeddings N(0, 1). */
    static Initializer pytorch() {
        return (p, m) -> {
            switch (p.role()) {
                case WEIGHT:
                case BIAS: {
                    float bound = (float) (1.0 / Math.sqrt(p.fanIn()));
                    return m.randomUniform(-bound, bound, p.shape(), DataType.FLOAT32);
                }
                default:
                    return Initializer.buffers(p, m);
            }
        };
    }

    /** DCGAN (Radford et al.): conv and linear weights N(0, 0.02), biases 0, BatchNorm γ ~ N(1, 0.02), β = 0. */
    static Initializer dcgan() {
        return (p, m) -> {
            switch (p.role()) {
                case WEIGHT: return m.randomNormal(0f, 0.02f, p.shape(), DataType.FLOAT32);
                case BIAS: return m.zeros(p.shape());
                case GAMMA: return m.randomNormal(1f, 0.02f, p.shape(), DataType.FLOAT32);
                default: return Initializer.buffers(p, m);
            }
        };
    }

    /**
     * Weights N(0, 0.02), biases 0, BatchNorm γ = 1 and β = 0: DCGAN's weights with the layers'
     * own BatchNorm start, as Keras's RandomNormal(stddev=0.02) and Blocks' IsotropicGaussian(0.02)
     * leave it (the PacGAN authors' code).
     */
    static Initializer normal() {
        return (p, m) -> {
            switch (p.role()) {
                case WEIGHT: return m.randomNormal(0f, 0.02f, p.shape(), DataType.FLOAT32);
                case BIAS: return m.zeros(p.shape());
                default: return Initializer.buffers(p, m);
            }
        };
    }

    /** Xavier/Glorot uniform, U(±√(6 / (fan_in + fan_out))), biases 0. */
    static Initializer xavier() {
        return (p, m) -> {
            switch (p.role()) {
                case WEIGHT: {
                    float bound = (float) Math.sqrt(6.0 / (p.fanIn() + p.fanOut()));
                    return m.randomUniform(-bound, bound, p.shape(), DataType.FLOAT32);
                }
                case BIAS: return m.zeros(p.shape());
                default: return Initializer.buffers(p, m);
            }
        };
    }

    /** Kaiming/He normal for ReLU networks, N(0, 2 / fan_in), biases 0. */
    static Initializer kaiming() {
        return (p, m) -> {
            switch (p.role()) {
                case WEIGHT: return m.randomNormal(0f, (float) Math.sqrt(2.0 / p.fanIn()), p.shape(), DataType.FLOAT32);
                case BIAS: return m.zeros(p.shape());
                default: return Initializer.buffers(p, m);
            }
        };
    }

    /** Looks an initialiser up by the name scripts use. */
    static Initializer named(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "pytorch": case "default": return pytorch();
            case "dcgan": return dcgan();
            case "normal": return normal();
            case "xavier": case "glorot": return xavier();
            case "kaiming": case "he": return kaiming();
            default:
                throw new IllegalArgumentException("unknown initialiser '" + name + "': use pytorch, dcgan, normal, xavier or kaiming");
        }
    }

    /** Values every initialiser shares for non-weight roles. */
    static NDArray buffers(Parameter p, NDManager m) {
        switch (p.role()) {
            case GAMMA:
            case RUNNING_VAR:
                return m.ones(p.shape());
            case EMBEDDING:
                return m.randomNormal(0f, 1f, p.shape(), DataType.FLOAT32);
            default:
                return m.zeros(p.shape());
        }
    }
}
