package dev.ganymede.engine.nn

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.See
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("PacGAN packing: m consecutive samples become one input of the discriminator")
@Narrative("""
PacGAN (Lin et al., 2018) lets the discriminator judge m samples at once, all real or all fake,
which makes a generator that covers few modes easy to catch. The Pack layer sits at the
discriminator's input and concatenates m consecutive samples along the channel (or feature) axis:
per sample (C, ...) becomes (m·C, ...), and a batch of N becomes N / m packs. For flat samples this
is exactly the paper code's x.view(-1, m * 784).

The seed's PacGAN drew batch_size // pack_size real samples and packed them, so the discriminator
saw half as many real packs as fake ones (seed checklist section 6 item 8). A layer that packs
whatever batch it is given packs real and fake batches alike; the batch must be a multiple of m.
""")
@See("/work/shared/seed-checklist.md sections 1.13 and 6 item 8")
class PackSpec extends Specification {

    @Shared NDManager manager = Backend.engine().newBaseManager()

    def cleanupSpec() {
        manager.close()
    }

    /** The values 0, 1, 2, ... in the given shape: each value tells where it came from. */
    static float[] counting(long n) {
        (0..<n).collect { it as float } as float[]
    }

    def "pack #m turns per-sample #input into #output, and a batch of #batch into #packs packs"() {
        given:
        Network net = Network.builder("d").input(input as long[]).pack(m).build()

        expect: "shape inference multiplies the first axis by m"
        net.outputShape() == new Shape(output as long[])

        and: "the summary shows the packed per-sample shape"
        net.summary().rows()[0].outputShape == Shapes.withBatch(new Shape(output as long[]))

        when: "a batch runs through it"
        def inShape = Shapes.batched(batch, new Shape(input as long[]))
        float[] values = counting(inShape.size())
        float[] packed
        Shape outShape
        try (def scope = manager.newSubManager()) {
            def y = net.forward(scope.create(values, inShape), new ForwardContext(scope, true))
            packed = y.toFloatArray()
            outShape = y.shape
        }

        then: "the batch shrinks by m"
        outShape == Shapes.batched(packs, new Shape(output as long[]))

        and: "element (p, k·C + c, ...) is channel c of sample p·m + k, which lies in memory where it was: the values come out in input order"
        packed == values

        cleanup:
        net?.close()

        where:
        m | input        | batch || output       | packs
        2 | [784]        | 6     || [1568]       | 3
        4 | [2]          | 8     || [8]          | 2
        2 | [1, 28, 28]  | 4     || [2, 28, 28]  | 2
        3 | [3, 4, 4]    | 6     || [9, 4, 4]    | 2
        1 | [5]          | 3     || [5]          | 3
    }

    def "packing flat samples is the paper's x.view(-1, m * 784): pack p is sample 2p followed by sample 2p + 1"() {
        given: "4 samples of 784 values, sample s filled with the value s"
        Network net = Network.builder("d").input(784).pack(2).build()
        float[] xs = (0..<4).collectMany { s -> [s as float] * 784 } as float[]

        when:
        float[] y
        try (def scope = manager.newSubManager()) {
            y = net.forward(scope.create(xs, new Shape(4, 784)), new ForwardContext(scope, true)).toFloatArray()
        }

        then: "the first pack is 784 values of sample 0 then 784 of sample 1; the second, samples 2 and 3"
        y[0] == 0f && y[783] == 0f && y[784] == 1f && y[1567] == 1f
        y[1568] == 2f && y[2351] == 2f && y[2352] == 3f && y[3135] == 3f

        cleanup:
        net?.close()
    }

    def "a batch that is not a multiple of m is refused, saying why and what to do"() {
        given:
        Network net = Network.builder("d").input(784).pack(2).linear(1).build()

        when: "a batch of 5 arrives"
        try (def scope = manager.newSubManager()) {
            net.forward(scope.zeros(new Shape(5, 784)), new ForwardContext(scope, true))
        }

        then:
        def e = thrown(ShapeException)
        e.message == "Pack(pack_size=2) packs 2 samples into one, so it needs a batch that is a multiple of 2, but the batch" +
                " has 5 samples: use a batch size divisible by 2 (the data loader drops the last, incomplete batch)"

        cleanup:
        net?.close()
    }

    def "packing and class-label conditioning are refused together: #when"() {
        when:
        action()

        then:
        def e = thrown(ShapeException)
        e.message.contains(message)

        where:
        when                                 | action                                                                   || message
        "in one network, when it is built"   | { Network.builder("D").input(784).pack(2).oneHotLabel(10).linear(1).build() } || "D: Pack(pack_size=2) cannot be combined with the class label OneHot: PacGAN packing of a conditional network is not supported"
        "when a batch arrives with labels"   | { forwardWithLabels() }                                                 || "Pack(pack_size=2) cannot take a batch with class labels"
    }

    static void forwardWithLabels() {
        Network net = Network.builder("D").input(4).pack(2).linear(1).build()
        try (def scope = Backend.engine().newBaseManager()) {
            net.forward(scope.zeros(new Shape(2, 4)), new ForwardContext(scope, true, scope.create([1L, 2L] as long[])))
        } finally {
            net.close()
        }
    }

    def "pack #m is refused"() {
        when:
        new Pack(m)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "pack needs a pack size of at least 1 (PacGAN uses 2 to 4), got ${m}"

        where:
        m << [0, -2]
    }

    def "a packed layer is listed with its pack size"() {
        given:
        Network net = SeedNetworks.pacDiscriminator()

        expect:
        net.body().layers()[0].describe() == "Pack(pack_size=2)"
        net.summary().rows()[0].layer == "0 Pack"
        net.summary().rows()[0].outputShape == "[-1, 1568]"

        cleanup:
        net?.close()
    }
}
