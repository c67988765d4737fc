package dev.ganymede.dsl

import dev.ganymede.engine.optim.GradientClipping
import dev.ganymede.engine.optim.LrSchedule
import dev.ganymede.engine.stabilise.ExperienceReplay
import dev.ganymede.engine.stabilise.GradientPenalty
import dev.ganymede.engine.stabilise.InstanceNoise
import dev.ganymede.engine.stabilise.LabelFlipping
import dev.ganymede.engine.stabilise.WeightAverage
import dev.ganymede.engine.stabilise.WeightClipping
import groovy.transform.CompileStatic

/**
 * The words inside {@code train { }}: batch size, duration, optimisers, D steps per G step, and
 * the stabilisers (gradient penalties, clipping, instance noise, flipped labels, replay, weight
 * averaging, unrolling, feature matching). Each stabiliser word replaces an earlier use of itself,
 * and {@code without} takes one back.
 */
@CompileStatic
class TrainBlock {

    static final List<String> WORDS = ['batch', 'epochs', 'steps', 'generator', 'discriminator', 'optimizer',
                                       'encoder', 'decoder', 'dSteps',
                                       'freshNoise', 'adam', 'sgd', 'rmsprop', 'schedule',
                                       'clipWeights', 'gradientPenalty', 'r1', 'r2', 'instanceNoise', 'flipLabels', 'replay',
                                       'ema', 'unrolled', 'featureMatching', 'clipGradients', 'updates', 'without'].asImmutable()

    /** The words whose effect {@code without} takes back: what they add to plain alternating training. */
    static final List<String> TAKEN_BACK = ['clipWeights', 'gradientPenalty', 'r1', 'r2', 'instanceNoise', 'flipLabels', 'replay',
                                            'ema', 'unrolled', 'featureMatching', 'clipGradients', 'updates', 'schedule'].asImmutable()

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

    /** One optimiser setting for both networks, each with its own state: {@code optimizer adam(lr: 1e-4)}. */
    void optimizer(OptimizerSpec spec) {
        definition.generatorOptimizer = spec
        definition.discriminatorOptimizer = spec
    }

    /** An autoencoder's encoder optimiser (the discriminator's slot): {@code encoder adam(lr: 1e-4)}. */
    void encoder(OptimizerSpec spec) { definition.discriminatorOptimizer = spec }

    /** An autoencoder's decoder optimiser (the generator's slot): {@code decoder adam(lr: 1e-4)}. */
    void decoder(OptimizerSpec spec) { definition.generatorOptimizer = spec }

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
     * linearly to 0, as pix2pix and CycleGAN), {@code schedule 'exponential', gamma: 0.95}. Plain
     * numbers count epochs; {@code every:}, {@code hold:} and {@code decay:} also take steps, as
     * {@code hold: 10000.steps, decay: 10000.steps}.
     */
    void schedule(Map args = [:], String kind) {
        switch (kind) {
            case 'constant':
                new NamedArgs("schedule 'constant'", args, [])
                definition.schedule = LrSchedule.constant()
                break
            case 'step':
                def a = new NamedArgs("schedule 'step'", args, ['every', 'gamma'])
                Interval every = interval("schedule 'step'", args, 'every', 1)
                double gamma = a.number('gamma', 0.1)
                definition.schedule = every.epochs ? LrSchedule.stepDecay((int) every.count, gamma)
                        : LrSchedule.stepDecayBySteps(every.count, gamma)
                break
            case 'linear':
                new NamedArgs("schedule 'linear'", args, ['hold', 'decay'])
                Interval decay = interval("schedule 'linear'", args, 'decay', 1)
                Object h = args.get('hold')
                Interval hold = h == null || h == 0 ? null : interval("schedule 'linear'", args, 'hold', 0)
                if (hold != null && hold.unit != decay.unit) {
                    throw new IllegalArgumentException("schedule 'linear' hold: ${hold} and decay: ${decay} must count the same unit (both epochs or both steps)".toString())
                }
                long holdCount = hold == null ? 0 : hold.count
                definition.schedule = decay.epochs ? LrSchedule.linearDecay((int) holdCount, (int) decay.count)
                        : LrSchedule.linearDecayBySteps(holdCount, decay.count)
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

    /** A schedule's length argument: a positive whole number of epochs, or an interval such as {@code 5000.steps}. */
    private static Interval interval(String word, Map args, String key, long fallbackEpochs) {
        Object v = args.containsKey(key) ? args.get(key) : fallbackEpochs
        if (v instanceof Interval) {
            return (Interval) v
        }
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() > 0) {
            return new Interval(((Number) v).longValue(), Interval.Unit.EPOCHS)
        }
        throw new IllegalArgumentException("${word} ${key}: must be a positive whole number of epochs or an interval like 5000.steps, got ${NamedArgs.describe(v)}".toString())
    }

    /** WGAN's Lipschitz constraint: {@code clipWeights 0.01} clamps every critic weight after its update. */
    void clipWeights(double limit) {
        positive('clipWeights', limit)
        definition.stabilisers['clipWeights'] = { -> new WeightClipping(limit) }
    }

    /**
     * {@code gradientPenalty 10} is WGAN-GP's λ·E[(‖∇D(x̂)‖ − 1)²] at interpolates; {@code at: 'real'}
     * or {@code 'fake'} and {@code target: 0} give the zero-centred penalties.
     */
    void gradientPenalty(Map args = [:], double weight) {
        positive('gradientPenalty', weight)
        def a = new NamedArgs('gradientPenalty', args, ['at', 'target'])
        String at = a.text('at', 'interpolates')
        GradientPenalty.Point point
        switch (at) {
            case 'interpolates': point = GradientPenalty.Point.INTERPOLATES; break
            case 'real': point = GradientPenalty.Point.REAL; break
            case 'fake': point = GradientPenalty.Point.FAKE; break
            default:
                throw new IllegalArgumentException("gradientPenalty at: '${at}' is not a place: use 'interpolates' (WGAN-GP), 'real' (R1) or 'fake' (R2)${Words.didYouMean(at, ['interpolates', 'real', 'fake'])}".toString())
        }
        double target = a.number('target', 1)
        if (target < 0) throw new IllegalArgumentException("gradientPenalty target: must be 0 or more, got ${target}".toString())
        definition.stabilisers['gradientPenalty'] = { -> new GradientPenalty(weight, target, point) }
    }

    /** R1 (Mescheder et al. 2018): {@code r1 10} adds γ/2·E[‖∇D(x)‖²] at real samples. */
    void r1(double gamma) {
        positive('r1', gamma)
        definition.stabilisers['r1'] = { -> GradientPenalty.r1(gamma) }
    }

    /** R2 (Mescheder et al. 2018): {@code r2 10} adds γ/2·E[‖∇D(G(z))‖²] at generated samples. */
    void r2(double gamma) {
        positive('r2', gamma)
        definition.stabilisers['r2'] = { -> GradientPenalty.r2(gamma) }
    }

    /** {@code instanceNoise 0.05} (constant) or {@code instanceNoise 0.05, anneal: 10.epochs} (linearly to 0). */
    void instanceNoise(Map args = [:], double std) {
        positive('instanceNoise', std)
        def a = new NamedArgs('instanceNoise', args, ['anneal'])
        Object anneal = a.has('anneal') ? args['anneal'] : null
        if (anneal != null && !(anneal instanceof Interval) && !(anneal instanceof Number)) {
            throw new IllegalArgumentException("instanceNoise anneal: takes a length such as 10.epochs or 5000.steps, got ${NamedArgs.describe(anneal)}".toString())
        }
        definition.stabilisers['instanceNoise'] = { ->
            anneal == null ? new InstanceNoise(std, 0)
                    : anneal instanceof Interval && ((Interval) anneal).epochs ? InstanceNoise.annealedOverEpochs(std, (int) ((Interval) anneal).count)
                    : new InstanceNoise(std, anneal instanceof Interval ? ((Interval) anneal).count : ((Number) anneal).longValue())
        }
    }

    /** {@code flipLabels 0.05}: the discriminator sees each pair with swapped labels with probability 0.05. */
    void flipLabels(double probability) {
        if (!(probability > 0 && probability < 1)) throw new IllegalArgumentException("flipLabels takes a probability between 0 and 1, got ${probability}".toString())
        definition.stabilisers['flipLabels'] = { -> new LabelFlipping(probability) }
    }

    /** {@code replay 50}: a pool of 50 past fakes, one shown in place of a new fake with probability 0.5. */
    void replay(Map args = [:], int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("replay takes the pool size, at least 1, got ${capacity}".toString())
        def a = new NamedArgs('replay', args, ['probability'])
        double probability = a.number('probability', 0.5)
        definition.stabilisers['replay'] = { -> new ExperienceReplay(capacity, probability) }
    }

    /** {@code ema 0.999}: sample from an exponential moving average of the generator's weights. */
    void ema(double decay) {
        if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("ema takes a decay between 0 and 1 such as 0.999, got ${decay}".toString())
        definition.stabilisers['ema'] = { -> new WeightAverage(decay) }
    }

    /** {@code unrolled 5}: the generator is updated against the discriminator 5 look-ahead steps on. */
    void unrolled(int steps) {
        unrolled([:], steps)
    }

    /**
     * {@code unrolled 5, secondOrder: true}: the paper's form, the generator's gradient differentiated
     * through the 5 look-ahead updates (first order, the default, takes it at the unrolled discriminator).
     */
    void unrolled(Map args, int steps) {
        def a = new NamedArgs('unrolled', args, ['secondOrder'])
        if (steps < 1) throw new IllegalArgumentException("unrolled takes the number of look-ahead steps, at least 1, got ${steps}".toString())
        definition.unrollSteps = steps
        definition.unrollSecondOrder = a.bool('secondOrder', false)
        definition.unrolledLine = ScriptLocation.callerLine(definition.scriptName)
    }

    /**
     * {@code updates 'simultaneous'}: both players' gradients from one batch at the same weights,
     * then both steps (ALI's algorithm); {@code 'alternating'}, the default, updates D first and G
     * against the updated D.
     */
    void updates(String kind) {
        definition.simultaneousUpdates = isSimultaneous(kind)
        definition.updatesLine = ScriptLocation.callerLine(definition.scriptName)
    }

    /** True for 'simultaneous', false for 'alternating'; anything else is refused (the word and --set updates=). */
    static boolean isSimultaneous(String kind) {
        if (!(kind in UPDATE_KINDS)) {
            throw new IllegalArgumentException("updates takes 'alternating' (D first, then G against the updated D; the default) or 'simultaneous' (both gradients at the same weights, then both steps), got '${kind}'${Words.didYouMean(kind, UPDATE_KINDS)}".toString())
        }
        kind == 'simultaneous'
    }

    private static final List<String> UPDATE_KINDS = ['alternating', 'simultaneous'].asImmutable()

    /** {@code featureMatching}: the generator matches D's mean features instead of fooling it; {@code layers: 2} picks them. */
    void featureMatching(Map args = [:]) {
        def a = new NamedArgs('featureMatching', args, ['layers'])
        int layers = a.integer('layers', 0)
        if (a.has('layers') && layers < 1) throw new IllegalArgumentException("featureMatching layers: takes a number of discriminator layers, at least 1, got ${layers}".toString())
        definition.featureLayers = layers
        definition.featureMatchingLine = ScriptLocation.callerLine(definition.scriptName)
    }
    def getFeatureMatching() { featureMatching([:]); null }

    /** {@code clipGradients 0.01} clamps D's gradient values; {@code clipGradients norm: 1} rescales them; {@code of: 'both'}. */
    void clipGradients(Map args = [:], double value) { clipping(args, value) }

    void clipGradients(Map args) { clipping(args, null) }

    private void clipping(Map args, Double value) {
        def a = new NamedArgs('clipGradients', args, ['norm', 'of'])
        if ((value == null) == !a.has('norm')) {
            throw new IllegalArgumentException('clipGradients takes either a value limit (clipGradients 0.01) or norm: (clipGradients norm: 1.0)')
        }
        GradientClipping clipping = value != null ? GradientClipping.byValue(positive('clipGradients', value))
                : GradientClipping.byNorm(positive('clipGradients norm:', a.number('norm', 1)))
        String of = a.text('of', 'discriminator')
        switch (of) {
            case 'discriminator': definition.discriminatorClipping = clipping; break
            case 'generator': definition.generatorClipping = clipping; break
            case 'both': definition.discriminatorClipping = clipping; definition.generatorClipping = clipping; break
            default:
                throw new IllegalArgumentException("clipGradients of: '${of}' is not a network: use 'discriminator', 'generator' or 'both'${Words.didYouMean(of, ['discriminator', 'generator', 'both'])}".toString())
        }
    }

    /**
     * {@code without 'ema', 'unrolled'}: takes back what earlier words added, as if they had not been
     * written (gan-repl applies it to a trained GAN from its next step). Each word must be in use;
     * words that hold a value (batch, dSteps, the optimisers) are set again instead.
     */
    void without(Object... words) {
        if (words == null || words.length == 0) {
            throw new IllegalArgumentException("without takes the words to take back, in quotes, e.g. without 'ema', 'r1': any of ${TAKEN_BACK.join(', ')}".toString())
        }
        List<String> inUse = TAKEN_BACK.findAll { definition.uses(it) }
        for (Object given : words) { // all checked before any is taken back
            if (!(given instanceof CharSequence)) {
                throw new IllegalArgumentException("without takes the words in quotes, e.g. without 'featureMatching', got ${NamedArgs.describe(given)}".toString())
            }
            String word = given.toString()
            if (!(word in TAKEN_BACK)) {
                String why = word in ['adam', 'sgd', 'rmsprop'] ? "${word}(...) is an optimiser, not a word of its own: write generator or discriminator again with the one you want"
                        : word == 'freshNoise' ? 'freshNoise holds a value rather than adding to training: write freshNoise false'
                        : word in WORDS && word != 'without' ? "${word} holds a value rather than adding to training; write ${word} again with the value you want"
                        : "not a word that adds to training${Words.didYouMean(word, TAKEN_BACK)}; it takes back ${TAKEN_BACK.join(', ')}"
                throw new IllegalArgumentException("without '${word}': ${why}".toString())
            }
            if (!(word in inUse)) {
                throw new IllegalArgumentException(("without '${word}': train { } has no ${word} to take back" +
                        (inUse ? "; it has ${inUse.join(', ')}" : '; it adds nothing to plain training')).toString())
            }
        }
        for (Object given : words) {
            definition.takeBack(given.toString())
        }
    }

    private static double positive(String word, double v) {
        if (!(v > 0)) throw new IllegalArgumentException("${word} takes a positive number, got ${v}".toString())
        v
    }

    OptimizerSpec adam(Map args = [:]) { new OptimizerSpec('adam', args) }

    OptimizerSpec sgd(Map args) { new OptimizerSpec('sgd', args) }

    OptimizerSpec rmsprop(Map args = [:]) { new OptimizerSpec('rmsprop', args) }
}
