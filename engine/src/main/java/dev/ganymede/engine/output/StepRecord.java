package dev.ganymede.engine.output;

/**
 * The figures of one training step, as the loop reports them: losses of both players, the mean
 * discriminator output on real and generated samples (probabilities for probability-type losses,
 * raw critic scores otherwise), and throughput.
 */
public record StepRecord(
        long step,
        int epoch,
        double lossD,
        double lossG,
        double dReal,
        double dFake,
        double imagesPerSecond,
        double seconds) {

    /** Column names of the CSV file, in record order. */
    public static final String CSV_HEADER = "step,epoch,loss_d,loss_g,d_real,d_fake,images_per_second,seconds";
}
