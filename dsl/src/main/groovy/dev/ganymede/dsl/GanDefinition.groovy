package dev.ganymede.dsl

import ai.djl.Device
import dev.ganymede.engine.data.Dataset
import dev.ganymede.engine.data.Datasets
import dev.ganymede.engine.loss.AdversarialLoss
import dev.ganymede.engine.loss.AutoencoderLoss
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.loss.Losses
import dev.ganymede.engine.loss.OutputKind
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.NetworkBuilder
import dev.ganymede.engine.optim.GradientClipping
import dev.ganymede.engine.optim.LrSchedule
import dev.ganymede.engine.optim.Optimizer
import dev.ganymede.engine.train.AlternatingUpdates
import dev.ganymede.engine.train.AutoencoderUpdates
import dev.ganymede.engine.train.Stabiliser
import dev.ganymede.engine.train.TrainingStrategy
import dev.ganymede.engine.train.SimultaneousUpdates
import dev.ganymede.engine.train.UnrolledUpdates
import dev.ganymede.engine.train.Gan
import dev.ganymede.engine.train.LatentNoise
import dev.ganymede.engine.train.Trainer
import groovy.transform.CompileStatic

/**
 * Everything a script declared, in plain values: the DSL records into it, then {@link #build}
 * turns it into engine objects. Nothing here trains; the same definition serves `gan check`,
 * `gan run` and the REPL.
 */
@CompileStatic
class GanDefinition {

    final String scriptName
    final Map<String, String> overrides
    final Set<String> usedOverrides = new LinkedHashSet<>()

    String dataName = 'digits'
    int dataLine
    Map<String, Object> dataOptions = [:]
    long[] latentShape
    boolean uniformNoise
    double noiseLow = -1
    double noiseHigh = 1
    NetworkBlock generator
    NetworkBlock discriminator
    int generatorLine
    int discriminatorLine
    String lossName = 'bce'
    /** The line of the `loss` word, 0 when the loss is the default (bce for a GAN, mse for an autoencoder) or came from --set. */
    int lossLine
    Map<String, Object> lossOptions = [:]
    int batchSize = 64
    Interval duration = new Interval(1, Interval.Unit.EPOCHS)
    OptimizerSpec generatorOptimizer = new OptimizerSpec('adam', [lr: 2e-4d, betas: [0.5d, 0.999d]])
    OptimizerSpec discriminatorOptimizer = new OptimizerSpec('adam', [lr: 2e-4d, betas: [0.5d, 0.999d]])
    int discriminatorSteps = 1
    LrSchedule schedule = LrSchedule.constant()
    String scheduleName = 'constant'
    boolean reuseFakes = true
    long seed = 1
    OutputPlan outputs = new OutputPlan()
    /** Stabilisers by the word that declared them, in declaration order, as factories (a trainer gets its own). */
    Map<String, Closure<Stabiliser>> stabilisers = new LinkedHashMap<>()
    /** Look-ahead steps of an unrolled GAN; 0 for plain alternating updates. */
    int unrollSteps
    /** `unrolled 5, secondOrder: true`: the generator's gradient through the look-ahead updates. */
    boolean unrollSecondOrder
    int unrolledLine
    /** `updates 'simultaneous'`: both players' gradients at the same weights (ALI); false: alternating. */
    boolean simultaneousUpdates
    int updatesLine
    /** Feature matching: null off, 0 for D's layers before its classifier, n for its first n layers. */
    Integer featureLayers
    int featureMatchingLine
    GradientClipping discriminatorClipping = GradientClipping.none()
    GradientClipping generatorClipping = GradientClipping.none()
    /** `compare KEY: [values]`: the --set key trained once per value, or null. */
    String comparedKey
    List<String> comparedValues = []
    int compareLine
    /** One definition per compared value, by label ('hinge', or 'lr.d=0.0001'), filled when a script file is loaded. */
    Map<String, GanDefinition> variants = [:]
    /** In the REPL a block may be declared again, replacing the previous one. */
    boolean interactive
    /** How a message names a script line: "line 12"; gan-repl names the input the line was typed in. */
    java.util.function.IntFunction<String> lineNames = { int line -> "line ${line}".toString() } as java.util.function.IntFunction<String>

    String nameOfLine(int line) {
        lineNames.apply(line)
    }

    GanDefinition(String scriptName, Map<String, String> overrides = [:]) {
        this.scriptName = scriptName
        this.overrides = overrides
    }

    /** Starts over with these --set values, none of them used yet (the REPL's /load FILE --set ...). */
    void replaceOverrides(Map<String, String> sets) {
        overrides.clear()
        overrides.putAll(sets)
        usedOverrides.clear()
    }

    /** An override from --set, or null; marks it as used so unknown keys can be reported. */
    String override(String key) {
        if (overrides.containsKey(key)) {
            usedOverrides << key
            return overrides[key]
        }
        null
    }

    /**
     * The settings --set changed, each with its value now as text (the params.* a script reads are
     * not settings a later word can replace). gan-repl compares them around an input: see
     * {@link #dropReplacedOverrides}.
     */
    Map<String, String> overriddenSettings() {
        Map<String, String> values = [:]
        overrides.keySet().each { String key ->
            Object value = settingValue(key)
            if (value != null) values[key] = String.valueOf(value)
        }
        values
    }

    private Object settingValue(String key) {
        SETTINGS[key]?.current?.apply(this)
    }

    /**
     * Forgets the --set values whose setting changed since {@code before} (from
     * {@link #overriddenSettings}), among {@code followed} (all when null): an input typed after
     * /load FILE --set batch=64 that says batch 32 trains with 32, so a saved script's note and a
     * resumed run must not bring 64 back. Returns the forgotten --set values by key.
     */
    Map<String, String> dropReplacedOverrides(Map<String, String> before, Collection<String> followed) {
        Map<String, String> now = overriddenSettings()
        Map<String, String> replaced = [:]
        before.keySet().each { String k ->
            if (now.containsKey(k) && now[k] != before[k] && (followed == null || k in followed)) replaced[k] = overrides.remove(k)
        }
        replaced
    }

    /** Applies --set values for the settings the command line may change. */
    void applyOverrides() {
        SETTINGS.each { String key, OverridableSetting setting ->
            String v = override(key)
            if (v != null) setting.apply.accept(this, v)
        }
        Set<String> unknown = new LinkedHashSet<>(overrides.keySet())
        unknown.removeAll(usedOverrides)
        if (!unknown.isEmpty()) {
            String k = unknown.first()
            List<String> known = OVERRIDABLE + (usedOverrides as List<String>)
            throw new DslException("--set ${k}=${overrides[k]}: the script has no setting '${k}'${Words.didYouMean(k, known)}; --set understands ${OVERRIDABLE.join(', ')} and the params.* the script reads".toString())
        }
    }

    /** --set loss=NAME: the script's loss options are kept only when NAME is the same loss. */
    private void overrideLoss(String name) {
        if (Losses.canonicalName(name) != Losses.canonicalName(lossName)) {
            lossOptions = [:]
        }
        lossName = name
        lossLine = 0
        try {
            adversarialLoss()
        } catch (IllegalArgumentException e) {
            throw new DslException("--set loss=${name}: ${e.message}".toString())
        }
    }

    /** A setting --set may change: how a value applies to the definition, and the setting's value now. */
    @groovy.transform.TupleConstructor
    private static final class OverridableSetting {
        final java.util.function.BiConsumer<GanDefinition, String> apply
        final java.util.function.Function<GanDefinition, Object> current
    }

    /** The settings --set may change, applied in this order (--set steps wins over --set epochs). */
    private static final Map<String, OverridableSetting> SETTINGS = [
            'data'   : new OverridableSetting({ GanDefinition d, String v -> d.dataName = v }, { GanDefinition d -> d.dataName }),
            'batch'  : new OverridableSetting({ GanDefinition d, String v -> d.batchSize = parseInt('batch', v) }, { GanDefinition d -> d.batchSize }),
            'epochs' : new OverridableSetting({ GanDefinition d, String v -> d.duration = new Interval(parseInt('epochs', v), Interval.Unit.EPOCHS) }, { GanDefinition d -> d.duration }),
            'steps'  : new OverridableSetting({ GanDefinition d, String v -> d.duration = new Interval(parseInt('steps', v), Interval.Unit.STEPS) }, { GanDefinition d -> d.duration }),
            'seed'   : new OverridableSetting({ GanDefinition d, String v -> d.seed = parseInt('seed', v) }, { GanDefinition d -> d.seed }),
            'loss'   : new OverridableSetting({ GanDefinition d, String v -> d.overrideLoss(v) }, { GanDefinition d -> d.lossName }),
            'dSteps' : new OverridableSetting({ GanDefinition d, String v -> d.discriminatorSteps = parseInt('dSteps', v) }, { GanDefinition d -> d.discriminatorSteps }),
            'samples': new OverridableSetting({ GanDefinition d, String v -> d.outputs = d.outputs.withSamples(parseInt('samples', v)) }, { GanDefinition d -> d.outputs.samples }),
            'lr.g'   : new OverridableSetting({ GanDefinition d, String v -> d.generatorOptimizer = d.generatorOptimizer.withLearningRate(parseDouble('lr.g', v)) }, { GanDefinition d -> d.generatorOptimizer }),
            'lr.d'   : new OverridableSetting({ GanDefinition d, String v -> d.discriminatorOptimizer = d.discriminatorOptimizer.withLearningRate(parseDouble('lr.d', v)) }, { GanDefinition d -> d.discriminatorOptimizer }),
            'updates': new OverridableSetting({ GanDefinition d, String v -> d.simultaneousUpdates = simultaneous(v) }, { GanDefinition d -> d.simultaneousUpdates }),
    ] as LinkedHashMap<String, OverridableSetting>

    static final List<String> OVERRIDABLE = (SETTINGS.keySet() as List<String>).asImmutable()

    private static boolean simultaneous(String v) {
        try {
            return TrainBlock.isSimultaneous(v)
        } catch (IllegalArgumentException e) {
            throw new DslException("--set updates=${v}: ${e.message}".toString())
        }
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.trim().replace('_', ''))
        } catch (NumberFormatException ignored) {
            throw new DslException("--set ${key}=${v}: ${key} must be a whole number".toString())
        }
    }

    private static double parseDouble(String key, String v) {
        try {
            return Double.parseDouble(v.trim())
        } catch (NumberFormatException ignored) {
            throw new DslException("--set ${key}=${v}: ${key} must be a number".toString())
        }
    }

    /**
     * True when the script declares an encoder and a decoder (an autoencoder or a VAE) rather than
     * a generator and a discriminator. The decoder takes the generator's place in the engine's Gan,
     * the encoder the discriminator's.
     */
    boolean isAutoencoder() {
        generator?.networkName == 'decoder' || discriminator?.networkName == 'encoder'
    }

    /** Checks that every required section is there, in sentences. */
    void validate() {
        if (isAutoencoder()) {
            validateAutoencoder()
            return
        }
        if (latentShape == null) {
            throw new DslException('the script declares no latent noise: add e.g. `latent 100` before the generator')
        }
        if (generator == null) {
            throw new DslException('the script declares no generator: add a `generator { ... }` block')
        }
        if (discriminator == null) {
            throw new DslException('the script declares no discriminator: add a `discriminator { ... }` block')
        }
        if (AutoencoderLoss.isNamed(lossName)) {
            throw new DslException("loss '${lossName}' trains an autoencoder; a GAN needs an adversarial loss such as 'bce'".toString(), lossLine)
        }
        if (generator.layers.isEmpty()) {
            throw new DslException('the generator block has no layers', generatorLine)
        }
        if (discriminator.layers.isEmpty()) {
            throw new DslException('the discriminator block has no layers', discriminatorLine)
        }
        Integer gc = generator.labelClasses
        Integer dc = discriminator.labelClasses
        if ((gc == null) != (dc == null)) {
            String which = gc != null ? 'generator' : 'discriminator'
            String other = gc != null ? 'discriminator' : 'generator'
            String fix = gc != null && discriminator.packSize != null
                    ? "remove the generator's label, or remove `pack`: PacGAN packing of a conditional discriminator is not supported"
                    : "add `label classes: N` to the ${other}"
            throw new DslException("the ${which} reads a class label but the ${other} does not: a conditional GAN conditions both (${fix})".toString(),
                    gc != null ? discriminatorLine : generatorLine)
        }
        if (gc != null && gc != dc) {
            throw new DslException("the generator is conditioned on ${gc} classes but the discriminator on ${dc}".toString(), discriminatorLine)
        }
        checkLossFitsDiscriminator()
        if (outputs.metrics != null) {
            checkMetricsFitData(outputs.metrics)
        }
    }

    /**
     * FD and its companions measure images; the toy data has its own numbers, asked for by the word
     * that names them. A bare {@code metrics} takes whichever the data has (2,500 samples on toy data).
     */
    private void checkMetricsFitData(OutputPlan.MetricsPlan m) {
        String name = dataName?.strip()
        String fits = !Datasets.isPoints(name) ? 'fd' : name == 'gaussian-1d' ? 'w1' : 'modes'
        String what = [fd: "FD and a classifier's numbers, which measure images",
                       modes: 'modes captured, the high-quality fraction and the reverse KL, which measure the 2-D mixtures (ring, grid)',
                       w1: "the samples' mean, std and W1, which measure the 1-D Gaussian ('gaussian-1d')"][fits]
        if (m.measure != null && m.measure != fits) {
            String usage = [fd: 'metrics fd: 5000', modes: 'metrics modes: 2500', w1: 'metrics w1: 2500'][fits]
            throw new DslException("metrics ${m.measure}: does not fit the data '${name}': its metrics are ${what}; write `${usage}`".toString(),
                    outputs.line)
        }
        if (fits != 'fd') {
            List<String> imageOnly = (m.kid ? ['kid:'] : []) + (m.prdc ? ['prdc:'] : []) + (m.keepBest ? ['keepBest:'] : [])
            if (imageOnly) {
                throw new DslException("metrics ${imageOnly.join(', ')} measure${imageOnly.size() == 1 ? 's' : ''} images; '${name}' is toy data, whose metrics are ${what}".toString(),
                        outputs.line)
            }
            if (m.measure == null) {
                m.samples = 2500
            }
        }
    }

    /**
     * Every loss but BCE reads D's raw score, so a discriminator ending in sigmoid is refused for
     * them: a sigmoid caps a Wasserstein critic or a hinge score in (0, 1), keeps an f-GAN's V from
     * its optimum, and applied twice with 'bce-logits' it trains without error but wrongly. 'bce' and
     * 'minimax' follow D instead: probabilities after a sigmoid, logits otherwise.
     */
    private void checkLossFitsDiscriminator() {
        LayerRecipe last = discriminator.layers.last()
        if (last.typeName != 'Sigmoid') {
            return
        }
        AdversarialLoss loss = adversarialLoss()
        if (loss.outputKind() == OutputKind.PROBABILITY) {
            return
        }
        int sigmoidLine = lineOf(last.origin)
        String where = sigmoidLine > 0 ? " (${nameOfLine(sigmoidLine)})".toString() : ''
        String why = loss.outputKind() == OutputKind.LOGIT
                ? "applies the sigmoid itself, but the discriminator already ends in sigmoid${where}: remove that sigmoid, or use loss 'bce'"
                : "reads the discriminator's raw score, but the discriminator ends in sigmoid${where}, which squashes it into (0, 1): remove that sigmoid"
        throw new DslException("loss '${loss.name()}' ${why}".toString(), lossLine > 0 ? lossLine : sigmoidLine).at(lossLine > 0 ? 'loss' : 'sigmoid')
    }

    /** The line of a layer's origin "name.gan:12", 0 when unknown. */
    private static int lineOf(String origin) {
        int colon = origin == null ? -1 : origin.lastIndexOf(':')
        colon < 0 ? 0 : Integer.parseInt(origin.substring(colon + 1))
    }

    /** Whether the discriminator's last layer is a sigmoid: its outputs are then probabilities. */
    boolean discriminatorEndsInSigmoid() {
        discriminator != null && !discriminator.layers.isEmpty() && discriminator.layers.last().typeName == 'Sigmoid'
    }

    private void validateAutoencoder() {
        if (latentShape == null) {
            throw new DslException('the script declares no latent code: add e.g. `latent 16` before the encoder')
        }
        if (discriminator == null) {
            throw new DslException('the script declares no encoder: add an `encoder { ... }` block (from a sample to its code)')
        }
        if (generator == null) {
            throw new DslException('the script declares no decoder: add a `decoder { ... }` block (from the code to a sample)')
        }
        if (discriminator.layers.isEmpty()) {
            throw new DslException('the encoder block has no layers', discriminatorLine)
        }
        if (generator.layers.isEmpty()) {
            throw new DslException('the decoder block has no layers', generatorLine)
        }
        if (lossLine == 0) {
            lossName = 'mse' // seed 003's MSELoss
        } else if (!AutoencoderLoss.isNamed(lossName)) {
            throw new DslException("an autoencoder trains with loss 'mse', 'l1' or 'vae', not the adversarial loss '${lossName}'".toString(), lossLine)
        }
        if (generator.labelClasses != null || discriminator.labelClasses != null) {
            throw new DslException('a conditional autoencoder is not supported: remove `label` from the encoder and the decoder',
                    generator.labelClasses != null ? generatorLine : discriminatorLine)
        }
        List<String> adversarial = []
        adversarial.addAll(stabilisers.keySet())
        adversarial.addAll(['unrolled', 'featureMatching', 'updates'].findAll { uses(it) })
        if (discriminatorSteps != 1) adversarial << 'dSteps'
        if (uses('clipGradients')) adversarial << 'clipGradients'
        if (!adversarial.isEmpty()) {
            throw new DslException("${adversarial.join(', ')} ${adversarial.size() == 1 ? 'acts' : 'act'} on a discriminator, which an autoencoder does not have: remove ${adversarial.size() == 1 ? 'it' : 'them'} from train { }".toString())
        }
    }

    int numClasses() {
        generator?.labelClasses ?: 0
    }

    LatentNoise latentNoise() {
        uniformNoise ? LatentNoise.uniform(noiseLow, noiseHigh, latentShape) : LatentNoise.normal(latentShape)
    }

    /** The loss in the Gan's loss slot: the adversarial loss, or an autoencoder's objective. */
    AdversarialLoss objective() {
        AutoencoderLoss.isNamed(lossName) ? autoencoderLoss() : adversarialLoss()
    }

    /** {@code loss 'mse'}, {@code 'l1'}, or {@code loss 'vae', reconstruction: 'mse', beta: 1}. */
    AutoencoderLoss autoencoderLoss() {
        String name = lossName.toLowerCase(Locale.ROOT)
        if (name != 'vae') {
            if (!lossOptions.isEmpty()) {
                throw new IllegalArgumentException("loss '${lossName}' takes no options, got ${lossOptions.keySet().collect { it + ':' }.join(', ')} (reconstruction: and beta: belong to loss 'vae')".toString())
            }
            return AutoencoderLoss.plain(AutoencoderLoss.error(name))
        }
        def a = new NamedArgs("loss 'vae'", lossOptions, ['reconstruction', 'beta'])
        String error = a.text('reconstruction', 'mse')
        if (!(error in ['mse', 'l1', 'bce'])) {
            throw new IllegalArgumentException("loss 'vae' reconstruction: '${error}' is not a reconstruction error: use 'mse', 'l1' or 'bce'${Words.didYouMean(error, ['mse', 'l1', 'bce'])}".toString())
        }
        double beta = a.number('beta', 1)
        if (!(beta > 0)) throw new IllegalArgumentException("loss 'vae' beta: weighs the KL term and must be positive, got ${beta}".toString())
        AutoencoderLoss.variational(AutoencoderLoss.error(error), beta)
    }

    /**
     * The loss with its options. Unknown names and options are refused with a "did you mean";
     * 'bce' and 'minimax' on a discriminator without a final sigmoid become the same objective on
     * logits (BCE with logits, stable for any logit).
     */
    AdversarialLoss adversarialLoss() {
        String canonical = Losses.canonicalName(lossName)
        if (canonical == null) {
            throw new IllegalArgumentException(unknownLoss(lossName))
        }
        List<String> allowed = Losses.options(canonical)
        if (!lossOptions.isEmpty()) {
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("loss '${canonical}' takes no options, got ${lossOptions.keySet().collect { it.toString() + ':' }.join(', ')}".toString())
            }
            new NamedArgs("loss '${canonical}'".toString(), lossOptions, allowed)
        }
        Map<String, Object> options = lossOptions
        if ((canonical == 'bce' || canonical == 'minimax') && discriminator != null && !discriminator.layers.isEmpty()
                && !discriminatorEndsInSigmoid()) {
            options = new LinkedHashMap<String, Object>(lossOptions)
            if (canonical == 'minimax') options.put('minimax', true)
            canonical = 'bce-logits'
        }
        Losses.named(canonical, options)
    }

    static String unknownLoss(String name) {
        "unknown loss '${name}'${Words.didYouMean(name, Losses.allNames())}; known losses are ${Losses.names().join(', ')}".toString()
    }

    /** Loads the data set; a failure names the script line of `data`. */
    Dataset dataset() {
        try {
            return Datasets.named(dataName, seed)
        } catch (RuntimeException e) {
            throw new DslException(e.message, dataLine, e)
        }
    }

    /** Builds both networks on a device, checking every shape from noise to D's output. */
    Gan buildGan(Device device) {
        Network g = buildNetwork(generator, latentShape, device, generatorLine)
        Network d
        try {
            d = buildNetwork(discriminator, g.outputShape().getShape(), device, discriminatorLine)
        } catch (RuntimeException e) {
            g.close()
            throw e
        }
        AdversarialLoss loss = objective()
        if (loss instanceof AutoencoderLoss) {
            AutoencoderLoss objective = (AutoencoderLoss) loss
            try {
                AutoencoderUpdates.checkShapes(d, new ai.djl.ndarray.types.Shape(latentShape), objective)
            } catch (RuntimeException e) {
                long size = g.inputShape().size()
                boolean looksVariational = !objective.variational && d.outputShape().size() == 2 * size
                g.close()
                d.close()
                throw new DslException(e.message + (looksVariational ? "; for a VAE, whose encoder gives a mean and a log-variance, write loss 'vae'" : ''), discriminatorLine, e)
            }
        }
        new Gan(g, d, latentNoise(), loss, numClasses())
    }

    private static Network buildNetwork(NetworkBlock block, long[] input, Device device, int line) {
        NetworkBuilder b = Network.builder(block.networkName).input(input).init(block.initializer)
        block.layers.each { b.add(it.create()) }
        b.build(device)
    }

    /** A trainer for a built GAN and data set, with the declared schedule. */
    Trainer trainer(Gan gan, Dataset data) {
        List<Stabiliser> made = makeStabilisers()
        def dOptimizer = makeDiscriminatorOptimizer()
        TrainingStrategy strategy = strategy()
        checkSecondOrder(strategy, dOptimizer, made)
        Trainer.builder(gan, data).batchSize(batchSize).discriminatorSteps(discriminatorSteps).reuseFakes(reuseFakes)
                .seed(seed).generatorOptimizer(makeGeneratorOptimizer())
                .discriminatorOptimizer(dOptimizer)
                .strategy(strategy).stabilisers(made).build()
    }

    /**
     * Whether a word that adds to plain alternating training ({@link TrainBlock#TAKEN_BACK}) is in
     * use, as declared so far.
     */
    boolean uses(String word) {
        switch (word) {
            case 'unrolled': return unrollSteps > 0
            case 'featureMatching': return featureLayers != null
            case 'clipGradients': return discriminatorClipping.mode() != GradientClipping.Mode.NONE ||
                    generatorClipping.mode() != GradientClipping.Mode.NONE
            case 'updates': return simultaneousUpdates
            case 'schedule': return scheduleName != 'constant'
            default: return stabilisers.containsKey(word)
        }
    }

    /** Undoes such a word ({@code without 'ema'}): the training goes back to what it is without it. */
    void takeBack(String word) {
        switch (word) {
            case 'unrolled':
                unrollSteps = 0
                unrollSecondOrder = false
                unrolledLine = 0
                break
            case 'featureMatching':
                featureLayers = null
                featureMatchingLine = 0
                break
            case 'clipGradients':
                discriminatorClipping = GradientClipping.none()
                generatorClipping = GradientClipping.none()
                break
            case 'updates':
                simultaneousUpdates = false
                updatesLine = 0
                break
            case 'schedule':
                schedule = LrSchedule.constant()
                scheduleName = 'constant'
                break
            default:
                stabilisers.remove(word)
        }
    }

    /**
     * The definition as it is now, to put back when an input, a loss or a train { } fails part-way
     * (gan-repl keeps nothing of a failed input). Every field is taken, so a field added later is
     * covered too. Collections are copied, since words add to them; every other value (network
     * blocks, optimiser specs, intervals, output plans, the latent shape) is replaced, never changed
     * in place, by the words and --set values that set it, so the object itself is put back and
     * gan-repl's section identities hold.
     */
    Snapshot snapshot() {
        Map<java.lang.reflect.Field, Object> values = new LinkedHashMap<>()
        for (java.lang.reflect.Field field : GanDefinition.declaredFields) {
            int modifiers = field.modifiers
            if (java.lang.reflect.Modifier.isStatic(modifiers) || field.synthetic || field.name.contains('$') || field.name == 'metaClass') continue
            field.accessible = true
            values[field] = copyOf(field.get(this))
        }
        new Snapshot(this, values)
    }

    /** What {@link #snapshot} took. */
    static final class Snapshot {
        private final GanDefinition definition
        private final Map<java.lang.reflect.Field, Object> values

        private Snapshot(GanDefinition definition, Map<java.lang.reflect.Field, Object> values) {
            this.definition = definition
            this.values = values
        }

        /** Whether a word changed the definition since (the --set values and those read so far aside). */
        boolean changed() {
            values.any { java.lang.reflect.Field field, Object value ->
                !java.lang.reflect.Modifier.isFinal(field.modifiers) && !Objects.deepEquals(field.get(definition), value)
            }
        }

        /** Puts every field back as it was. */
        void restore() {
            values.each { java.lang.reflect.Field field, Object value ->
                if (java.lang.reflect.Modifier.isFinal(field.modifiers)) {
                    restoreInPlace(field.get(definition), value) // the --set values and those read so far
                } else {
                    field.set(definition, value instanceof Map || value instanceof Collection ? copyOf(value) : value)
                }
            }
        }
    }

    private static Object copyOf(Object value) {
        if (value instanceof Map) return new LinkedHashMap((Map) value)
        if (value instanceof List) return new ArrayList((List) value)
        if (value instanceof Set) return new LinkedHashSet((Set) value)
        value
    }

    private static void restoreInPlace(Object now, Object saved) {
        if (now instanceof Map) {
            ((Map) now).clear()
            ((Map) now).putAll((Map) saved)
        } else if (now instanceof Collection) {
            ((Collection) now).clear()
            ((Collection) now).addAll((Collection) saved)
        }
    }

    /** The declared stabilisers, made anew, in declaration order. */
    List<Stabiliser> makeStabilisers() {
        stabilisers.values().collect { Closure<Stabiliser> make -> make.call() }
    }

    /** The generator's optimiser as declared, with the schedule and gradient clipping. */
    Optimizer makeGeneratorOptimizer() {
        generatorOptimizer.create().schedule(schedule).clipGradients(generatorClipping)
    }

    /** The discriminator's optimiser as declared, with the schedule and gradient clipping. */
    Optimizer makeDiscriminatorOptimizer() {
        discriminatorOptimizer.create().schedule(schedule).clipGradients(discriminatorClipping)
    }

    /** Refuses second-order unrolling with what it cannot follow, at the unrolled line. */
    void checkSecondOrder(TrainingStrategy strategy, Optimizer dOptimizer, List<Stabiliser> made) {
        if (strategy instanceof UnrolledUpdates && ((UnrolledUpdates) strategy).isSecondOrder()) {
            String refusal = UnrolledUpdates.secondOrderRefusal(dOptimizer, made)
            if (refusal != null) throw new DslException(refusal, unrolledLine).at('unrolled')
        }
    }

    /**
     * What a trainer is made with beyond the networks, the batch and the learning rates, one item
     * each: the update strategy, the stabilisers, the schedule, the clipping and the optimisers'
     * other settings. gan-repl compares it with its running trainer's to apply a changed train { }.
     */
    List<String> trainingPlan() {
        List<String> plan = [strategy().describe()]
        stabilisers.values().each { Closure<Stabiliser> make -> plan << make.call().describe() }
        plan << "schedule ${scheduleName}".toString()
        plan << "discriminator: ${discriminatorClipping}".toString()
        plan << "generator: ${generatorClipping}".toString()
        plan << "generator ${optimizerWithoutRate(generatorOptimizer)}".toString()
        plan << "discriminator ${optimizerWithoutRate(discriminatorOptimizer)}".toString()
        plan
    }

    private static String optimizerWithoutRate(OptimizerSpec spec) {
        Map<String, Object> rest = spec.args.findAll { k, v -> k != 'lr' }
        spec.kind + (rest ? '(' + rest.collect { k, v -> "${k}: ${v}" }.join(', ') + ')' : '')
    }

    /** The training strategy the train block asked for. */
    TrainingStrategy strategy() {
        if (isAutoencoder()) {
            return new AutoencoderUpdates()
        }
        if (unrollSteps > 0 && featureLayers != null) {
            throw new DslException('an unrolled GAN with feature matching is not supported: choose one of unrolled and featureMatching',
                    Math.max(unrolledLine, featureMatchingLine)).at(unrolledLine > featureMatchingLine ? 'unrolled' : 'featureMatching')
        }
        if (simultaneousUpdates && (unrollSteps > 0 || featureLayers != null)) {
            throw new DslException("updates 'simultaneous' with ${unrollSteps > 0 ? 'unrolled' : 'featureMatching'} is not supported: the generator's update is either simultaneous or ${unrollSteps > 0 ? 'against the unrolled discriminator' : 'by feature matching'}".toString(),
                    Math.max(updatesLine, unrollSteps > 0 ? unrolledLine : featureMatchingLine))
                    .at(updatesLine > (unrollSteps > 0 ? unrolledLine : featureMatchingLine) ? 'updates' : unrollSteps > 0 ? 'unrolled' : 'featureMatching')
        }
        if (simultaneousUpdates) {
            return new SimultaneousUpdates()
        }
        if (unrollSteps > 0) {
            return unrollSecondOrder ? UnrolledUpdates.secondOrder(unrollSteps) : new UnrolledUpdates(unrollSteps)
        }
        if (featureLayers != null) {
            return featureLayers == 0 ? AlternatingUpdates.featureMatching() : AlternatingUpdates.featureMatching(featureLayers)
        }
        new AlternatingUpdates()
    }
}
