package dev.ganymede.engine.train;

/**
 * The loop's settings that strategies read: batch size, discriminator steps per generator step,
 * and whether the generator step reuses the fake batch of the last discriminator step (one G pass
 * per iteration, as PyTorch's DCGAN example) or draws fresh noise (as seed 002 does).
 */
public record TrainingSettings(int batchSize, int discriminatorSteps, boolean reuseFakes, long seed) {

    public TrainingSettings {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (discriminatorSteps <= 0) {
            throw new IllegalArgumentException("discriminator steps per generator step must be at least 1, got " + discriminatorSteps);
        }
    }
}
