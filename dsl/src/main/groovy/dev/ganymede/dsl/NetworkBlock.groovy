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
import dev.ganymede.engine.nn.Reshape
import dev.ganymede.engine.nn.Upsample
import groovy.transform.CompileStatic

/**
 * The words inside {@code generator { }} and {@code discriminator { }}: each adds one engine layer.
 * Input sizes are inferred, so a layer names only what it produces. Words without arguments
 * ({@code relu}, {@code tanh}, {@code batchNorm}, {@code flatten}) may be written with or without ().
 */
@CompileStatic
class NetworkBlock {

    /** Every word this block understands, for completion and "did you mean". */
    static final List<String> WORDS = ['linear', 'dense', 'conv', 'convT', 'batchNorm', 'dropout', 'relu', 'leakyRelu',
                                       'tanh', 'sigmoid', 'flatten', 'reshape', 'upsample', 'label', 'init'].asImmutable()

    final String networkName
    final String scriptName
    /** Layer factories in order: a fresh layer per build, so a definition can be built again (check, then run). */
    final List<LayerRecipe> layers = []
    Initializer initializer = Initializer.pytorch()
    String initializerName = 'pytorch'
    Integer labelClasses

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

    /** A fully connected layer: {@code linear 256}. */
    void linear(Map args = [:], int features) {
        def a = new NamedArgs('linear', args, ['bias'])
        add { new Linear(features).bias(a.bool('bias', true)) }
    }

    /** Keras's name for {@link #linear}: {@code dense 256}. */
    void dense(Map args = [:], int features) {
        linear(args, features)
    }

    /** A convolution: {@code conv 64, kernel: 4, stride: 2, padding: 1, bias: false}. */
    void conv(Map args, int channels) {
        def a = new NamedArgs('conv', args, ['kernel', 'stride', 'padding', 'bias'])
        requireKernel('conv', a)
        add { new Conv2d(channels, a.integer('kernel', 0)).stride(a.integer('stride', 1))
                .padding(a.integer('padding', 0)).bias(a.bool('bias', true)) }
    }

    void conv(int channels) { conv([:], channels) }

    /** A transposed convolution: {@code convT 128, kernel: 4, stride: 2, padding: 1, outputPadding: 0}. */
    void convT(Map args, int channels) {
        def a = new NamedArgs('convT', args, ['kernel', 'stride', 'padding', 'outputPadding', 'bias'])
        requireKernel('convT', a)
        add { new ConvTranspose2d(channels, a.integer('kernel', 0)).stride(a.integer('stride', 1))
                .padding(a.integer('padding', 0)).outputPadding(a.integer('outputPadding', 0)).bias(a.bool('bias', true)) }
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
     * Concatenates the class label, making the GAN conditional: {@code label classes: 10} (one-hot)
     * or {@code label classes: 10, embedding: 10} (learned, as seed 001's CGAN).
     */
    void label(Map args) {
        def a = new NamedArgs('label', args, ['classes', 'embedding'])
        if (!a.has('classes')) {
            throw new IllegalArgumentException('label needs the number of classes, e.g. label classes: 10')
        }
        int classes = a.integer('classes', 0)
        if (labelClasses != null && labelClasses != classes) {
            throw new IllegalArgumentException("${networkName} already has a label of ${labelClasses} classes".toString())
        }
        labelClasses = classes
        add { a.has('embedding') ? LabelConcat.embedding(classes, a.integer('embedding', 0)) : LabelConcat.oneHot(classes) }
    }

    /** Weight initialisation: {@code init 'dcgan'} (N(0, 0.02)), 'pytorch' (default), 'xavier', 'kaiming'. */
    void init(String name) {
        initializer = Initializer.named(name)
        initializerName = name
    }
}
