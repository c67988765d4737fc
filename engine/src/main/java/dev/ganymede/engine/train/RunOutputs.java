package dev.ganymede.engine.train;

/**
 * What a run writes besides its per-step CSV: sample grids of {@code samples} images from the fixed
 * latent batch every {@code everyEpochs} epochs (or every {@code everySteps} steps when above 0),
 * plots, and checkpoints of both networks.
 */
public record RunOutputs(int samples, int everyEpochs, long everySteps, boolean plots, boolean checkpoints) {

    public static RunOutputs defaults() {
        return new RunOutputs(64, 1, 0, true, false);
    }
}
