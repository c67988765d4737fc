package dev.ganymede.dsl

import groovy.transform.CompileStatic

import static groovy.lang.Closure.DELEGATE_FIRST

/**
 * The base class of every .gan script. Its methods are the top-level words of the language, in
 * the order a GAN is thought about: data, latent noise, generator, discriminator, loss, training
 * schedule, outputs. Each word only records into a {@link GanDefinition}; nothing trains while the
 * script runs, so `gan check` and the REPL can load a script safely and quickly.
 */
@CompileStatic
abstract class GanScript extends Script {

    /** Top-level words, for completion and "did you mean". */
    static final List<String> WORDS = ['data', 'latent', 'normal', 'uniform', 'generator', 'discriminator', 'encoder',
                                       'decoder', 'loss', 'train', 'every', 'seed', 'params', 'compare'].asImmutable()

    GanDefinition getGan() {
        Object d = binding.hasVariable('gan') ? binding.getVariable('gan') : null
        if (!(d instanceof GanDefinition)) {
            d = new GanDefinition(scriptName(), [:])
            binding.setVariable('gan', d)
        }
        (GanDefinition) d
    }

    private String scriptName() {
        binding.hasVariable('scriptName') ? String.valueOf(binding.getVariable('scriptName')) : null
    }

    private int line() {
        ScriptLocation.callerLine(gan.scriptName)
    }

    /**
     * Values given with --set key=value, for the script's own knobs: {@code params.width ?: 64}.
     * Read-only: a change would be made to a copy and lost, so every way of changing it is refused.
     */
    Map<String, String> getParams() {
        new ReadOnlyParams(gan)
    }

    /** The --set values as a map that counts what the script reads and refuses every change with one message. */
    private static final class ReadOnlyParams extends AbstractMap<String, String> {

        private final GanDefinition definition

        ReadOnlyParams(GanDefinition definition) {
            this.definition = definition
        }

        @Override
        Set<Map.Entry<String, String>> entrySet() {
            Collections.unmodifiableMap(definition.overrides).entrySet()
        }

        @Override
        String get(Object key) {
            // reading a --set value through params counts as using it
            if (definition.overrides.containsKey(key)) definition.usedOverrides << String.valueOf(key)
            definition.overrides.get(key)
        }

        @Override
        String put(String key, String value) {
            throw new IllegalArgumentException("params are read-only: params.${key} comes from --set ${key}=VALUE (gan run, gan bench, /load FILE --set ...)".toString())
        }

        @Override
        String remove(Object key) {
            throw refusal()
        }

        @Override
        void clear() {
            throw refusal()
        }

        @Override
        void replaceAll(java.util.function.BiFunction<? super String, ? super String, ? extends String> function) {
            throw refusal()
        }

        private static IllegalArgumentException refusal() {
            new IllegalArgumentException("params are read-only: they come from --set KEY=VALUE (gan run, gan bench, /load FILE --set ...)")
        }
    }

    /** The training data: 'digits' (built in), 'fashion-mnist', 'gaussian-1d', 'ring', 'grid', or a folder. */
    void data(String name) {
        gan.dataName = name
        gan.dataLine = line()
    }

    void data(Map options, String name) {
        data(name)
        gan.dataOptions = (Map<String, Object>) options
    }

    /**
     * The generator's input noise: a size or a shape, then optionally its distribution:
     * {@code latent 100}, {@code latent 100, uniform(-1, 1)}, {@code latent 100, 1, 1, uniform(-1, 1)}.
     */
    void latent(Object... args) {
        List<Integer> dims = []
        NoiseChoice noise = normal()
        args.eachWithIndex { Object a, int i ->
            if (a instanceof Integer || a instanceof Long) {
                dims << ((Number) a).intValue()
            } else if (a instanceof NoiseChoice && i == args.length - 1) {
                noise = (NoiseChoice) a
            } else {
                throw new IllegalArgumentException("latent takes sizes then a distribution, like latent 100, uniform(-1, 1); got ${NamedArgs.describe(a)}".toString())
            }
        }
        if (dims.isEmpty()) throw new IllegalArgumentException('latent needs a size, e.g. latent 100')
        for (int d : dims) {
            if (d <= 0) throw new IllegalArgumentException("latent size must be positive, got ${d}".toString())
        }
        gan.latentShape = dims.collect { it as long } as long[]
        gan.uniformNoise = noise.uniform
        gan.noiseLow = noise.low
        gan.noiseHigh = noise.high
    }

    NoiseChoice normal() { new NoiseChoice(false, 0, 1) }

    NoiseChoice uniform(double low, double high) {
        if (!(high > low)) throw new IllegalArgumentException("uniform needs low < high, got uniform(${low}, ${high})".toString())
        new NoiseChoice(true, low, high)
    }

    /** The generator's layers, from the latent noise to a sample. */
    void generator(@DelegatesTo(value = NetworkBlock, strategy = DELEGATE_FIRST) Closure body) {
        GanDefinition d = gan
        notMixed('generator', d.discriminator, d.discriminatorLine)
        if (d.generator != null && !d.interactive) {
            throw new DslException("the generator is declared twice (first at line ${d.generatorLine})".toString(), line())
        }
        int at = line()
        d.generator = network('generator', body) // the line moves only with a block that builds
        d.generatorLine = at
    }

    /** The discriminator's layers, from a sample to its verdict. */
    void discriminator(@DelegatesTo(value = NetworkBlock, strategy = DELEGATE_FIRST) Closure body) {
        GanDefinition d = gan
        notMixed('discriminator', d.generator, d.generatorLine)
        if (d.discriminator != null && !d.interactive) {
            throw new DslException("the discriminator is declared twice (first at line ${d.discriminatorLine})".toString(), line())
        }
        int at = line()
        d.discriminator = network('discriminator', body) // the line moves only with a block that builds
        d.discriminatorLine = at
    }

    /**
     * An autoencoder's encoder, from a sample to its code: latent numbers per sample, or for a VAE
     * ({@code loss 'vae'}) 2 × latent, the mean then the log-variance of q(z|x). It takes the
     * discriminator's place in the engine's Gan (and its optimiser).
     */
    void encoder(@DelegatesTo(value = NetworkBlock, strategy = DELEGATE_FIRST) Closure body) {
        GanDefinition d = gan
        notMixed('encoder', d.generator, d.generatorLine)
        if (d.discriminator != null && !d.interactive) {
            throw new DslException("the encoder is declared twice (first at line ${d.discriminatorLine})".toString(), line())
        }
        int at = line()
        d.discriminator = network('encoder', body) // the line moves only with a block that builds
        d.discriminatorLine = at
    }

    /**
     * An autoencoder's decoder, from a latent code to a sample. It takes the generator's place in
     * the engine's Gan (and its optimiser), so sample grids decode codes drawn from the latent prior.
     */
    void decoder(@DelegatesTo(value = NetworkBlock, strategy = DELEGATE_FIRST) Closure body) {
        GanDefinition d = gan
        notMixed('decoder', d.discriminator, d.discriminatorLine)
        if (d.generator != null && !d.interactive) {
            throw new DslException("the decoder is declared twice (first at line ${d.generatorLine})".toString(), line())
        }
        int at = line()
        d.generator = network('decoder', body) // the line moves only with a block that builds
        d.generatorLine = at
    }

    /** A script is a GAN (generator, discriminator) or an autoencoder (encoder, decoder), not both. */
    private void notMixed(String word, NetworkBlock other, int otherLine) {
        boolean autoencoderWord = word in ['encoder', 'decoder']
        for (NetworkBlock b : [gan.generator, gan.discriminator, other]) {
            if (b != null && (b.networkName in ['encoder', 'decoder']) != autoencoderWord) {
                int at = b.is(gan.generator) ? gan.generatorLine : gan.discriminatorLine
                throw new DslException("a ${word} cannot go with the ${b.networkName} of ${gan.nameOfLine(at)}: a script declares either a GAN (generator and discriminator) or an autoencoder (encoder and decoder)".toString(), line())
            }
        }
    }

    private NetworkBlock network(String name, @DelegatesTo(value = NetworkBlock, strategy = DELEGATE_FIRST) Closure body) {
        NetworkBlock block = new NetworkBlock(name, gan.scriptName)
        Closure c = (Closure) body.clone()
        c.resolveStrategy = DELEGATE_FIRST
        c.delegate = block
        c.call()
        block
    }

    /**
     * The loss: adversarial for a GAN ({@code loss 'hinge'}, {@code loss 'lsgan', a: -1, b: 1, c: 0},
     * {@code loss 'bce', realLabel: 0.9}); reconstruction for an autoencoder ({@code loss 'mse'},
     * {@code loss 'l1'}, {@code loss 'vae', reconstruction: 'bce', beta: 4}). Unknown names and
     * options fail at this line.
     */
    void loss(Map options = [:], String name) {
        // a refused loss leaves the previous one in place (the REPL goes on with it)
        GanDefinition.Snapshot before = gan.snapshot()
        try {
            if (dev.ganymede.engine.loss.AutoencoderLoss.isNamed(name) || gan.isAutoencoder()) {
                autoencoderLoss(options, name)
                return
            }
            GanDefinition d = gan
            d.lossName = name
            d.lossOptions = (Map<String, Object>) options
            d.adversarialLoss()
            d.lossLine = line()
        } catch (RuntimeException e) {
            before.restore()
            throw e
        }
    }

    private void autoencoderLoss(Map options, String name) {
        if (!dev.ganymede.engine.loss.AutoencoderLoss.isNamed(name)) {
            if (dev.ganymede.engine.loss.Losses.names().contains(name)) {
                throw new IllegalArgumentException("an autoencoder trains with loss 'mse', 'l1' or 'vae', not the adversarial loss '${name}'".toString())
            }
            throw new IllegalArgumentException("unknown loss '${name}' for an autoencoder${Words.didYouMean(name, dev.ganymede.engine.loss.AutoencoderLoss.names())}: use 'mse', 'l1' or 'vae'".toString())
        }
        gan.lossName = name
        gan.lossLine = line()
        gan.lossOptions = (Map<String, Object>) options
        gan.objective() // bad options fail here, at this line
    }

    /**
     * Trains the script once per value of a setting, each run in a sub-folder of the run folder, and
     * plots all their loss curves in one figure, loss-comparison.png: {@code compare loss: ['bce', 'hinge']}.
     * The setting is any key --set accepts, including the params the script reads.
     */
    void compare(Map<String, Object> setting) {
        GanDefinition d = gan
        if (d.comparedKey != null && !d.interactive) {
            throw new DslException("compare is declared twice (first at line ${d.compareLine})".toString(), line())
        }
        if (setting.size() != 1) {
            throw new IllegalArgumentException("compare takes one setting and its values, like compare loss: ['bce', 'hinge'], got ${setting.isEmpty() ? 'none' : setting.keySet().join(', ')}".toString())
        }
        String key = setting.keySet().first()
        Object values = setting.get(key)
        if (!(values instanceof List) || ((List) values).size() < 2) {
            throw new IllegalArgumentException("compare ${key}: needs a list of two or more values, like compare ${key}: [a, b], got ${NamedArgs.describe(values)}".toString())
        }
        List<String> texts = ((List) values).collect { Object v -> String.valueOf(v) }
        String repeated = texts.find { String t -> texts.count(t) > 1 }
        if (repeated != null) {
            throw new IllegalArgumentException("compare ${key}: the value ${repeated} is listed twice".toString())
        }
        d.comparedKey = key
        d.comparedValues = texts
        d.compareLine = line()
    }

    /** The training schedule: batch size, duration, optimisers, D steps per G step. */
    void train(@DelegatesTo(value = TrainBlock, strategy = DELEGATE_FIRST) Closure body) {
        Closure c = (Closure) body.clone()
        c.resolveStrategy = DELEGATE_FIRST
        c.delegate = new TrainBlock(gan)
        GanDefinition.Snapshot before = gan.snapshot()
        try {
            c.call()
        } catch (Throwable e) {
            before.restore() // a failed block leaves the settings as they were
            throw e
        }
    }

    /** What to write while training and how often: {@code every(1.epoch) { samples 64 }}. */
    void every(Interval interval, @DelegatesTo(value = OutputBlock, strategy = DELEGATE_FIRST) Closure body) {
        // a new plan, kept only when the block runs to its end: a failed block changes nothing
        OutputPlan plan = new OutputPlan(every: interval, line: line(), plots: false, samples: 0,
                checkpoint: gan.outputs.checkpoint, metrics: gan.outputs.metrics)
        Closure c = (Closure) body.clone()
        c.resolveStrategy = DELEGATE_FIRST
        c.delegate = new OutputBlock(plan)
        c.call()
        gan.outputs = plan
    }

    /** The random seed of the run (PyTorch's generator and the data order). */
    void seed(long value) {
        gan.seed = value
    }

    /** A latent distribution choice. */
    @CompileStatic
    static final class NoiseChoice {
        final boolean uniform
        final double low
        final double high

        NoiseChoice(boolean uniform, double low, double high) {
            this.uniform = uniform
            this.low = low
            this.high = high
        }
    }
}
