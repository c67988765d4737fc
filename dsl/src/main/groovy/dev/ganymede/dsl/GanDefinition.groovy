package dev.ganymede.dsl

import ai.djl.Device
import dev.ganymede.engine.data.Dataset
import dev.ganymede.engine.data.Datasets
import dev.ganymede.engine.loss.AdversarialLoss
import dev.ganymede.engine.loss.Losses
import dev.ganymede.engine.loss.OutputKind
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.NetworkBuilder
import dev.ganymede.engine.optim.LrSchedule
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
    Map<String, Object> lossOptions = [:]
    /** The line of the `loss` word, 0 when the loss is the default or came from --set. */
    int lossLine
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
    /** `compare KEY: [values]`: the --set key trained once per value, or null. */
    String comparedKey
    List<String> comparedValues = []
    int compareLine
    /** One definition per compared value, by label ('hinge', or 'lr.d=0.0001'), filled when a script file is loaded. */
    Map<String, GanDefinition> variants = [:]
    /** In the REPL a block may be declared again, replacing the previous one. */
    boolean interactive

    GanDefinition(String scriptName, Map<String, String> overrides = [:]) {
        this.scriptName = scriptName
        this.overrides = overrides
    }

    /** An override from --set, or null; marks it as used so unknown keys can be reported. */
    String override(String key) {
        if (overrides.containsKey(key)) {
            usedOverrides << key
            return overrides[key]
        }
        null
    }

    /** Applies --set values for the settings the command line may change. */
    void applyOverrides() {
        String v
        if ((v = override('data')) != null) dataName = v
        if ((v = override('batch')) != null) batchSize = parseInt('batch', v)
        if ((v = override('epochs')) != null) duration = new Interval(parseInt('epochs', v), Interval.Unit.EPOCHS)
        if ((v = override('steps')) != null) duration = new Interval(parseInt('steps', v), Interval.Unit.STEPS)
        if ((v = override('seed')) != null) seed = parseInt('seed', v)
        if ((v = override('loss')) != null) overrideLoss(v)
        if ((v = override('dSteps')) != null) discriminatorSteps = parseInt('dSteps', v)
        if ((v = override('samples')) != null) outputs.samples = parseInt('samples', v)
        if ((v = override('lr.g')) != null) generatorOptimizer = generatorOptimizer.withLearningRate(parseDouble('lr.g', v))
        if ((v = override('lr.d')) != null) discriminatorOptimizer = discriminatorOptimizer.withLearningRate(parseDouble('lr.d', v))
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

    static final List<String> OVERRIDABLE = ['data', 'batch', 'epochs', 'steps', 'seed', 'loss', 'dSteps', 'samples', 'lr.g', 'lr.d'].asImmutable()

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

    /** Checks that every required section is there, in sentences. */
    void validate() {
        if (latentShape == null) {
            throw new DslException('the script declares no latent noise: add e.g. `latent 100` before the generator')
        }
        if (generator == null) {
            throw new DslException('the script declares no generator: add a `generator { ... }` block')
        }
        if (discriminator == null) {
            throw new DslException('the script declares no discriminator: add a `discriminator { ... }` block')
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
            throw new DslException("the ${which} reads a class label but the ${other} does not: a conditional GAN conditions both (add `label classes: N` to the ${other})".toString(),
                    gc != null ? discriminatorLine : generatorLine)
        }
        if (gc != null && gc != dc) {
            throw new DslException("the generator is conditioned on ${gc} classes but the discriminator on ${dc}".toString(), discriminatorLine)
        }
        checkLossFitsDiscriminator()
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
        String where = sigmoidLine > 0 ? " (line ${sigmoidLine})".toString() : ''
        String why = loss.outputKind() == OutputKind.LOGIT
                ? "applies the sigmoid itself, but the discriminator already ends in sigmoid${where}: remove that sigmoid, or use loss 'bce'"
                : "reads the discriminator's raw score, but the discriminator ends in sigmoid${where}, which squashes it into (0, 1): remove that sigmoid"
        throw new DslException("loss '${loss.name()}' ${why}".toString(), lossLine > 0 ? lossLine : sigmoidLine)
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

    int numClasses() {
        generator?.labelClasses ?: 0
    }

    LatentNoise latentNoise() {
        uniformNoise ? LatentNoise.uniform(noiseLow, noiseHigh, latentShape) : LatentNoise.normal(latentShape)
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
        new Gan(g, d, latentNoise(), adversarialLoss(), numClasses())
    }

    private static Network buildNetwork(NetworkBlock block, long[] input, Device device, int line) {
        NetworkBuilder b = Network.builder(block.networkName).input(input).init(block.initializer)
        block.layers.each { b.add(it.create()) }
        b.build(device)
    }

    /** A trainer for a built GAN and data set, with the declared schedule. */
    Trainer trainer(Gan gan, Dataset data) {
        Trainer.builder(gan, data).batchSize(batchSize).discriminatorSteps(discriminatorSteps).reuseFakes(reuseFakes)
                .seed(seed).generatorOptimizer(generatorOptimizer.create().schedule(schedule))
                .discriminatorOptimizer(discriminatorOptimizer.create().schedule(schedule)).build()
    }
}
