package dev.ganymede.engine.nn

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.See
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files

import static dev.ganymede.engine.support.Arrays64.random
import static dev.ganymede.engine.support.Matrices64.asMatrix
import static dev.ganymede.engine.support.Matrices64.topSingularValue

@Title("Spectral normalisation: a weight layer computes with W / σ(W), as torch.nn.utils.spectral_norm does")
@Narrative("""
SNGAN (Miyato et al., 2018) keeps the discriminator 1-Lipschitz per layer by dividing each weight
by its largest singular value σ(W). Computing σ exactly every step would be slow, so PyTorch's
spectral_norm keeps a vector u and does one step of power iteration per training forward pass:
v = normalise(Wᵀu), u = normalise(Wv), σ ≈ uᵀWv. The weight is seen as a matrix with one row per
output feature: (out, in) for Linear, (out, in·k·k) for Conv2d, and for ConvTranspose2d, whose
weight is (in, out, k, k), the rows come from axis 1 (PyTorch's dim=1).

The engine does the same for any weight layer (Linear, Conv2d, ConvTranspose2d, Maxout, Embedding,
the learned label embedding of a conditional network, whose rows are the classes, and minibatch
discrimination's tensor T)
through one reparametrisation of the weight parameter, not a copy of the logic per layer. u and v
are buffers saved with the model; evaluation passes use them without updating them; the power
iteration records no gradient, while σ = uᵀWv does, so the gradient reaches W through σ too.

The true σ is computed here independently, in doubles, by power iteration on WᵀW run until it no
longer moves.
""")
@See("/work/shared/seed-checklist.md section 1.11; PyTorch torch/nn/utils/spectral_norm.py")
class SpectralNormSpec extends Specification {

    @Shared NDManager manager = Backend.engine().newBaseManager()

    def cleanupSpec() {
        manager.close()
    }

    static SpectralNorm sn(Network net, int layer = 0) {
        // a layer has one reparametrised weight: 'weight', or minibatch discrimination's 'T'
        (SpectralNorm) net.body().layers()[layer].reparametrizations().values().first()
    }

    /**
     * One forward pass of a random batch of two, in training or evaluation mode, labelled classes 0
     * and 1 when the network has a label embedding; its arrays are freed with its scope.
     */
    void pass(Network net, boolean training, long seed = 1) {
        try (def scope = manager.newSubManager()) {
            def shape = Shapes.batched(2, net.inputShape())
            def labels = net.body().layers().any { it instanceof LabelConcat } ? scope.create([0, 1] as int[]) : null
            net.forward(scope.create(random(shape.size() as int, seed), shape), new ForwardContext(scope, training, labels))
        }
    }

    /** The weight the layer computes with in evaluation mode, W / σ with the stored u and v. */
    float[] normalisedWeight(Network net, String name = 'weight') {
        try (def scope = manager.newSubManager()) {
            new ForwardContext(scope, false).use(net.namedParameters()['0.' + name]).toFloatArray()
        }
    }

    def "#layer: after #passes training passes σ is the top singular value of its #rows × #cols weight matrix, and W / σ has spectral norm 1"() {
        given: "the layer with spectral normalisation, and the true σ of its weight computed in doubles"
        Backend.seed(7)
        Network net = Network.builder("sn").input(input as long[]).add(make()).build()
        def weight = net.namedParameters()['0.' + name]
        double[][] w = asMatrix(weight.value().toFloatArray(), weight.shape().shape as List<Long>, dim)
        double trueSigma = topSingularValue(w)

        expect: "u has one entry per row of the matrix and v one per column"
        sn(net).u().shape() == new Shape(rows)
        sn(net).v().shape() == new Shape(cols)
        w.length == rows && w[0].length == cols

        when: "one training pass runs"
        pass(net, true)
        double afterOne = sn(net).sigma()

        then: "the estimate uᵀWv = ‖Wv‖ cannot exceed the true σ"
        afterOne <= trueSigma * (1 + 1e-6)

        when: "more training passes run, one power-iteration step each"
        (passes - 1).times { pass(net, true, it) }
        double estimate = sn(net).sigma()
        double normalisedNorm = topSingularValue(asMatrix(normalisedWeight(net, name), weight.shape().shape as List<Long>, dim))
        println "${layer}: true σ ${trueSigma}, after 1 pass ${afterOne}, after ${passes} ${estimate}; ‖W/σ‖₂ = ${normalisedNorm}"

        then: "σ is the largest singular value of W"
        Math.abs(estimate - trueSigma) / trueSigma < 1e-4

        and: "the weight the layer computes with has spectral norm 1"
        Math.abs(normalisedNorm - 1) < 1e-4

        cleanup:
        net?.close()

        where: """the weight layers; a transposed convolution's rows are its output channels (axis 1 of (in, out, k, k)), a label
        embedding's its classes, minibatch discrimination's T (A, B·C) its A input features"""
        layer                               | input     | make                                                   | name     | dim | passes || rows | cols
        "Linear(12, 8)"                     | [12]      | { new Linear(8).spectralNorm() }                       | 'weight' | 0   | 300    || 8    | 12
        "Conv2d(3, 6, kernel 3)"            | [3, 5, 5] | { new Conv2d(6, 3).spectralNorm() }                    | 'weight' | 0   | 300    || 6    | 27
        "ConvTranspose2d(4, 5, kernel 3)"   | [4, 3, 3] | { new ConvTranspose2d(5, 3).stride(2).spectralNorm() } | 'weight' | 1   | 300    || 5    | 36
        "Maxout(10 -> 6, 3 pieces)"         | [10]      | { new Maxout(6, 3).spectralNorm() }                    | 'weight' | 0   | 300    || 18   | 10
        "label Embedding(7, 5)"             | [4]       | { LabelConcat.embedding(7, 5).spectralNorm() }         | 'weight' | 0   | 300    || 7    | 5
        "MinibatchDiscrimination(9, 4 × 3)" | [9]       | { new MinibatchDiscrimination(4, 3).spectralNorm() }   | 'T'      | 0   | 300    || 9    | 12
    }

    def "a transposed convolution is normalised over its output channels, as PyTorch's dim=1, not over axis 0"() {
        given: "ConvTranspose2d(4 -> 5, kernel 3), whose weight is (4, 5, 3, 3)"
        Backend.seed(8)
        Network net = Network.builder("snT").input(4, 3, 3).add(new ConvTranspose2d(5, 3).spectralNorm()).build()
        def weight = net.namedParameters()['0.weight']
        float[] w = weight.value().toFloatArray()
        def shape = weight.shape().shape as List<Long>

        when: "the power iteration has converged"
        300.times { pass(net, true, it) }

        then: "σ is that of the (5, 36) matrix of output channels"
        Math.abs(sn(net).sigma() - topSingularValue(asMatrix(w, shape, 1))) / sn(net).sigma() < 1e-4

        and: "the (4, 45) matrix of axis 0 has another top singular value, so the choice is visible"
        Math.abs(topSingularValue(asMatrix(w, shape, 0)) - sn(net).sigma()) / sn(net).sigma() > 1e-3

        cleanup:
        net?.close()
    }

    def "the gradient reaches W through σ as well: dL/dW = G/σ − (⟨G, W⟩/σ²) u vᵀ, G the gradient of the normalised weight"() {
        given: "Linear(5 -> 4) without bias, normalised, a batch x of 3 and an upstream gradient r"
        Backend.seed(9)
        Network net = Network.builder("sn").input(5).add(new Linear(4).bias(false).spectralNorm()).build()
        float[] xs = random(15, 21)
        float[] r = random(12, 22)
        def scope = manager.newSubManager()
        def x = scope.create(xs, new Shape(3, 5))

        when: "a training pass runs and L = Σ y·r is back-propagated"
        net.zeroGradients()
        def y
        try (def rec = Autograd.record()) {
            y = net.forward(x, new ForwardContext(scope, true))
            Autograd.backward(y.mul(scope.create(r, new Shape(3, 4))).sum())
        }
        float[] grad = Autograd.gradient(net.namedParameters()['0.weight'].value(), scope).toFloatArray()

        and: "the same is computed in doubles from W and from the u and v the pass left in the buffers"
        double[][] w = asMatrix(net.namedParameters()['0.weight'].value().toFloatArray(), [4L, 5L], 0)
        float[] u = sn(net).u().value().toFloatArray()
        float[] v = sn(net).v().value().toFloatArray()
        double sigma = (0..<4).sum { i -> (0..<5).sum { j -> u[i] * w[i][j] * v[j] } }
        double[][] g = new double[4][5]     // G = rᵀ x, the gradient of L with respect to W / σ
        (0..<4).each { i -> (0..<5).each { j -> g[i][j] = (0..<3).sum { n -> r[n * 4 + i] * xs[n * 5 + j] } } }
        double gw = (0..<4).sum { i -> (0..<5).sum { j -> g[i][j] * w[i][j] } }
        def expected = [], ifSigmaWereConstant = [], output = []
        (0..<4).each { i -> (0..<5).each { j ->
            expected << g[i][j] / sigma - gw / (sigma * sigma) * u[i] * v[j]
            ifSigmaWereConstant << g[i][j] / sigma
        } }
        (0..<3).each { n -> (0..<4).each { i -> output << (0..<5).sum { j -> xs[n * 5 + j] * w[i][j] / sigma } } }

        then: "the layer's output is x (W/σ)ᵀ"
        maxError(y.toFloatArray(), output) < 1e-5

        and: "W's gradient has the term through σ"
        maxError(grad, expected) < 1e-5

        and: "which matters: treating σ as a constant would give a visibly different gradient"
        maxError(grad, ifSigmaWereConstant) > 1e-3

        and: "u and v themselves get no gradient"
        !sn(net).u().value().hasGradient()
        !sn(net).v().value().hasGradient()

        cleanup:
        scope?.close()
        net?.close()
    }

    static double length(Parameter p) {
        Math.sqrt(p.value().toFloatArray().collect { it * it }.sum() as double)
    }

    static double maxError(float[] actual, List expected) {
        (0..<actual.length).collect { Math.abs(actual[it] - (expected[it] as double)) }.max()
    }

    def "evaluation passes use the stored u and v without moving them; each training pass moves them"() {
        given: "a normalised convolution"
        Backend.seed(10)
        Network net = Network.builder("sn").input(3, 6, 6).add(new Conv2d(4, 3).spectralNorm()).build()
        float[] start = sn(net).u().value().toFloatArray()

        when: "three evaluation passes run"
        3.times { pass(net, false, it) }

        then: "u is exactly where it was"
        sn(net).u().value().toFloatArray() == start

        when: "one training pass runs"
        pass(net, true)

        then: "u has moved, and is still a unit vector"
        sn(net).u().value().toFloatArray() != start
        Math.abs(length(sn(net).u()) - 1) < 1e-5
    }

    def "u and v are buffers: N(0, 1) unit vectors at the start, not trained, not counted, saved and loaded with the model"() {
        given: "a normalised convolution and the same layer without normalisation"
        Backend.seed(11)
        Network net = Network.builder("sn").input(3, 8, 8).add(new Conv2d(4, 3).stride(2).spectralNorm()).build()
        Network plain = Network.builder("plain").input(3, 8, 8).add(new Conv2d(4, 3).stride(2)).build()
        def file = Files.createTempDirectory("sn").resolve("d.params")

        expect: "the model holds the weight, the bias and the two vectors, under PyTorch's names"
        net.namedParameters().keySet() == ['0.weight', '0.bias', '0.weight_u', '0.weight_v'] as Set

        and: "they start as unit vectors"
        Math.abs(length(sn(net).u()) - 1) < 1e-5
        Math.abs(length(sn(net).v()) - 1) < 1e-5

        and: "they are not parameters: the count is that of the plain layer, 4·3·3·3 + 4"
        net.parameterCount() == plain.parameterCount()
        net.parameterCount() == 4 * 3 * 3 * 3 + 4
        net.trainableParameters()*.name() == ['weight', 'bias']

        and: "the summary counts them as buffers, 4 + 27 values"
        net.summary().bufferValues() == 4 + 27
        net.summary().toString().contains("Buffers (power-iteration vectors of spectral norm): 31")

        when: "the network trains a few passes, is saved, and loaded into a twin that started elsewhere"
        5.times { pass(net, true, it) }
        NetworkIO.save(net, file)
        Backend.seed(12)
        Network twin = Network.builder("sn").input(3, 8, 8).add(new Conv2d(4, 3).stride(2).spectralNorm()).build()
        boolean differedBefore = sn(twin).u().value().toFloatArray() != sn(net).u().value().toFloatArray()
        NetworkIO.load(twin, file)

        then: "the twin's u and v are the saved ones"
        differedBefore
        sn(twin).u().value().toFloatArray() == sn(net).u().value().toFloatArray()
        sn(twin).v().value().toFloatArray() == sn(net).v().value().toFloatArray()

        and: "so the twin computes with exactly the same normalised weight"
        normalisedWeight(twin) == normalisedWeight(net)

        cleanup:
        net?.close()
        plain?.close()
        twin?.close()
    }

    def "a pass leaves nothing in the network's memory scope: every temporary belongs to the step"() {
        given: "normalised Linear, ConvTranspose2d and Maxout layers, with packing and both minibatch layers around them"
        Backend.seed(13)
        Network net = Network.builder("sn").input(6).pack(2)
                .add(new Linear(2 * 3 * 3).spectralNorm()).reshape(2, 3, 3)
                .add(new ConvTranspose2d(3, 4).stride(2).padding(1).spectralNorm()).minibatchStdDev().flatten()
                .add(new Maxout(4, 2).spectralNorm()).minibatchDiscrimination(3, 2).build()
        pass(net, true)
        int arrays = net.manager().getManagedArrays().size()

        when: "twenty training passes with backward and ten evaluation passes run, each in its own scope"
        20.times {
            try (def scope = manager.newSubManager(); def rec = Autograd.record()) {
                def y = net.forward(scope.create(random(24, it), new Shape(4, 6)), new ForwardContext(scope, true))
                net.zeroGradients()
                Autograd.backward(y.sum())
                net.namedParameters().values().findAll { it.trainable() }.each { Autograd.gradient(it.value(), scope) }
            }
        }
        10.times { pass(net, false, it) }

        then: "the network's scope holds as many arrays as before"
        net.manager().getManagedArrays().size() == arrays

        cleanup:
        net?.close()
    }

    def "a normalised layer is listed as PyTorch lists a module with a spectral-norm parametrization"() {
        given:
        Network net = Network.builder("d").input(3, 64, 64)
                .add(new Conv2d(64, 4).stride(2).padding(1).spectralNorm()).leakyRelu(0.2).build()

        expect: "the listing PyTorch prints for nn.Sequential(parametrizations.spectral_norm(nn.Conv2d(3, 64, 4, 2, 1)), nn.LeakyReLU(0.2))"
        net.toString() == '''\
Sequential(
  (0): ParametrizedConv2d(
    3, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1)
    (parametrizations): ModuleDict(
      (weight): ParametrizationList(
        (0): _SpectralNorm()
      )
    )
  )
  (1): LeakyReLU(negative_slope=0.2)
)'''

        and: "the summary names the normalisation beside the layer"
        net.summary().rows()[0].layer == "0 Conv2d + spectral norm"

        cleanup:
        net?.close()
    }

    def "spectral norm #what is refused: #message"() {
        when:
        action()

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        what                           | action                                                   || message
        "on a layer without a weight"  | { SpectralNorm.of(Activation.relu()) }                   || "spectral norm applies to a layer with a weight (Linear, Conv2d, ConvTranspose2d, Maxout, Embedding, a learned label embedding, MinibatchDiscrimination), not to ReLU"
        "on a one-hot label"           | { LabelConcat.oneHot(10).spectralNorm() }                || "spectral norm needs a weight, and a one-hot label has none: give the label a learned embedding to normalise"
        "twice on one weight"          | { new Linear(3).spectralNorm().spectralNorm() }          || "Linear's weight already has spectral norm"
        "with no power iteration"      | { SpectralNorm.of(new Linear(3), 0) }                    || "spectral norm needs at least one power iteration per pass, got 0"
    }
}
