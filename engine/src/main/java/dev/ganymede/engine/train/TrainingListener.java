package dev.ganymede.engine.train;

import dev.ganymede.engine.output.StepRecord;

/** Observes training: the run folder, a progress bar, a REPL all listen the same way. */
public interface TrainingListener {

    default void onStart(Trainer trainer) {}

    default void onStep(Trainer trainer, StepRecord record) {}

    /** Called when an epoch of the data has been consumed (epochs count from 1). */
    default void onEpochEnd(Trainer trainer, int epoch) {}

    /** Called once when a run of {@link Trainer#train} ends, stopped or finished. */
    default void onEnd(Trainer trainer, boolean stopped) {}
}
