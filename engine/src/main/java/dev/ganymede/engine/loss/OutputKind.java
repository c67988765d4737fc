package dev.ganymede.engine.loss;

/** What the discriminator's last layer produces, which decides how its mean output is reported. */
public enum OutputKind {
    /** D ends in a sigmoid: outputs are probabilities. */
    PROBABILITY,
    /** D outputs logits: reported through a sigmoid as probabilities. */
    LOGIT,
    /** A critic's unbounded score (Wasserstein, hinge, least squares): reported raw. */
    SCORE
}
