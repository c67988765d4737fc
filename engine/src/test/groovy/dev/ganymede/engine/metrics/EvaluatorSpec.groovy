package dev.ganymede.engine.metrics

import dev.ganymede.engine.Backend
import dev.ganymede.engine.GanymedeException
import dev.ganymede.engine.data.Gaussian1D
import dev.ganymede.engine.data.GaussianMixture2D
import dev.ganymede.engine.data.ImageFolder
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.SeedNetworks
import dev.ganymede.engine.train.Gan
import dev.ganymede.engine.train.LatentNoise
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import javax.imageio.ImageIO
import java.awt.image.BufferedImage
import java.nio.file.Files

@Title("Measuring a generator on the digits: the feature network, the floor and the ceiling")
@Narrative("""
No Inception network can be downloaded here, and it never saw 28x28 digits anyway, so the metrics
use a feature network of their own: a small CNN (164,458 parameters) trained by Ganymede on 20,000
built-in digits for 2 epochs, once, then cached. Its 128 penultimate activations are the features
of FD, KID and the manifold metrics; its softmax gives the classifier score and class histogram.

Numbers mean something only beside their bounds. The floor is what real images score: 2,000
held-out digits measured against 2,000 training digits exactly as a generator's samples are. The
ceiling is what an untrained generator scores (seed 002's DCGAN as built, before any step). A
trained generator lands in between; the seed's DCGAN after a few epochs is far closer to the floor
(that long run is the lead's spec; these measure the instrument).
""")
class EvaluatorSpec extends Specification {

    @Shared EvaluationData data = FeatureCache.digits()
    @Shared FeatureNetwork features = FeatureCache.network(data)

    def cleanupSpec() {
        features?.close()
    }

    static Gan untrainedDcgan(long seed) {
        Backend.seed(seed)
        new Gan(SeedNetworks.dcgan002Generator(), SeedNetworks.dcgan002Discriminator(),
                LatentNoise.normal(100, 1, 1), BinaryCrossEntropy.onProbabilities(), 0)
    }

    /** 2,000 samples per evaluation, KID over 20 subsets of 1,000 (torchmetrics: 100; fewer keep the spec short). */
    /** A folder of three gray PNGs, straight in the folder: an unlabelled image data set. */
    static ImageFolder unlabelledImages() {
        def folder = Files.createTempDirectory('metrics').resolve('pictures')
        Files.createDirectories(folder)
        3.times { i ->
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), 'png', folder.resolve("p${i}.png").toFile())
        }
        ImageFolder.load(folder, 28, 1)
    }

    Evaluator evaluator(long seed) {
        Evaluator.builder(data).samples(2_000).seed(seed).kidSubsets(20, 1_000).featureNetwork(features).build()
    }

    def "the digits' feature network classifies at least 99 % of 10,000 held-out digits correctly"() {
        expect:
        println "${features} (trained in ${features.trainingSeconds()} s, ${features.trainedNow() ? 'just now' : 'earlier; loaded from the cache'})"
        features.network().parameterCount() == 164_458
        features.dimension() == 128
        features.classes() == 10
        features.testAccuracy() >= 0.99
        features.file().fileName.toString() ==~ /digits-[0-9a-f]{8}\.params/
    }

    def "a cached feature network is loaded, not trained again, and computes the same features"() {
        given: "ten digits"
        def digits = SyntheticDigits.generate(10, 3)
        int[] all = 0..<10

        when:
        def again = FeatureCache.network(data)

        then:
        !again.trainedNow()
        again.testAccuracy() == features.testAccuracy()
        again.extract(digits, all).activations() == features.extract(digits, all).activations()

        cleanup:
        again?.close()
    }

    def "held-out real digits score the floor and an untrained generator the ceiling, far apart on every metric"() {
        given:
        def gan = untrainedDcgan(1)

        when: "both are measured with 2,000 samples against 2,000 real digits"
        Evaluation floor
        Evaluation ceiling
        try (def evaluator = evaluator(1)) {
            floor = evaluator.heldOutBaseline()
            ceiling = evaluator.evaluate(gan, "untrained generator")
        }
        println floor
        println ceiling

        then: "FD: real digits are hundreds of times closer to the data than the untrained generator's blobs"
        floor.samples() == 2_000 && ceiling.samples() == 2_000
        floor.fd() * 100 < ceiling.fd()

        and: "KID: about 0 for real digits (within 3 standard deviations), far above for the blobs"
        Math.abs(floor.kid()) < 3 * floor.kidStd()
        ceiling.kid() > 100 * ceiling.kidStd()

        and: "precision, recall and coverage above 0.9 for real digits and below 0.1 for the blobs; density about 1 for real digits"
        [floor.precision(), floor.recall(), floor.coverage()].every { it > 0.9 }
        Math.abs(floor.density() - 1) < 0.1
        [ceiling.precision(), ceiling.recall(), ceiling.coverage(), ceiling.density()].every { it < 0.1 }

        and: "the classifier sees 10 evenly used, confidently recognised classes in real digits, and one class in the blobs"
        floor.classifierScore() > 9
        floor.classKl() < 0.01
        ceiling.classifierScore() < 1.5
        ceiling.classKl() > 1.5

        cleanup:
        gan?.close()
    }

    def "the same seed gives identical numbers; another seed, slightly different ones"() {
        given:
        def gan = untrainedDcgan(2)

        when: "two evaluators of seed 7 and one of seed 8 measure the same generator"
        def first = evaluator(7).withCloseable { it.evaluate(gan) }
        def second = evaluator(7).withCloseable { it.evaluate(gan) }
        def other = evaluator(8).withCloseable { it.evaluate(gan) }

        then:
        first.metrics() == second.metrics()
        first.classes() == second.classes()
        other.fd() != first.fd()
        Math.abs(other.fd() - first.fd()) < 0.05 * first.fd()

        cleanup:
        gan?.close()
    }

    def "an evaluation leaves the generator and PyTorch's random stream as they were"() {
        given:
        def gan = untrainedDcgan(3)
        float[] noise = gan.latent().fixedBatch(4, 1)
        def root = Backend.engine().newBaseManager()
        float[] before = gan.generate(noise, null, 4, root)

        when: "PyTorch's generator is seeded, the generator evaluated, and a random number drawn"
        Backend.seed(5)
        Evaluator.builder(data).samples(500).featureNetwork(features).build().withCloseable { it.evaluate(gan) }
        float drawnAfterEvaluation = root.randomNormal(new ai.djl.ndarray.types.Shape(1)).getFloat()
        Backend.seed(5)
        float drawnWithout = root.randomNormal(new ai.djl.ndarray.types.Shape(1)).getFloat()

        then: "the number is the one drawn without an evaluation, and the generator draws the same samples"
        drawnAfterEvaluation == drawnWithout
        gan.generate(noise, null, 4, root) == before

        cleanup:
        root?.close()
        gan?.close()
    }

    def "an image folder with class sub-folders holds every 6th image out, and is named by its content"() {
        given: "12 images in cats/ and 12 in dogs/"
        def folder = Files.createTempDirectory('metrics').resolve('pets')
        ['cats', 'dogs'].eachWithIndex { String kind, int k ->
            Files.createDirectories(folder.resolve(kind))
            12.times { i ->
                def image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY)
                image.raster.setSample(i, k * 10, 0, 255)
                ImageIO.write(image, 'png', folder.resolve(kind).resolve("${i}.png").toFile())
            }
        }

        when:
        def split = EvaluationData.of(ImageFolder.load(folder, 28, 1))

        then: "4 of 24 held out (indices 5, 11, 17, 23), the other 20 the reference and what the feature network learns from"
        split.heldOut().size() == 4
        split.reference().size() == 20
        split.classifierTraining().is(split.reference())
        split.classes() == 2
        split.id() ==~ /pets-[0-9a-f]{8}/
    }

    def "#what is refused with a message that says why"() {
        when:
        EvaluationData.of(dataset)

        then:
        def e = thrown(GanymedeException)
        e.message.contains(message)

        where:
        what                    | dataset                                  || message
        'a 1-D data set'        | Gaussian1D.standard(1_000, 1)            || "the metrics measure images in the feature space of a classifier, but the training data 'gaussian-1d' has samples of shape (1,)"
        'a 2-D mixture'         | GaussianMixture2D.ring(1_000, 1)         || "the training data 'ring' has samples of shape (2,) (images are (channels, height, width))"
        'unlabelled images'     | unlabelledImages()                       || "the metrics need labelled images to train their feature network (a classifier), but the training data 'pictures' has no labels: put the images of an image folder in one sub-folder per class"
    }
}
