package dev.ganymede.engine.optim;

/** A multiplier of the base learning rate as training goes on. */
@FunctionalInterface
public interface LrSchedule {

    double factor(long step, int epoch);

    static LrSchedule constant() {
        return (step, epoch) -> 1.0;
    }

    /** Multiplies by {@code gamma} every {@code everyEpochs} epochs (PyTorch's StepLR). */
    static LrSchedule stepDecay(int everyEpochs, double gamma) {
        if (everyEpochs <= 0) {
            throw new IllegalArgumentException("step decay needs a positive epoch interval, got " + everyEpochs);
        }
        return (step, epoch) -> Math.pow(gamma, epoch / everyEpochs);
    }

    /** Constant for {@code holdEpochs}, then linear to 0 over {@code decayEpochs} (the pix2pix/CycleGAN schedule). */
    static LrSchedule linearDecay(int holdEpochs, int decayEpochs) {
        return (step, epoch) -> epoch < holdEpochs ? 1.0 : Math.max(0.0, 1.0 - (epoch - holdEpochs + 1.0) / (decayEpochs + 1.0));
    }

    /** Multiplies by {@code gamma} every {@code everySteps} steps (StepLR counted in steps). */
    static LrSchedule stepDecayBySteps(long everySteps, double gamma) {
        if (everySteps <= 0) {
            throw new IllegalArgumentException("step decay needs a positive step interval, got " + everySteps);
        }
        return (step, epoch) -> Math.pow(gamma, step / everySteps);
    }

    /**
     * Constant for {@code holdSteps} steps, then linear to 0 over {@code decaySteps}, counted in
     * steps: for data sets whose epoch length differs between variants (packed discriminators) or
     * runs shorter than an epoch.
     */
    static LrSchedule linearDecayBySteps(long holdSteps, long decaySteps) {
        if (holdSteps < 0 || decaySteps <= 0) {
            throw new IllegalArgumentException("linear decay needs hold >= 0 and decay > 0 steps, got " + holdSteps + " and " + decaySteps);
        }
        return (step, epoch) -> step < holdSteps ? 1.0 : Math.max(0.0, 1.0 - (step - holdSteps + 1.0) / (decaySteps + 1.0));
    }

    /** Exponential decay by {@code gamma} each epoch (PyTorch's ExponentialLR). */
    static LrSchedule exponential(double gamma) {
        return (step, epoch) -> Math.pow(gamma, epoch);
    }
}
