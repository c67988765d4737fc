package dev.ganymede.engine.nn

import ai.djl.Device
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Weight initialisation: PyTorch's defaults, DCGAN's N(0, 0.02), Xavier and Kaiming")
@Narrative("""
Seed scripts behave like the seeds only if layers start where PyTorch starts them: Linear and
convolution weights and biases uniform in ±1/√fan_in (fan_in of a transposed convolution is
out·k·k, as PyTorch computes it), BatchNorm γ = 1 and β = 0. DCGAN's paper draws weights from
N(0, 0.02) and BatchNorm γ from N(1, 0.02); `normal` draws the same weights and leaves γ = 1, as
Keras's RandomNormal(stddev=0.02) and the PacGAN authors' Blocks code do. Each row draws a
128×1024 layer and checks the spread.
""")
class InitializersSpec extends Specification {

    def "#name initialises a #layer weight with spread #description"() {
        given:
        Backend.seed(3)
        def net = Network.builder('n').input(input as long[]).add(make()).init(Initializer.named(name)).build(Device.cpu())
        float[] w = net.namedParameters()['0.weight'].value().toFloatArray()
        double mean = w.sum() / w.length
        double std = Math.sqrt(w.collect { (it - mean) * (it - mean) }.sum() / w.length)
        double max = w.collect { Math.abs(it) }.max()

        expect:
        Math.abs(mean) < 0.1 * expectedStd
        Math.abs(std - expectedStd) / expectedStd < 0.05
        bound == null || max <= bound

        cleanup:
        net?.close()

        where:
        name      | layer             | input        | make                                       || expectedStd                     | bound                 | description
        'pytorch' | 'Linear(1024,128)'| [1024]       | { new Linear(128) }                        || 1 / Math.sqrt(1024) / Math.sqrt(3) | 1 / Math.sqrt(1024) | 'U(±1/√1024)'
        'pytorch' | 'ConvT(64,32,k4)' | [64, 4, 4]   | { new ConvTranspose2d(32, 4) }             || 1 / Math.sqrt(32 * 16) / Math.sqrt(3) | 1 / Math.sqrt(32 * 16) | 'U(±1/√(out·k·k))'
        'dcgan'   | 'Linear(1024,128)'| [1024]       | { new Linear(128) }                        || 0.02                            | null                  | 'N(0, 0.02)'
        'normal'  | 'Linear(1024,128)'| [1024]       | { new Linear(128) }                        || 0.02                            | null                  | 'N(0, 0.02)'
        'xavier'  | 'Linear(1024,128)'| [1024]       | { new Linear(128) }                        || Math.sqrt(6 / 1152d) / Math.sqrt(3) | Math.sqrt(6 / 1152d) | 'U(±√(6/(in+out)))'
        'kaiming' | 'Linear(1024,128)'| [1024]       | { new Linear(128) }                        || Math.sqrt(2 / 1024d)            | null                  | 'N(0, 2/fan_in)'
    }

    def "BatchNorm starts at γ = 1, β = 0 by default and under 'normal', and γ ~ N(1, 0.02) under DCGAN's scheme"() {
        given: "a BatchNorm of 512 channels built with no scheme, with 'normal' and with 'dcgan'"
        Backend.seed(5)
        def plain = Network.builder('a').input(512, 2, 2).batchNorm().build(Device.cpu())
        def normal = Network.builder('c').input(512, 2, 2).batchNorm().init(Initializer.named('normal')).build(Device.cpu())
        def dcgan = Network.builder('b').input(512, 2, 2).batchNorm().init(Initializer.dcgan()).build(Device.cpu())
        float[] g = dcgan.namedParameters()['0.weight'].value().toFloatArray()
        double mean = g.sum() / g.length
        double std = Math.sqrt(g.collect { (it - mean) * (it - mean) }.sum() / g.length)

        expect: "no scheme and 'normal' start every γ at exactly 1 and every β at 0"
        [plain, normal].every { net ->
            net.namedParameters()['0.weight'].value().toFloatArray().every { it == 1f } &&
                    net.namedParameters()['0.bias'].value().toFloatArray().every { it == 0f }
        }

        and: "DCGAN's γ have mean 1 and spread 0.02"
        Math.abs(mean - 1) < 0.005
        Math.abs(std - 0.02) < 0.003

        cleanup:
        plain?.close()
        normal?.close()
        dcgan?.close()
    }

    def "an unknown scheme is refused with the names there are"() {
        when: "a script asks for a scheme by a name no initialiser has"
        Initializer.named('gaussian')

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "unknown initialiser 'gaussian': use pytorch, dcgan, normal, xavier or kaiming"
    }
}
