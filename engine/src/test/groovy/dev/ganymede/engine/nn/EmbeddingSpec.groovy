package dev.ganymede.engine.nn

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("Embedding: integer indices become learned vectors, as PyTorch's nn.Embedding")
@Narrative("""
An Embedding(num, dim) is a table of num learned rows of dim values; index i selects row i. Per
sample, indices of shape (L) become (L, dim). The table starts N(0, 1) as PyTorch's does, whatever
the network's initialisation scheme. Indices may come as whole-valued floats (a network's input is
float); a fractional or out-of-range index is refused with the value. Class conditioning has its
own layer, LabelConcat (`label classes: 10, embedding: 10` in a script), which embeds the batch's
labels and concatenates them to the features.
""")
class EmbeddingSpec extends Specification {

    @Shared NDManager manager = Backend.engine().newBaseManager()

    def cleanupSpec() {
        manager.close()
    }

    def "indices (3) of a 10 × 4 table become (3, 4): row i for index i"() {
        given:
        Network net = Network.builder("e").input(3).embedding(10, 4).build()
        float[] table = net.namedParameters()['0.weight'].value().toFloatArray()

        when: "two samples look up indices 2, 0, 9 and 5, 5, 1"
        float[] y
        try (def scope = manager.newSubManager()) {
            y = net.forward(scope.create([2f, 0f, 9f, 5f, 5f, 1f] as float[], new Shape(2, 3)), new ForwardContext(scope, true)).toFloatArray()
        }

        then:
        net.outputShape() == new Shape(3, 4)
        y as List == [2, 0, 9, 5, 5, 1].collectMany { row -> (0..<4).collect { table[row * 4 + it] } }

        and: "the table is its only parameter: 10 · 4"
        net.parameterCount() == 40

        cleanup:
        net?.close()
    }

    def "the table starts N(0, 1) under the #scheme scheme, as PyTorch's does"() {
        given:
        Backend.seed(51)
        Network net = Network.builder("e").input(1).embedding(1000, 64).init(Initializer.named(scheme)).build()
        float[] t = net.namedParameters()['0.weight'].value().toFloatArray()
        double mean = t.sum() / t.length
        double std = Math.sqrt(t.collect { (it - mean) ** 2 }.sum() / t.length)

        expect: "64,000 draws: mean within 0.02 of 0 and standard deviation within 0.02 of 1"
        Math.abs(mean) < 0.02
        Math.abs(std - 1) < 0.02

        cleanup:
        net?.close()

        where:
        scheme << ['pytorch', 'dcgan']
    }

    def "only the rows looked up get gradient, once per lookup"() {
        given:
        Network net = Network.builder("e").input(3).embedding(5, 2).build()
        def scope = manager.newSubManager()

        when: "indices 1, 3, 3 are looked up and the sum of the output is back-propagated"
        net.zeroGradients()
        try (def rec = Autograd.record()) {
            Autograd.backward(net.forward(scope.create([1f, 3f, 3f] as float[], new Shape(1, 3)), new ForwardContext(scope, true)).sum())
        }
        float[] g = Autograd.gradient(net.namedParameters()['0.weight'].value(), scope).toFloatArray()

        then: "row 1 got 1 per value, row 3 got 2, the others nothing"
        g as List == [0f, 0f, 1f, 1f, 0f, 0f, 2f, 2f, 0f, 0f]

        cleanup:
        scope?.close()
        net?.close()
    }

    def "an index #index is refused: #message"() {
        given:
        Network net = Network.builder("e").input(2).embedding(10, 4).build()

        when:
        try (def scope = manager.newSubManager()) {
            net.forward(scope.create([1f, index as float] as float[], new Shape(1, 2)), new ForwardContext(scope, true))
        }

        then:
        def e = thrown(ShapeException)
        e.message == message

        cleanup:
        net?.close()

        where:
        index || message
        10    || "Embedding(10, 4) has entries 0..9 but was given the index 10"
        -1    || "Embedding(10, 4) has entries 0..9 but was given the index -1"
        2.5   || "Embedding(10, 4) looks up whole-number indices, but was given 2.5"
    }

    def "Embedding is listed as PyTorch lists it"() {
        given:
        Network net = Network.builder("e").input(1).embedding(10, 16).build()

        expect:
        net.body().layers()[0].describe() == "Embedding(10, 16)"
        net.outputShape() == new Shape(1, 16)

        cleanup:
        net?.close()
    }
}
