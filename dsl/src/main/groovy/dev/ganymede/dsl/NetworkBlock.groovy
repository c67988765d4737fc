package dev.ganymede.dsl

import dev.ganymede.engine.nn.Activation
import dev.ganymede.engine.nn.BatchNorm
import dev.ganymede.engine.nn.Conv2d
import dev.ganymede.engine.nn.ConvTranspose2d
import dev.ganymede.engine.nn.Dropout
import dev.ganymede.engine.nn.Initializer
import dev.ganymede.engine.nn.LabelConcat
import dev.ganymede.engine.nn.Layer
import dev.ganymede.engine.nn.Linear
import dev.ganymede.engine.nn.Maxout
import dev.ganymede.engine.nn.MinibatchDiscrimination
import dev.ganymede.engine.nn.MinibatchStdDev
import dev.ganymede.engine.nn.Pack
import dev.ganymede.engine.nn.Reshape
import dev.ganymede.engine.nn.SpectralNorm
import dev.ganymede.engine.nn.Upsample
import groovy.transform.CompileStatic

/**
 * The words inside {@code generator { }} and {@code discriminator { }}: each adds one engine layer.
 * Input sizes are inferred, so a layer names only what it produces. Words without arguments
 * ({@code relu}, {@code tanh}, {@code batchNorm}, {@code flatten}, {@code minibatchStd}) may be
 * written with or without (). The weight words ({@code linear}, {@code conv}, {@code convT},
 * {@code maxout}, {@code minibatchDiscrimination}, and {@code label} with a learned embedding)
 * take {@code spectralNorm: true} for SNGAN's spectral normalisation.
 */
@CompileStatic
class NetworkBlock {

    /** Every word this block understands, for completion and "did you mean". */
    static final List<String> WORDS = ['linear', 'dense', 'conv', 'convT', 'batchNorm', 'dropout', 'relu', 'leakyRelu',
                                       'tanh', 'sigmoid', 'flatten', 'reshape', 'upsample', 'maxout', 'pack',
                                       'minibatchDiscrimination', 'minibatchStd', 'label', 'init'].asImmutable()

    final String networkName
    final String scriptName
    /** Layer factories in order: a fresh layer per build, so a definition can be built again (check, then run). */
    final List<LayerRecipe> layers = []
    Initializer initializer = Initializer.pytorch()
    String initializerName = 'pytorch'
    Integer labelClasses
    /** The pack size of a PacGAN discriminator, or null. */
    Integer packSize

    NetworkBlock(String networkName, String scriptName) {
        this.networkName = networkName
        this.scriptName = scriptName
    }

    /** Creates the layer once now, so bad settings fail at the script line that wrote them. */
    private void add(Closure<? extends Layer> factory) {
        String origin = ScriptLocation.caller(scriptName)
        Layer first = factory.call()
        layers << new LayerRecipe(factory, origin, first.typeName())
    }

    /** A fully connected layer: {@code linear 256}, {@code linear 256, spectralNorm: true}. */
    void linear(Map args = [:], int features) {
        def a = new NamedArgs('linear', args, ['bias', 'spectralNorm'])
        boolean sn = a.bool('spectralNorm', false)
        add { normalised(new Linear(features).bias(a.bool('bias', true)), sn) }
    }

    /** The layer with SNGAN's spectral normalisation of its weight when asked ({@code spectralNorm: true}). */
    private static <L extends Layer> L normalised(L layer, boolean spectralNorm) {
        spectralNorm ? SpectralNorm.of(layer) : layer
    }

    /** Keras's name for {@link #linear}: {@code dense 256}. */
    void dense(Map args = [:], int features) {
        linear(args, features)
    }

    /** A convolution: {@code conv 64, kernel: 4, stride: 2, padding: 1, bias: false, spectralNorm: true}. */
    void conv(Map args, int channels) {
        def a = new NamedArgs('conv', args, ['kernel', 'stride', 'padding', 'bias', 'spectralNorm'])
        requireKernel('conv', a)
        boolean sn = a.bool('spectralNorm', false)
        add { normalised(new Conv2d(channels, a.integer('kernel', 0)).stride(a.integer('stride', 1))
                .padding(a.integer('padding', 0)).bias(a.bool('bias', true)), sn) }
    }

    void conv(int channels) { conv([:], channels) }

    /** A transposed convolution: {@code convT 128, kernel: 4, stride: 2, padding: 1, outputPadding: 0, spectralNorm: true}. */
    void convT(Map args, int channels) {
        def a = new NamedArgs('convT', args, ['kernel', 'stride', 'padding', 'outputPadding', 'bias', 'spectralNorm'])
        requireKernel('convT', a)
        boolean sn = a.bool('spectralNorm', false)
        add { normalised(new ConvTranspose2d(channels, a.integer('kernel', 0)).stride(a.integer('stride', 1))
                .padding(a.integer('padding', 0)).outputPadding(a.integer('outputPadding', 0)).bias(a.bool('bias', true)), sn) }
    }

    void convT(int channels) { convT([:], channels) }

    private static void requireKernel(String word, NamedArgs a) {
        if (!a.has('kernel')) {
            throw new IllegalArgumentException("${word} needs a kernel size, e.g. ${word} 64, kernel: 4, stride: 2, padding: 1".toString())
        }
    }

    /** Batch normalisation (1-d or 2-d from the input): {@code batchNorm}, {@code batchNorm momentum: 0.2}. */
    void batchNorm(Map args = [:]) {
        def a = new NamedArgs('batchNorm', args, ['eps', 'momentum', 'affine'])
        add { new BatchNorm().eps(a.number('eps', 1e-5)).momentum(a.number('momentum', 0.1)).affine(a.bool('affine', true)) }
    }

    def getBatchNorm() { batchNorm(); null }

    void dropout(double p) { add { new Dropout(p) } }

    void relu() { add { Activation.relu() } }
    def getRelu() { relu(); null }

    void leakyRelu(double slope = 0.2) { add { Activation.leakyRelu(slope) } }
    def getLeakyRelu() { leakyRelu(); null }

    void tanh() { add { Activation.tanh() } }
    def getTanh() { tanh(); null }

    void sigmoid() { add { Activation.sigmoid() } }
    def getSigmoid() { sigmoid(); null }

    void flatten() { add { Reshape.flatten() } }
    def getFlatten() { flatten(); null }

    /** Reshapes each sample: {@code reshape 256, 7, 7}. */
    void reshape(long... dims) { add { Reshape.to(dims) } }

    /** Nearest (default) or bilinear upsampling: {@code upsample 2}, {@code upsample 2, mode: 'bilinear'}. */
    void upsample(Map args = [:], int factor) {
        def a = new NamedArgs('upsample', args, ['mode'])
        String mode = a.text('mode', 'nearest')
        if (!(mode in ['nearest', 'bilinear'])) {
            throw new IllegalArgumentException("upsample mode: must be 'nearest' or 'bilinear', got '${mode}'".toString())
        }
        add { new Upsample(factor, mode == 'bilinear' ? Upsample.Mode.BILINEAR : Upsample.Mode.NEAREST) }
    }

    /**
     * Maxout (Goodfellow et al.): a linear map to features · pieces values, then the largest of each
     * group of pieces: {@code maxout 200, pieces: 5}, as the PacGAN and VEEGAN mixture discriminators.
     */
    void maxout(Map args = [:], int features) {
        def a = new NamedArgs('maxout', args, ['pieces', 'bias', 'spectralNorm'])
        if (!a.has('pieces')) {
            throw new IllegalArgumentException('maxout needs the number of pieces, e.g. maxout 200, pieces: 5')
        }
        int pieces = a.integer('pieces', 0)
        boolean sn = a.bool('spectralNorm', false)
        add { normalised(new Maxout(features, pieces).bias(a.bool('bias', true)), sn) }
    }

    /**
     * PacGAN's packing at the discriminator's input: {@code pack 2} judges 2 samples at once,
     * concatenated along channels (or features). The discriminator sees batch / 2 packs, so the
     * batch size must be a multiple of 2. Not with a class label.
     */
    void pack(int m) {
        if (networkName != 'discriminator') {
            throw new IllegalArgumentException("pack belongs at the discriminator's input (PacGAN packs the samples the discriminator judges), not in the ${networkName}".toString())
        }
        if (labelClasses != null) {
            throw new IllegalArgumentException(PACK_WITH_LABEL)
        }
        add { new Pack(m) }
        packSize = m
    }

    private static final String PACK_WITH_LABEL = 'pack cannot be combined with a class label: PacGAN packing of a conditional discriminator is not supported'

    /**
     * Minibatch discrimination (Salimans et al.): appends each sample's closeness to the rest of the
     * batch, {@code minibatchDiscrimination kernels: 50, dims: 5} (dims defaults to 5); {@code spectralNorm: true}
     * normalises its tensor T as SNGAN does a weight.
     */
    void minibatchDiscrimination(Map args) {
        def a = new NamedArgs('minibatchDiscrimination', args, ['kernels', 'dims', 'spectralNorm'])
        if (!a.has('kernels')) {
            throw new IllegalArgumentException('minibatchDiscrimination needs the number of kernels, e.g. minibatchDiscrimination kernels: 50, dims: 5')
        }
        int kernels = a.integer('kernels', 0)
        int dims = a.integer('dims', 5)
        boolean sn = a.bool('spectralNorm', false)
        add { normalised(new MinibatchDiscrimination(kernels, dims), sn) }
    }

    /** ProGAN's minibatch standard deviation: one more feature (or feature map) with the batch's mean deviation. */
    void minibatchStd() { add { new MinibatchStdDev() } }
    def getMinibatchStd() { minibatchStd(); null }

    /**
     * Concatenates the class label, making the GAN conditional: {@code label classes: 10} (one-hot)
     * or {@code label classes: 10, embedding: 10} (learned, as seed 001's CGAN), whose table may be
     * spectrally normalised ({@code spectralNorm: true}), as BigGAN's discriminator does.
     */
    void label(Map args) {
        def a = new NamedArgs('label', args, ['classes', 'embedding', 'spectralNorm'])
        if (!a.has('classes')) {
            throw new IllegalArgumentException('label needs the number of classes, e.g. label classes: 10')
        }
        int classes = a.integer('classes', 0)
        if (labelClasses != null && labelClasses != classes) {
            throw new IllegalArgumentException("${networkName} already has a label of ${labelClasses} classes".toString())
        }
        if (packSize != null) {
            throw new IllegalArgumentException(PACK_WITH_LABEL)
        }
        boolean sn = a.bool('spectralNorm', false)
        if (sn && !a.has('embedding')) {
            throw new IllegalArgumentException('label spectralNorm: needs a learned embedding, e.g. label classes: 10, embedding: 10, spectralNorm: true; a one-hot label has no weight to normalise')
        }
        labelClasses = classes
        add { a.has('embedding') ? normalised(LabelConcat.embedding(classes, a.integer('embedding', 0)), sn) : LabelConcat.oneHot(classes) }
    }

    /** Weight initialisation: {@code init 'dcgan'} (N(0, 0.02), BatchNorm γ ~ N(1, 0.02)), 'normal' (N(0, 0.02), γ = 1), 'pytorch' (default), 'xavier', 'kaiming'. */
    void init(String name) {
        initializer = Initializer.named(name)
        initializerName = name
    }
}
