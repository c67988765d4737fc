package dev.ganymede.engine.nn

import ai.djl.Device
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import static dev.ganymede.engine.support.Arrays64.maxRelativeError
import static dev.ganymede.engine.support.Arrays64.random

@Title("ConvTranspose2d: PyTorch's transposed convolution, built from an ordinary convolution")
@Narrative("""
DJL's PyTorch engine has no transposed convolution, the layer every DCGAN generator upsamples
with. Ganymede computes it as one convolution over the input followed by a pixel shuffle (the
sub-pixel decomposition): no zeros are inserted, so stride 2 costs no fourfold extra arithmetic.
The weight keeps PyTorch's layout (in, out, k, k) and the output size is (n - 1)s - 2p + k + op.

Each row below is checked against a naive Java implementation written straight from the
definition, for the output and for the gradients of the input, the weight and the bias.
""")
class ConvTranspose2dSpec extends Specification {

    @Shared NDManager manager = Backend.engine().newBaseManager()

    def cleanupSpec() {
        manager.close()
    }

    def "ConvT(#cin, #cout, k=#k, s=#s, p=#p, op=#op) turns #h×#w into #outH×#outW exactly as the naive reference does"() {
        given: "a transposed convolution layer with a random weight and bias"
        def layer = new ConvTranspose2d(cout, k).stride(s).padding(p).outputPadding(op)
        def net = Network.builder("convT").input(cin, h, w).add(layer).build(Device.cpu())
        float[] weight = random(cin * cout * k * k, 11, 0.3)
        float[] bias = random(cout, 12)
        net.namedParameters()["0.weight"].value().set(weight)
        net.namedParameters()["0.bias"].value().set(bias)

        and: "a random batch of two inputs and a random upstream gradient"
        int batch = 2
        float[] xs = random(batch * cin * h * w, 13)
        def reference = new NaiveConvTranspose(batch, cin, cout, h, w, k, s, p, op)
        float[] upstream = random(batch * cout * reference.oh * reference.ow, 14)

        when: "the engine runs forward and back-propagates sum(y · upstream)"
        def scope = manager.newSubManager()
        def x = scope.create(xs, new Shape(batch, cin, h, w))
        x.setRequiresGradient(true)
        net.zeroGradients()
        def y
        try (def rec = Autograd.record()) {
            y = net.forward(x, new ForwardContext(scope, true))
            Autograd.backward(y.mul(scope.create(upstream, y.shape)).sum())
        }

        then: "the output has PyTorch's size (n - 1)s - 2p + k + op"
        y.shape == new Shape(batch, cout, outH, outW)

        and: "every output value agrees with the reference"
        maxRelativeError(y.toFloatArray(), reference.forward(xs, weight, bias)) < 1e-4

        and: "the gradients of the input, the weight and the bias agree too"
        def expected = reference.backward(xs, weight, upstream)
        maxRelativeError(Autograd.gradient(x, scope).toFloatArray(), expected[0]) < 1e-4
        maxRelativeError(Autograd.gradient(net.namedParameters()["0.weight"].value(), scope).toFloatArray(), expected[1]) < 1e-4
        maxRelativeError(Autograd.gradient(net.namedParameters()["0.bias"].value(), scope).toFloatArray(), expected[2]) < 1e-4

        cleanup:
        scope?.close()
        net?.close()

        where: "the seed layers come first, then strides, paddings and output paddings around them"
        cin | cout | h | w | k | s | p | op || outH | outW
        100 | 8    | 1 | 1 | 4 | 1 | 0 | 0  || 4    | 4     // seed 002 first layer, 1 -> 4
        6   | 4    | 4 | 4 | 3 | 2 | 1 | 0  || 7    | 7     // seed 002, 4 -> 7
        5   | 3    | 7 | 7 | 4 | 2 | 1 | 0  || 14   | 14    // seed 002 / 004, doubling
        4   | 3    | 4 | 4 | 3 | 2 | 1 | 1  || 8    | 8     // CycleGAN's doubling with output padding
        3   | 2    | 5 | 3 | 3 | 1 | 1 | 0  || 5    | 3     // same-size, non-square input
        3   | 2    | 3 | 4 | 5 | 3 | 2 | 2  || 9    | 12    // stride 3, kernel not a multiple of it
        2   | 3    | 4 | 4 | 2 | 2 | 0 | 0  || 8    | 8     // kernel = stride: no overlap
        2   | 2    | 3 | 3 | 4 | 2 | 0 | 1  || 9    | 9     // no padding, output padding 1
        2   | 2    | 6 | 6 | 3 | 1 | 3 | 0  || 2    | 2     // padding larger than kernel - 1 crops
        3   | 4    | 2 | 2 | 7 | 4 | 3 | 3  || 8    | 8     // stride 4
        1   | 1    | 1 | 1 | 1 | 1 | 0 | 0  || 1    | 1     // the 1x1 identity-like case
    }

    def "#description is refused with a message naming the layer and the shapes"() {
        when:
        Network.builder("generator").input(input as long[]).add(layer).build(Device.cpu())

        then:
        def e = thrown(ShapeException)
        e.message.contains(message)

        where:
        description                  | input       | layer                                                  || message
        "a latent vector"            | [100]       | new ConvTranspose2d(64, 4)                             || "expects (channels, height, width); for a latent vector add `reshape z, 1, 1` first"
        "output padding ≥ stride"    | [8, 4, 4]   | new ConvTranspose2d(4, 3).stride(2).outputPadding(2)   || "output_padding (2) must be smaller than its stride (2)"
        "an empty output"            | [8, 1, 1]   | new ConvTranspose2d(4, 2).padding(3)                   || "would produce an empty"
    }
}
