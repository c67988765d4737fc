package dev.ganymede.dsl

import ai.djl.Device
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.nn.Conv2d
import dev.ganymede.engine.nn.SpectralNorm
import dev.ganymede.engine.output.CsvLog
import spock.lang.Narrative
import spock.lang.See
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files

@Title("The stabiliser layers in scripts: spectralNorm, maxout, pack, minibatchDiscrimination, minibatchStd")
@Narrative("""
The layers that fight instability and mode collapse are words of the discriminator block:
`spectralNorm: true` on linear, conv, convT, maxout, minibatchDiscrimination and a learned label
embedding (SNGAN), `maxout 200, pieces: 5` (the PacGAN/VEEGAN mixture discriminators), `pack 2`
(PacGAN), `minibatchDiscrimination kernels: 50, dims: 5` (Salimans et al.) and `minibatchStd`
(ProGAN).
Scripts using them build networks with the parameter counts of the seeds and papers, train, and
save what spectral normalisation keeps (its vectors u and v) with the discriminator. Mistakes are
reported at the line that made them.
""")
@See("/work/shared/seed-checklist.md sections 1.11, 1.13 and 1.14")
class StabiliserLayersSpec extends Specification {

    def runner = new ScriptRunner()

    /** Seed 001's SNGAN_Discriminator (S1 L2051-2079), behind a generator of 3×64×64 images. */
    static final String SNGAN = '''\
latent 100
generator {
    linear 3 * 64 * 64
    tanh
    reshape 3, 64, 64
}
discriminator {
    conv 64, kernel: 4, stride: 2, padding: 1, spectralNorm: true
    leakyRelu 0.2
    conv 128, kernel: 4, stride: 2, padding: 1, spectralNorm: true
    leakyRelu 0.2
    conv 256, kernel: 4, stride: 2, padding: 1, spectralNorm: true
    leakyRelu 0.2
    conv 512, kernel: 4, stride: 2, padding: 1, spectralNorm: true
    leakyRelu 0.2
    conv 1, kernel: 4
    sigmoid
}
'''

    /** Seed 001's PacGAN (S1 L2204-2281): the MLP generator and PacDiscriminator(pack_size=2), on the built-in digits. */
    static final String PACGAN = '''\
data 'digits'
latent 100
generator {
    linear 256
    relu
    linear 512
    relu
    linear 784
    tanh
    reshape 1, 28, 28
}
discriminator {
    pack 2
    flatten
    linear 512
    leakyRelu 0.2
    linear 256
    leakyRelu 0.2
    linear 1
    sigmoid
}
train {
    batch 32
    steps 4
}
'''

    def "the seed's SNGAN discriminator, written with spectralNorm: true, has 2,764,737 parameters and ends in (1, 1, 1)"() {
        given: "the script, built"
        def session = new GanSession(runner.evaluate(SNGAN, 'sngan.gan'), SNGAN, Device.cpu())
        def d = session.gan.discriminator()
        println d.summary()
        def convs = d.body().layers().findAll { it instanceof Conv2d }

        expect: "the parameters PyTorch counts for the seed's module"
        d.parameterCount() == 2_764_737
        d.outputShape() == new Shape(1, 1, 1)

        and: "the four convolutions marked spectralNorm: true are normalised, the last one is not"
        convs.collect { it.reparametrizations().containsKey('weight') } == [true, true, true, true, false]

        and: "the listing shows them as PyTorch shows parametrized modules"
        d.toString().contains('''\
  (0): ParametrizedConv2d(
    3, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1)
    (parametrizations): ModuleDict(
      (weight): ParametrizationList(
        (0): _SpectralNorm()''')

        cleanup:
        session?.close()
    }

    def "#network builds with #parameters discriminator parameters, #normalised of its layers spectrally normalised"() {
        given:
        def source = 'data \'ring\'\nlatent 2\ngenerator {\n    linear 400\n    relu\n    linear 2\n}\ndiscriminator {\n' + body + '}\n'
        def session = new GanSession(runner.evaluate(source, 'toy.gan'), source, Device.cpu())
        println session.gan.discriminator().summary()

        expect:
        session.gan.discriminator().parameterCount() == parameters
        session.gan.discriminator().outputShape() == new Shape(1)
        session.gan.discriminator().body().layers().count { !it.reparametrizations().isEmpty() } == normalised

        cleanup:
        session?.close()

        where: """maxout layers have (in + 1) · out · pieces parameters; minibatch discrimination in · kernels · dims; spectral
        norm adds none (its u and v are buffers)"""
        network                                          | body                                                                                                                                                         || parameters                                   | normalised
        "the PacGAN paper's mixture D: 3 maxout 200 × 5" | '    maxout 200, pieces: 5\n' * 3 + '    linear 1\n    sigmoid\n'                                                                                            || 3 * 1000 + 201 * 1000 * 2 + 201              | 0
        "its PacGAN2 version, pack 2 first"              | '    pack 2\n' + '    maxout 200, pieces: 5\n' * 3 + '    linear 1\n    sigmoid\n'                                                                           || 5 * 1000 + 201 * 1000 * 2 + 201              | 0
        "spectrally normalised maxout"                   | '    maxout 200, pieces: 5, spectralNorm: true\n    linear 1, spectralNorm: true\n'                                                                          || 3 * 1000 + 201                               | 2
        "minibatch discrimination and minibatch std"     | '    linear 64\n    leakyRelu\n    minibatchDiscrimination kernels: 50, dims: 5\n    minibatchStd\n    linear 1\n'                                           || (2 * 64 + 64) + 64 * 250 + (64 + 50 + 1 + 1) | 0
        "spectrally normalised minibatch discrimination" | '    linear 64, spectralNorm: true\n    leakyRelu\n    minibatchDiscrimination kernels: 50, dims: 5, spectralNorm: true\n    linear 1, spectralNorm: true\n' || (2 * 64 + 64) + 64 * 250 + (64 + 50 + 1)     | 3
    }

    def "the seed's PacGAN script builds a 934,913-parameter discriminator and trains, each batch of 32 judged as 16 packs"() {
        given: "the script, with its run folder"
        def out = Files.createTempDirectory('ganymede-pacgan')
        def session = new GanSession(runner.evaluate(PACGAN, 'pacgan.gan'), PACGAN, Device.cpu())
        session.useRunFolder(out)

        expect: "the generator and discriminator of seed 001's PacGAN"
        session.gan.generator().parameterCount() == 559_632
        session.gan.discriminator().parameterCount() == 934_913

        when: "it trains its 4 steps"
        def finished = session.train()
        def records = CsvLog.read(out.resolve('metrics.csv'))

        then: "every step has finite losses"
        finished
        records.size() == 4
        records.every { Double.isFinite(it.lossD()) && Double.isFinite(it.lossG()) }

        when: "the trained discriminator judges a batch of 32 blank images, standing in for real ones, and a batch of 32 generated digits"
        def d = session.gan.discriminator()
        def scope = d.manager().newSubManager()
        def context = new dev.ganymede.engine.nn.ForwardContext(scope, false, null)
        def real = scope.create(new float[32 * 784], new ai.djl.ndarray.types.Shape(32, 1, 28, 28))
        def fake = session.gan.generator().forward(session.gan.latent().sample(scope, 32), context)

        then: "each gets 16 verdicts, one per pack of 2 samples: whatever the batch holds, it is packed the same way"
        d.forward(real, context).shape == new ai.djl.ndarray.types.Shape(16, 1)
        d.forward(fake, context).shape == new ai.djl.ndarray.types.Shape(16, 1)

        cleanup:
        scope?.close()
        session?.close()
    }

    def "a spectrally normalised discriminator trains, and its u and v are saved with it and loaded back"() {
        given: "a small SNGAN-style discriminator on the built-in digits"
        def source = '''\
data 'digits'
latent 16
generator {
    linear 784
    tanh
    reshape 1, 28, 28
}
discriminator {
    conv 8, kernel: 4, stride: 2, padding: 1, spectralNorm: true
    leakyRelu 0.2
    flatten
    linear 1, spectralNorm: true
}
loss 'bce-logits'
train {
    batch 16
    steps 3
}
'''
        def out = Files.createTempDirectory('ganymede-sngan')
        def session = new GanSession(runner.evaluate(source, 'sn.gan'), source, Device.cpu())
        def sn = (SpectralNorm) session.gan.discriminator().body().layers()[0].reparametrizations()['weight']
        float[] before = sn.u().value().toFloatArray()
        session.useRunFolder(out)

        when: "it trains 3 steps, which saves the networks, and a fresh session loads the run"
        session.train()
        float[] trained = sn.u().value().toFloatArray()
        def again = new GanSession(runner.evaluate(source.replace("latent 16", "seed 2\nlatent 16"), 'sn.gan'), source, Device.cpu())
        def snAgain = (SpectralNorm) again.gan.discriminator().body().layers()[0].reparametrizations()['weight']
        boolean startedElsewhere = snAgain.u().value().toFloatArray() != trained
        again.loadRun(out)

        then: "training moved u (one power-iteration step per discriminator pass)"
        trained != before

        and: "the loaded discriminator has the trained u and v"
        startedElsewhere
        snAgain.u().value().toFloatArray() == trained
        snAgain.v().value().toFloatArray() == sn.v().value().toFloatArray()

        cleanup:
        session?.close()
        again?.close()
    }

    def "a conditional discriminator's learned label embedding can be spectrally normalised too, as BigGAN's is"() {
        given: "a small conditional GAN on the built-in digits whose discriminator normalises its 10 × 10 class table"
        def source = '''\
data 'digits'
latent 16
generator {
    label classes: 10
    linear 784
    tanh
    reshape 1, 28, 28
}
discriminator {
    flatten
    label classes: 10, embedding: 10, spectralNorm: true
    linear 1, spectralNorm: true
}
loss 'bce-logits'
train {
    batch 16
    steps 3
}
'''
        def out = Files.createTempDirectory('ganymede-sn-label')
        def session = new GanSession(runner.evaluate(source, 'sn-label.gan'), source, Device.cpu())
        def d = session.gan.discriminator()
        println d.summary()
        def sn = (SpectralNorm) d.body().layers()[1].reparametrizations()['weight']
        float[] before = sn.u().value().toFloatArray()
        session.useRunFolder(out)

        expect: "the table is 10 × 10, so u has one entry per class and v one per embedding value; D has 100 + 795 parameters"
        sn.u().shape() == new ai.djl.ndarray.types.Shape(10)
        sn.v().shape() == new ai.djl.ndarray.types.Shape(10)
        d.parameterCount() == 10 * 10 + (784 + 10 + 1)
        d.summary().rows()[1].layer == "1 Embedding + spectral norm"

        when: "it trains its 3 steps"
        def finished = session.train()
        def records = CsvLog.read(out.resolve('metrics.csv'))

        then: "every step has finite losses, and training moved u (one power-iteration step per discriminator pass)"
        finished
        records.size() == 3
        records.every { Double.isFinite(it.lossD()) && Double.isFinite(it.lossG()) }
        sn.u().value().toFloatArray() != before

        cleanup:
        session?.close()
    }

    def "#mistake is reported at line #line, column #column: #message"() {
        when:
        def definition = runner.evaluate(source, 'toy.gan')
        new GanSession(definition, source, Device.cpu()).close()

        then:
        def e = thrown(ScriptException)
        with(e.errors[0]) {
            it.message == message
            it.line == line
            it.column == column
        }

        where:
        mistake                        | source                                                                || line | column | message
        "maxout without pieces"        | inD('    maxout 200\n')                                                  || 8    | 5      | "maxout needs the number of pieces, e.g. maxout 200, pieces: 5"
        "maxout of one piece"          | inD('    maxout 200, pieces: 1\n')                                       || 8    | 5      | "Maxout needs at least 2 pieces per unit, got 1 (a maxout of one piece is a linear layer)"
        "a misspelt maxout setting"    | inD('    maxout 200, piece: 5\n')                                        || 8    | 5      | "maxout does not take 'piece:' (did you mean pieces?); it takes pieces:, bias:, spectralNorm:"
        "a misspelt spectralNorm"      | inD('    linear 16, spectralNrom: true\n')                               || 8    | 5      | "linear does not take 'spectralNrom:' (did you mean spectralNorm?); it takes bias:, spectralNorm:"
        "spectralNorm not a boolean"   | inD("    conv 8, kernel: 4, spectralNorm: 'yes'\n")                     || 8    | 5      | "conv spectralNorm: must be true or false, got 'yes'"
        "spectralNorm on a one-hot label" | VALID.replace('    linear 16\n    relu', '    label classes: 10\n    linear 16\n    relu').replace('discriminator {\n', 'discriminator {\n    label classes: 10, spectralNorm: true\n') || 9 | 5 | "label spectralNorm: needs a learned embedding, e.g. label classes: 10, embedding: 10, spectralNorm: true; a one-hot label has no weight to normalise"
        "pack 0"                       | inD('    pack 0\n')                                                      || 8    | 5      | "pack needs a pack size of at least 1 (PacGAN uses 2 to 4), got 0"
        "pack given a word"            | inD("    pack 'two'\n")                                                 || 8    | 5      | "'pack' cannot take (String) here; write it like: pack 2"
        "pack in the generator"        | VALID.replace('    linear 16\n    relu', '    pack 2\n    linear 16\n    relu') || 3 | 5  | "pack belongs at the discriminator's input (PacGAN packs the samples the discriminator judges), not in the generator"
        "pack with a label"            | VALID.replace('    linear 16\n    relu', '    label classes: 10\n    linear 16\n    relu').replace('discriminator {\n', 'discriminator {\n    pack 2\n    label classes: 10\n') || 10 | 5 | "pack cannot be combined with a class label: PacGAN packing of a conditional discriminator is not supported"
        "minibatch discrimination without kernels" | inD('    minibatchDiscrimination dims: 5\n')                  || 8    | 5      | "minibatchDiscrimination needs the number of kernels, e.g. minibatchDiscrimination kernels: 50, dims: 5"
        "maxout on an image"           | VALID.replace('linear 2\n}', 'linear 784\n    reshape 1, 28, 28\n}').replace('discriminator {\n', 'discriminator {\n    maxout 200, pieces: 5\n    flatten\n') || 9 | 5 | "in discriminator: layer 0 Maxout (toy.gan:9) cannot follow the input (1, 28, 28): Maxout expects a vector of features (add `flatten` before it), but its input is (1, 28, 28)"
    }

    static final String VALID = '''\
latent 8
generator {
    linear 16
    relu
    linear 2
}
discriminator {
    linear 16
    leakyRelu 0.2
    linear 1
}
'''

    /** The valid script with {@code line} as the discriminator's first line (line 8). */
    static String inD(String line) {
        VALID.replace('discriminator {\n', 'discriminator {\n' + line)
    }
}
