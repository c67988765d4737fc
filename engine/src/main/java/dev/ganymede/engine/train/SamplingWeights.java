package dev.ganymede.engine.train;

import java.util.function.Supplier;

/** Weights the generator samples with when they differ from the trained ones (an average of them). */
@FunctionalInterface
public interface SamplingWeights {

    /** Runs {@code action} with the sampling weights in place. */
    <T> T apply(Supplier<T> action);
}
