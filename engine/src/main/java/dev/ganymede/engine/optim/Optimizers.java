package dev.ganymede.engine.optim;

/** Optimiser names as scripts use them. */
public final class Optimizers {

    private Optimizers() {}

    public static Optimizer named(String name, double learningRate) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "adam": return Adam.of(learningRate);
            case "sgd": return Sgd.of(learningRate);
            case "rmsprop": return RmsProp.of(learningRate);
            default:
                throw new IllegalArgumentException("unknown optimiser '" + name + "': use adam, sgd or rmsprop");
        }
    }
}
