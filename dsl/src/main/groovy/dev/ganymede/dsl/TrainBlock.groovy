package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** The words inside {@code train { }}: batch size, duration, optimisers, D steps per G step. */
@CompileStatic
class TrainBlock {

    static final List<String> WORDS = ['batch', 'epochs', 'steps', 'generator', 'discriminator', 'dSteps',
                                       'freshNoise', 'adam', 'sgd', 'rmsprop'].asImmutable()

    final GanDefinition definition

    TrainBlock(GanDefinition definition) {
        this.definition = definition
    }

    void batch(int size) {
        if (size <= 0) throw new IllegalArgumentException("batch size must be positive, got ${size}".toString())
        definition.batchSize = size
    }

    /** How long to train: {@code epochs 20} or {@code epochs 20.epochs}. */
    void epochs(int count) { definition.duration = new Interval(count, Interval.Unit.EPOCHS) }

    void steps(long count) { definition.duration = new Interval(count, Interval.Unit.STEPS) }

    void generator(OptimizerSpec spec) { definition.generatorOptimizer = spec }

    void discriminator(OptimizerSpec spec) { definition.discriminatorOptimizer = spec }

    /** Discriminator (critic) updates per generator update, e.g. {@code dSteps 5} for WGAN. */
    void dSteps(int count) {
        if (count <= 0) throw new IllegalArgumentException("dSteps must be at least 1, got ${count}".toString())
        definition.discriminatorSteps = count
    }

    /** Draw new noise for the generator step instead of reusing the discriminator step's fakes. */
    void freshNoise(boolean fresh = true) { definition.reuseFakes = !fresh }
    def getFreshNoise() { freshNoise(true); null }

    OptimizerSpec adam(Map args = [:]) { new OptimizerSpec('adam', args) }

    OptimizerSpec sgd(Map args) { new OptimizerSpec('sgd', args) }

    OptimizerSpec rmsprop(Map args = [:]) { new OptimizerSpec('rmsprop', args) }
}
