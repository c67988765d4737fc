package dev.ganymede.engine.metrics

import dev.ganymede.engine.data.SyntheticDigits

import java.nio.file.Path

/**
 * The feature network of the built-in digits for the specs, trained once per build into
 * target/feature-cache (about 15 s) and shared by every spec of the module.
 */
class FeatureCache {

    static final Path FOLDER = Path.of('target', 'feature-cache').toAbsolutePath()

    /** 10,000 digits of seed 1 as a GAN's training data, with the standard splits. */
    static EvaluationData digits() {
        EvaluationData.of(SyntheticDigits.generate(10_000, 1))
    }

    /** The digits' feature network with its standard recipe, from (or into) the specs' cache. */
    static FeatureNetwork network(EvaluationData data) {
        FeatureNetwork.forData(data, FeatureNetwork.Recipe.forData(data), FOLDER, { println it })
    }
}
