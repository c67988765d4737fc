package dev.ganymede.engine.nn

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import spock.lang.Narrative
import spock.lang.See
import spock.lang.Specification
import spock.lang.Title

@Title("Every network of the seeds, built with NetworkBuilder, has the seed's shapes and parameter count")
@Narrative("""
The seed documents define their GANs in PyTorch. Ganymede declares the same networks with its
NetworkBuilder, naming only what each layer produces: input channels and features are inferred
from the input shape. If the engine is right, each network ends in the output shape the seed
prints or implies, and counts exactly the trainable parameters PyTorch counts with
sum(p.numel() for p in model.parameters()) (the golden values of the seed checklist, section 5.3,
computed by building the seeds' own code in PyTorch).

The output shape is checked twice: from shape inference when the network is built, and from a
real forward pass of a batch of two (conditional networks get the labels 3 and 7).

One deliberate difference: seed 001's CGAN writes BatchNorm1d(256, 0.8), whose second argument
is eps, not momentum (a known slip of PyTorch GAN code, checklist section 6 item 4). Ganymede
builds it with PyTorch's default eps = 1e-5. Eps is not a parameter, so the count is the same
either way; the last feature shows it.
""")
@See("/work/shared/seed-checklist.md sections 1.1, 1.2, 1.4, 1.5, 1.11, 1.13 and 5.3")
class SeedNetworksSpec extends Specification {

    def "#network: output #outputShape per sample, #parameters parameters"() {
        given: "the seed network declared with the engine's builder"
        Network net = builtBy()

        expect: "shape inference gives the seed's output shape"
        net.outputShape() == new Shape(outputShape as long[])

        and: "it has exactly the parameters PyTorch counts"
        net.parameterCount() == parameters

        when: "a batch of two runs through it in evaluation mode"
        Shape out
        try (NDManager scope = Backend.engine().newBaseManager()) {
            def x = scope.randomNormal(0f, 1f, Shapes.batched(2, net.inputShape()), DataType.FLOAT32)
            def labels = conditional ? scope.create([3L, 7L] as long[]) : null
            out = net.forward(x, new ForwardContext(scope, false, labels)).shape
        }

        then: "the batch comes out with the same per-sample shape"
        out == Shapes.batched(2, new Shape(outputShape as long[]))

        cleanup:
        net?.close()

        where: "the networks of seeds 001-004; MLPs take flattened 28x28 images (784 values)"
        network                              | builtBy                                   | conditional || outputShape  | parameters
        "S1 1D toy G, architecture A"        | SeedNetworks.&toyGeneratorA               | false       || [1]          | 385
        "S1 1D toy D"                        | SeedNetworks.&toyDiscriminator            | false       || [1]          | 385
        "S1 1D toy G, architecture B"        | SeedNetworks.&toyGeneratorB               | false       || [1]          | 13_057
        "S1 MLP G 100-128-256-784"           | SeedNetworks.&mlpGenerator128             | false       || [784]        | 247_440
        "S1 MLP D 784-256-128-1"             | SeedNetworks.&mlpDiscriminator256         | false       || [1]          | 233_985
        "S1 MLP G 100-256-512-784"           | SeedNetworks.&mlpGenerator256             | false       || [784]        | 559_632
        "S1 MLP D 784-512-256-1"             | SeedNetworks.&mlpDiscriminator512         | false       || [1]          | 533_505
        "S3 vanilla G"                       | SeedNetworks.&vanillaGenerator            | false       || [784]        | 1_486_352
        "S3 vanilla D"                       | SeedNetworks.&vanillaDiscriminator        | false       || [1]          | 1_460_225
        "S1 CGAN G, Embedding(10, 10), BN1d" | SeedNetworks.&s1CganGenerator             | true        || [1, 28, 28]  | 582_644
        "S1 CGAN D, Embedding(10, 10)"       | SeedNetworks.&s1CganDiscriminator         | true        || [1]          | 538_725
        "S3 CGAN G, one-hot"                 | SeedNetworks.&s3CganGenerator             | true        || [784]        | 1_488_912
        "S3 CGAN D, one-hot, Dropout(0.3)"   | SeedNetworks.&s3CganDiscriminator         | true        || [1]          | 538_625
        "S2 DCGAN G (notebook)"              | SeedNetworks.&dcgan002Generator           | false       || [1, 28, 28]  | 312_256
        "S2 DCGAN D (notebook)"              | SeedNetworks.&dcgan002Discriminator       | false       || [1]          | 109_440
        "S4 compact DCGAN G"                 | SeedNetworks.&dcgan004Generator           | false       || [1, 28, 28]  | 1_793_536
        "S4 compact DCGAN D (logit)"         | SeedNetworks.&dcgan004Discriminator       | false       || [1]          | 659_457
        "S1 SNGAN D, 4 spectral-norm convs"  | SeedNetworks.&snganDiscriminator          | false       || [1, 1, 1]    | 2_764_737
    }

    def "SNGAN's discriminator keeps its 2,764,737 parameters; spectral norm adds only the buffers u and v"() {
        given: "seed 001's SNGAN discriminator: four spectrally normalised convolutions and a plain last one"
        Network d = SeedNetworks.snganDiscriminator()
        println d.summary()
        def convs = d.body().layers().findAll { it instanceof Conv2d }

        expect: "the first four convolutions are normalised, the last one is not, as in the seed"
        convs*.reparametrizations()*.keySet()*.toList() == [['weight']] * 4 + [[]]

        and: "each normalised (out, in, 4, 4) weight keeps a u of out values and a v of in·16 values, which are buffers, not parameters"
        d.parameterCount() == 2_764_737
        d.summary().bufferValues() == [[64, 3], [128, 64], [256, 128], [512, 256]].sum { out, cin -> out + cin * 16 }

        cleanup:
        d?.close()
    }

    def "PacGAN's discriminator has 934,913 parameters and turns a batch of 4 samples into 2 verdicts"() {
        given: "seed 001's PacDiscriminator(pack_size=2) on 784-value samples"
        Network d = SeedNetworks.pacDiscriminator()
        println d.summary()

        expect: "it reads packs of 2 × 784 = 1,568 values: the first Linear is (1568, 512)"
        d.body().layers()[1].describe() == "Linear(in_features=1568, out_features=512, bias=True)"

        and: "it has the parameters PyTorch counts for the seed's module"
        d.parameterCount() == 934_913

        when: "a batch of 4 samples runs through it"
        Shape out
        try (NDManager scope = Backend.engine().newBaseManager()) {
            out = d.forward(scope.randomNormal(0f, 1f, new Shape(4, 784), DataType.FLOAT32), new ForwardContext(scope, false)).shape
        }

        then: "one verdict per pack of 2"
        out == new Shape(2, 1)

        cleanup:
        d?.close()
    }

    def "the notebook's generator grows the noise 1 -> 4 -> 7 -> 14 -> 28 with 128, 64, 32 and 1 channels"() {
        given: "seed 002's generator, reading noise of shape (100, 1, 1)"
        Network g = SeedNetworks.dcgan002Generator()
        println g.summary()

        when: "the output shapes of its transposed convolutions are read from the built layers"
        def shapes = g.body().layers().findAll { it instanceof ConvTranspose2d }*.outputShape()

        then: "each one matches the comment beside it in the notebook"
        g.inputShape() == new Shape(100, 1, 1)
        shapes == [new Shape(128, 4, 4), new Shape(64, 7, 7), new Shape(32, 14, 14), new Shape(1, 28, 28)]

        and: "BatchNorm, LeakyReLU and Tanh keep the shape of the layer before them"
        g.body().layers().collect { it.outputShape().get(1) } == [4, 4, 4, 7, 7, 7, 14, 14, 14, 28, 28]

        cleanup:
        g?.close()
    }

    def "the notebook's discriminator shrinks the image 28 -> 14 -> 7 -> 4 -> 1 with 32, 64, 128 and 1 channels"() {
        given: "seed 002's discriminator on (1, 28, 28) images"
        Network d = SeedNetworks.dcgan002DiscriminatorBody()
        println d.summary()

        when: "the output shapes of its convolutions are read from the built layers"
        def shapes = d.body().layers().findAll { it instanceof Conv2d }*.outputShape()

        then: "each one matches the comment beside it in the notebook"
        shapes == [new Shape(32, 14, 14), new Shape(64, 7, 7), new Shape(128, 4, 4), new Shape(1, 1, 1)]

        and: "the last layer, the sigmoid, leaves one probability per image"
        d.outputShape() == new Shape(1, 1, 1)

        cleanup:
        d?.close()
    }

    def "the S1 CGAN generator with BatchNorm1d eps = #eps has #count parameters: eps is not a parameter"() {
        given: "the S1 CGAN generator with eps = #eps in both of its BatchNorm1d layers"
        Network g = Network.builder("S1 CGAN G, eps ${eps}").input(100).embeddedLabel(10, 10)
                .linear(128).relu()
                .linear(256).add(new BatchNorm().eps(eps)).relu()
                .linear(512).add(new BatchNorm().eps(eps)).relu()
                .linear(784).tanh().reshape(1, 28, 28).build()

        expect: "eps is a constant of the formula, not a parameter: the count does not move"
        g.parameterCount() == count

        cleanup:
        g?.close()

        where:
        eps  || count
        1e-5 || 582_644
        0.8  || 582_644
    }
}
