package dev.ganymede.engine.nn

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import static dev.ganymede.engine.support.Arrays64.random

@Title("Minibatch discrimination and minibatch standard deviation: the discriminator sees the whole batch")
@Narrative("""
A generator that collapses onto one mode produces batches of near-identical samples, which a
discriminator judging one sample at a time cannot see. Two layers let it look across the batch.

Minibatch discrimination (Salimans et al., 2016): a learned tensor T (A, B·C) maps each sample's
A features to B rows of C values, M_i = x_i T; the closeness of samples i and j for kernel b is
c_b(i, j) = exp(−‖M_i,b − M_j,b‖₁), and sample i gets o_b(x_i) = Σ_{j≠i} c_b(i, j), appended to
its features: (A) becomes (A + B), with A·B·C parameters.

Minibatch standard deviation (ProGAN, Karras et al., 2018) has no parameters: the standard
deviation of each feature over the batch, sqrt(mean((x − mean x)²) + 1e-8), averaged into one
number and appended to every sample as one more feature, or one more constant feature map.

Both are checked against the formulas computed by hand (in doubles) on a tiny batch.
""")
class MinibatchLayersSpec extends Specification {

    @Shared NDManager manager = Backend.engine().newBaseManager()

    def cleanupSpec() {
        manager.close()
    }

    def "minibatch discrimination with #kernels kernels of #dims on #features features: output #output, #parameters parameters"() {
        given:
        Network net = Network.builder("d").input(features).minibatchDiscrimination(kernels, dims).build()

        expect:
        net.outputShape() == new Shape(output)
        net.parameterCount() == parameters
        net.namedParameters()['0.T'].shape() == new Shape(features, kernels * dims)

        cleanup:
        net?.close()

        where: "the paper's MNIST setting has 100 kernels of 5"
        features | kernels | dims || output | parameters
        784      | 100     | 5    || 884    | 392_000
        200      | 50      | 5    || 250    | 50_000
        4        | 2       | 3    || 6      | 24
    }

    def "o_b(x_i) = Σ_{j≠i} exp(−‖M_i,b − M_j,b‖₁), checked by hand on a batch of 3 with 2 kernels of 3"() {
        given: "4 features, T (4, 6) and a batch of 3"
        Network net = Network.builder("d").input(4).minibatchDiscrimination(2, 3).build()
        float[] t = random(24, 41, 0.3)
        net.namedParameters()['0.T'].value().set(t)
        float[] xs = random(12, 42)

        when:
        float[] y
        try (def scope = manager.newSubManager()) {
            y = net.forward(scope.create(xs, new Shape(3, 4)), new ForwardContext(scope, true)).toFloatArray()
        }

        and: "the same in doubles: M = x T, then the L1 closeness to the two other samples"
        double[][][] m = new double[3][2][3]
        (0..<3).each { n -> (0..<2).each { b -> (0..<3).each { c ->
            m[n][b][c] = (0..<4).sum { a -> xs[n * 4 + a] * t[a * 6 + b * 3 + c] } as double
        } } }
        def expected = (0..<3).collectMany { i ->
            (0..<4).collect { a -> xs[i * 4 + a] as double } +
                    (0..<2).collect { b -> (0..<3).findAll { it != i }.sum { j -> Math.exp(-(0..<3).sum { c -> Math.abs(m[i][b][c] - m[j][b][c]) }) } }
        }

        then: "each sample keeps its 4 features and gains its 2 closeness values"
        (0..<18).every { Math.abs(y[it] - expected[it]) < 1e-5 }

        cleanup:
        net?.close()
    }

    def "minibatch standard deviation appends sqrt(var + 1e-8) averaged over #what"() {
        given:
        Network net = Network.builder("d").input(sample as long[]).minibatchStdDev().build()
        int n = 4
        int size = new Shape(sample as long[]).size()
        float[] xs = random(n * size, 43)

        when:
        float[] y
        try (def scope = manager.newSubManager()) {
            y = net.forward(scope.create(xs, Shapes.batched(n, new Shape(sample as long[]))), new ForwardContext(scope, true)).toFloatArray()
        }

        and: "the mean over positions of the biased standard deviation over the batch, in doubles"
        double s = (0..<size).sum { p ->
            double mean = (0..<n).sum { xs[it * size + p] } / n
            Math.sqrt((0..<n).sum { (xs[it * size + p] - mean) ** 2 } / n + 1e-8)
        } / size
        int outSize = size + size.intdiv(sample[0] as int)

        then: "each sample is unchanged and followed by one more feature (or map) filled with that value"
        net.outputShape() == new Shape(output as long[])
        (0..<n).every { i ->
            (0..<size).every { p -> y[i * outSize + p] == xs[i * size + p] } &&
                    (size..<outSize).every { p -> Math.abs(y[i * outSize + p] - s) < 1e-5 }
        }

        and: "it has no parameters"
        net.parameterCount() == 0

        cleanup:
        net?.close()

        where:
        what                           | sample     || output
        "6 features"                   | [6]        || [7]
        "3 channels of 2×2 positions"  | [3, 2, 2]  || [4, 2, 2]
    }

    def "the appended deviation sends gradient back to every sample: d/dx_nf of Σ_n s is (x_nf − mean_f) / (F · std_f)"() {
        given: "a batch of 5 samples of 3 features"
        Network net = Network.builder("d").input(3).minibatchStdDev().build()
        float[] xs = random(15, 44)
        def scope = manager.newSubManager()
        def x = scope.create(xs, new Shape(5, 3))
        x.setRequiresGradient(true)

        when: "the sum of the appended feature over the batch is back-propagated"
        try (def rec = Autograd.record()) {
            def y = net.forward(x, new ForwardContext(scope, true))
            Autograd.backward(y.get(":, 3").sum())
        }
        float[] g = Autograd.gradient(x, scope).toFloatArray()

        then:
        (0..<3).every { f ->
            double mean = (0..<5).sum { xs[it * 3 + f] } / 5
            double std = Math.sqrt((0..<5).sum { (xs[it * 3 + f] - mean) ** 2 } / 5 + 1e-8)
            (0..<5).every { i -> Math.abs(g[i * 3 + f] - (xs[i * 3 + f] - mean) / (3 * std)) < 1e-5 }
        }

        cleanup:
        scope?.close()
        net?.close()
    }

    def "the layers are listed with their settings"() {
        given:
        Network net = Network.builder("d").input(200).minibatchDiscrimination(50, 5).minibatchStdDev().build()

        expect:
        net.toString() == '''\
Sequential(
  (0): MinibatchDiscrimination(in_features=200, kernels=50, kernel_dims=5)
  (1): MinibatchStdDev()
)'''

        cleanup:
        net?.close()
    }

    def "#what is refused: #message"() {
        when:
        action()

        then:
        def e = thrown(exception)
        e.message.contains(message)

        where:
        what                         | action                                                                          || exception                | message
        "zero kernels"               | { new MinibatchDiscrimination(0, 5) }                                           || IllegalArgumentException | "minibatch discrimination needs a positive number of kernels and of dimensions per kernel, got 0 and 5"
        "an image into minibatch discrimination" | { Network.builder("d").input(1, 8, 8).minibatchDiscrimination(5, 3).build() } || ShapeException | "MinibatchDiscrimination expects a vector of features (add `flatten` before it), but its input is (1, 8, 8)"
        "a (C, L) input into the std" | { Network.builder("d").input(2, 8).minibatchStdDev().build() }                 || ShapeException           | "MinibatchStdDev expects a feature vector or a (channels, height, width) map, but its input is (2, 8)"
    }
}
