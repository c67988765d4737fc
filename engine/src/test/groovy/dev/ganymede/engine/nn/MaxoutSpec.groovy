package dev.ganymede.engine.nn

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import static dev.ganymede.engine.support.Arrays64.random

@Title("Maxout: a linear map to out · pieces values, then the largest piece of each unit")
@Narrative("""
Maxout (Goodfellow et al., 2013) is its own activation: each of the out units computes `pieces`
affine functions of the input and keeps the largest, y_j = max_k (Wx + b)_{j·pieces + k}. The
discriminators of the PacGAN and VEEGAN mixture experiments (ring of 8 and grid of 25 Gaussians)
are three maxout layers of 200 units with 5 pieces. The weight is (out · pieces, in); consecutive
rows are the pieces of one unit. Only the winning piece of each unit gets gradient.
""")
class MaxoutSpec extends Specification {

    @Shared NDManager manager = Backend.engine().newBaseManager()

    def cleanupSpec() {
        manager.close()
    }

    def "#network: #parameters parameters, (in + 1) · out · pieces per maxout layer"() {
        given:
        Network net = make()
        println net.summary()

        expect:
        net.outputShape() == new Shape(1)
        net.parameterCount() == parameters

        cleanup:
        net?.close()

        where:
        network                                                       | make                                                                                         || parameters
        "Maxout(2 -> 200, 5 pieces), Linear(200, 1)"                  | { Network.builder("d").input(2).maxout(200, 5).linear(1).build() }                            || 3 * 1000 + 201
        "the PacGAN mixture D: 3 × maxout 200 × 5, Linear(200, 1)"    | { Network.builder("d").input(2).maxout(200, 5).maxout(200, 5).maxout(200, 5).linear(1).sigmoid().build() } || 3 * 1000 + 201 * 1000 * 2 + 201
        "PacGAN2's mixture D (packed pairs of 2-D points)"            | { Network.builder("d").input(2).pack(2).maxout(200, 5).maxout(200, 5).maxout(200, 5).linear(1).sigmoid().build() } || 5 * 1000 + 201 * 1000 * 2 + 201
        "without bias"                                                | { Network.builder("d").input(4).add(new Maxout(3, 2).bias(false)).linear(1).build() }        || 4 * 6 + 4
    }

    def "each unit outputs the largest of its pieces, computed by hand for a batch of 3"() {
        given: "Maxout(4 -> 3 units, 2 pieces) with a random weight (6, 4) and bias (6)"
        Network net = Network.builder("m").input(4).maxout(3, 2).build()
        float[] w = random(24, 31)
        float[] b = random(6, 32)
        net.namedParameters()['0.weight'].value().set(w)
        net.namedParameters()['0.bias'].value().set(b)
        float[] xs = random(12, 33)

        when:
        float[] y
        try (def scope = manager.newSubManager()) {
            y = net.forward(scope.create(xs, new Shape(3, 4)), new ForwardContext(scope, false)).toFloatArray()
        }

        then: "y[n][j] = max over k of (W x_n + b) at row j·2 + k"
        def expected = (0..<3).collectMany { n ->
            (0..<3).collect { j -> (0..<2).collect { k -> affine(w, b, xs, n, j * 2 + k, 4) }.max() }
        }
        (0..<9).every { Math.abs(y[it] - expected[it]) < 1e-5 }

        cleanup:
        net?.close()
    }

    static double affine(float[] w, float[] b, float[] xs, int n, int row, int inputs) {
        b[row] + (0..<inputs).sum { i -> w[row * inputs + i] * xs[n * inputs + i] }
    }

    def "the gradient goes only to the winning piece of each unit"() {
        given: "Maxout(5 -> 4 units, 3 pieces) and one sample x"
        Backend.seed(34)
        Network net = Network.builder("m").input(5).maxout(4, 3).build()
        float[] w = net.namedParameters()['0.weight'].value().toFloatArray()
        float[] b = net.namedParameters()['0.bias'].value().toFloatArray()
        float[] x = random(5, 35)
        def scope = manager.newSubManager()

        when: "the sum of the outputs is back-propagated"
        net.zeroGradients()
        try (def rec = Autograd.record()) {
            Autograd.backward(net.forward(scope.create(x, new Shape(1, 5)), new ForwardContext(scope, true)).sum())
        }
        float[] gw = Autograd.gradient(net.namedParameters()['0.weight'].value(), scope).toFloatArray()
        float[] gb = Autograd.gradient(net.namedParameters()['0.bias'].value(), scope).toFloatArray()
        List<Integer> winners = (0..<4).collect { j -> (0..<3).max { k -> affine(w, b, x, 0, j * 3 + k, 5) } }
        println "winning pieces: ${winners}"

        then: "a winning row's gradient is x and its bias gets 1"
        (0..<4).every { j ->
            int row = j * 3 + winners[j]
            (0..<5).every { i -> Math.abs(gw[row * 5 + i] - x[i]) < 1e-6 } && gb[row] == 1f
        }

        and: "the other pieces get exactly nothing"
        (0..<4).every { j ->
            (0..<3).findAll { it != winners[j] }.every { k ->
                int row = j * 3 + k
                (0..<5).every { i -> gw[row * 5 + i] == 0f } && gb[row] == 0f
            }
        }

        cleanup:
        scope?.close()
        net?.close()
    }

    def "Maxout is listed with its sizes"() {
        given:
        Network net = Network.builder("m").input(2).maxout(200, 5).build()

        expect:
        net.body().layers()[0].describe() == "Maxout(in_features=2, out_features=200, pieces=5, bias=True)"

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
        what                     | action                                                           || exception                | message
        "one piece"              | { new Maxout(200, 1) }                                           || IllegalArgumentException | "Maxout needs at least 2 pieces per unit, got 1 (a maxout of one piece is a linear layer)"
        "no units"               | { new Maxout(0, 5) }                                             || IllegalArgumentException | "Maxout needs a positive number of output features, got 0"
        "an image input"         | { Network.builder("d").input(1, 28, 28).maxout(200, 5).build() } || ShapeException           | "Maxout expects a vector of features (add `flatten` before it), but its input is (1, 28, 28)"
    }
}
