package dev.ganymede.engine.nn

import ai.djl.Device
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.Title

@Title("ConvolutionKernels: PyTorch's CPU convolution is checked before a layer trusts it")
@Narrative("""
On some CPUs (seen on an AMD EPYC of family 26) the JIT convolution kernels of the oneDNN inside
PyTorch 2.3.1 return wrong numbers without any error: a DCGAN generator's first layer (100
channels, 1×1, to a 4×4 map) comes out off by several units and training diverges to NaN.
Limiting oneDNN to SSE4.1 (`ONEDNN_MAX_CPU_ISA=SSE41` in the environment) selects its
GEMM-based convolution, which is right. The `gan` and `gan-repl` launchers and the Maven build set
it unless it is set already (`ONEDNN_MAX_CPU_ISA=ALL` lifts the limit where the kernels are
right); before the first convolution of a process, `Torch.convolution` (which Conv2d,
ConvTranspose2d and the benchmark's baseline call) compares one convolution with a plain Java
reference and refuses to go on, saying what to set, if it is wrong.
""")
class ConvolutionKernelsSpec extends spock.lang.Specification {

    def "the convolution this build runs with agrees with the Java reference"() {
        when: "the DCGAN-first-layer convolution is computed by PyTorch and by plain Java"
        double error = ConvolutionKernels.measureError()
        println "ONEDNN_MAX_CPU_ISA=${System.getenv('ONEDNN_MAX_CPU_ISA')}: largest error ${error} of the largest value"

        then: "they agree to float precision"
        error < 1e-4

        and: "a convolution layer's check passes"
        def manager = Backend.engine().newBaseManager(Device.cpu())
        ConvolutionKernels.requireCorrect(manager.zeros(new Shape(1)))
        manager.close()
    }

    def "only Torch.convolution calls PyTorch's convolution, so no layer can skip the check"() {
        given: "every compiled class of the engine"
        def classes = CompiledClasses.files()

        when: "their constant pools are searched for DJL's convolution and deconvolution methods"
        def callers = CompiledClasses.references().findAll {
            it.owner.startsWith('ai/djl/') && it.method in ['convolution', 'deconvolution']
        }.collect { "${it.classFile}: ${it.owner}.${it.method}".toString() }.unique()

        then: "only Torch (which checks first) and the check itself call one"
        classes.size() > 100
        callers.sort() == ['dev/ganymede/engine/nn/ConvolutionKernels.class: ai/djl/pytorch/jni/JniUtils.convolution',
                           'dev/ganymede/engine/nn/Torch.class: ai/djl/pytorch/jni/JniUtils.convolution']
    }

    def "an error of #error is #outcome"() {
        when: "the check judges a measured error"
        def message = ConvolutionKernels.verdict(error, setting, 'AMD EPYC')

        then: "it lets the layer go on, or refuses with what to set"
        (message == null) == (outcome == 'accepted')
        message == null || message.contains(expected)

        where:
        error | setting || outcome    | expected
        0     | null    || 'accepted' | null
        5e-5  | 'SSE41' || 'accepted' | null
        0.37  | null    || 'refused'  | "PyTorch's convolution gives wrong numbers on this CPU (AMD EPYC): a test convolution is off by 0.370 of its largest value (oneDNN's JIT kernels; ONEDNN_MAX_CPU_ISA is not set). Start the program with ONEDNN_MAX_CPU_ISA=SSE41 in its environment"
        2.5   | 'ALL'   || 'refused'  | 'ONEDNN_MAX_CPU_ISA is set to ALL). Start the program with ONEDNN_MAX_CPU_ISA=SSE41'
    }
}
