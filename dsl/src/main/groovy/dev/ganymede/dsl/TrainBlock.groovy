package dev.ganymede.dsl

import dev.ganymede.engine.optim.LrSchedule
import groovy.transform.CompileStatic

/** The words inside {@code train { }}: batch size, duration, optimisers, D steps per G step. */
@CompileStatic
class TrainBlock {

    static final List<String> WORDS = ['batch', 'epochs', 'steps', 'generator', 'discriminator', 'dSteps',
                                       'freshNoise', 'adam', 'sgd', 'rmsprop', 'schedule'].asImmutable()

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

    /**
     * A learning-rate schedule for both optimisers: {@code schedule 'step', every: 10, gamma: 0.5}
     * (PyTorch's StepLR, in epochs), {@code schedule 'linear', hold: 100, decay: 100} (constant, then
     * linearly to 0, as pix2pix and CycleGAN), {@code schedule 'exponential', gamma: 0.95}.
     */
    void schedule(Map args = [:], String kind) {
        switch (kind) {
            case 'constant':
                new NamedArgs("schedule 'constant'", args, [])
                definition.schedule = LrSchedule.constant()
                break
            case 'step':
                def a = new NamedArgs("schedule 'step'", args, ['every', 'gamma'])
                definition.schedule = LrSchedule.stepDecay(a.integer('every', 1), a.number('gamma', 0.1))
                break
            case 'linear':
                def a = new NamedArgs("schedule 'linear'", args, ['hold', 'decay'])
                definition.schedule = LrSchedule.linearDecay(a.integer('hold', 0), a.integer('decay', 1))
                break
            case 'exponential':
                def a = new NamedArgs("schedule 'exponential'", args, ['gamma'])
                definition.schedule = LrSchedule.exponential(a.number('gamma', 0.95))
                break
            default:
                throw new IllegalArgumentException("unknown schedule '${kind}': use 'constant', 'step', 'linear' or 'exponential'".toString())
        }
        definition.scheduleName = kind + (args ? ' ' + args.collect { k, v -> "${k}: ${v}" }.join(', ') : '')
    }

    OptimizerSpec adam(Map args = [:]) { new OptimizerSpec('adam', args) }

    OptimizerSpec sgd(Map args) { new OptimizerSpec('sgd', args) }

    OptimizerSpec rmsprop(Map args = [:]) { new OptimizerSpec('rmsprop', args) }
}
