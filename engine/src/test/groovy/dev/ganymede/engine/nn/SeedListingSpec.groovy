package dev.ganymede.engine.nn

import spock.lang.Narrative
import spock.lang.See
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("A network prints itself as PyTorch prints the same module")
@Narrative("""
Seed 002, the DCGAN notebook, runs print(gen_model) and print(disc_model) and shows PyTorch's
module listing: one line per layer with its settings, e.g.
  (0): ConvTranspose2d(100, 128, kernel_size=(4, 4), stride=(1, 1), bias=False)
Someone moving from PyTorch reads a network this way, so Network.toString() and each layer's
describe() produce the same text. The expected text below is copied from the notebook's output
(seed 002 lines 231-260), not from the engine.

The generator is a bare nn.Sequential, so its listing is compared whole. The discriminator is a
module holding a Sequential named "network"; the engine has no named sub-modules, so its
listing is nested into "Discriminator(  (network): ...)" here, indented the way PyTorch indents
a child module, and compared with the notebook's text. Each line is its own row, so a failure
names exactly the line that differs.

The last feature checks single layers whose listings the seeds' networks use (PyTorch's
extra_repr formats, e.g. floats as Python prints them: 1e-05, 0.8).
""")
@See("/work/shared/seed-checklist.md section 1.5, S2 printed module reprs")
class SeedListingSpec extends Specification {

    /** print(gen_model), seed 002 lines 231-243. */
    static final String GENERATOR = '''\
Sequential(
  (0): ConvTranspose2d(100, 128, kernel_size=(4, 4), stride=(1, 1), bias=False)
  (1): BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (2): LeakyReLU(negative_slope=0.2)
  (3): ConvTranspose2d(128, 64, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
  (4): BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (5): LeakyReLU(negative_slope=0.2)
  (6): ConvTranspose2d(64, 32, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)
  (7): BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (8): LeakyReLU(negative_slope=0.2)
  (9): ConvTranspose2d(32, 1, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)
  (10): Tanh()
)'''

    /** print(disc_model), seed 002 lines 244-260. */
    static final String DISCRIMINATOR = '''\
Discriminator(
  (network): Sequential(
    (0): Conv2d(1, 32, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)
    (1): LeakyReLU(negative_slope=0.2)
    (2): Dropout(p=0.2, inplace=False)
    (3): Conv2d(32, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)
    (4): BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    (5): LeakyReLU(negative_slope=0.2)
    (6): Dropout(p=0.2, inplace=False)
    (7): Conv2d(64, 128, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
    (8): BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
    (9): LeakyReLU(negative_slope=0.2)
    (10): Dropout(p=0.2, inplace=False)
    (11): Conv2d(128, 1, kernel_size=(4, 4), stride=(1, 1), bias=False)
    (12): Sigmoid()
  )
)'''

    @Shared Network generator = SeedNetworks.dcgan002Generator()
    @Shared Network discriminator = SeedNetworks.dcgan002DiscriminatorBody()

    def cleanupSpec() {
        generator?.close()
        discriminator?.close()
    }

    /** Nests a listing as PyTorch nests a named child module inside its parent. */
    static String asChild(String parent, String childName, String childListing) {
        "${parent}(\n  (${childName}): ${childListing.replace('\n', '\n  ')}\n)"
    }

    def "the generator's listing has the notebook's #lines lines, wrapped in Sequential( ... )"() {
        given: "the engine's listing of seed 002's generator"
        def listing = generator.toString()
        println listing

        expect: "as many lines as PyTorch printed, opening and closing the same way"
        listing.readLines().size() == lines
        listing.startsWith("Sequential(\n  (0): ")
        listing.endsWith("\n  (10): Tanh()\n)")

        where:
        lines = GENERATOR.readLines().size()
    }

    def "generator line #n reads as PyTorch prints it: #pytorch"() {
        expect:
        engine == pytorch

        where:
        n << (0..<GENERATOR.readLines().size())
        pytorch = GENERATOR.readLines()[n]
        engine = generator.toString().readLines()[n]
    }

    def "discriminator line #n reads as PyTorch prints it: #pytorch"() {
        expect:
        engine == pytorch

        where:
        n << (0..<DISCRIMINATOR.readLines().size())
        pytorch = DISCRIMINATOR.readLines()[n]
        engine = asChild("Discriminator", "network", discriminator.toString()).readLines()[n]
    }

    def "a layer built for #input is listed as #pytorch"() {
        given: "the layer built for its input shape"
        def net = Network.builder("one layer").input(input as long[]).add(layer).build()

        expect:
        net.body().layers()[0].describe() == pytorch

        cleanup:
        net?.close()

        where: "layers of the seed networks, with the text PyTorch's repr gives for them"
        input        | layer                                                      || pytorch
        [110]        | new Linear(128)                                            || "Linear(in_features=110, out_features=128, bias=True)"
        [256]        | new BatchNorm()                                            || "BatchNorm1d(256, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"
        [256]        | new BatchNorm().eps(0.8)                                   || "BatchNorm1d(256, eps=0.8, momentum=0.1, affine=True, track_running_stats=True)"
        [128, 7, 7]  | new BatchNorm()                                            || "BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"
        [256]        | Activation.leakyRelu(0.2)                                  || "LeakyReLU(negative_slope=0.2)"
        [256]        | Activation.relu()                                          || "ReLU()"
        [784]        | Activation.tanh()                                          || "Tanh()"
        [1]          | Activation.sigmoid()                                       || "Sigmoid()"
        [512]        | new Dropout(0.3)                                           || "Dropout(p=0.3, inplace=False)"
        [256, 3, 3]  | Reshape.flatten()                                          || "Flatten(start_dim=1, end_dim=-1)"
        [12544]      | Reshape.to(256, 7, 7)                                      || "Unflatten(dim=1, unflattened_size=(256, 7, 7))"
        [1, 28, 28]  | new Conv2d(64, 4).stride(2).padding(1).bias(false)         || "Conv2d(1, 64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)"
        [256, 7, 7]  | new ConvTranspose2d(128, 4).stride(2).padding(1).bias(false) || "ConvTranspose2d(256, 128, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)"
        [100, 1, 1]  | new ConvTranspose2d(512, 4)                                || "ConvTranspose2d(100, 512, kernel_size=(4, 4), stride=(1, 1))"
    }
}
