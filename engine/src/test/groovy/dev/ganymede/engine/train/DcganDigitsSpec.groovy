package dev.ganymede.engine.train

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.Dataset
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Autograd
import dev.ganymede.engine.nn.Conv2d
import dev.ganymede.engine.nn.ForwardContext
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.SeedNetworks
import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.output.SampleGrid
import java.nio.file.Path
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Title

@Stepwise
@Title("A DCGAN trained on the built-in digits draws digits that classifiers recognise")
@Narrative("""
Falling losses do not show that a GAN works; its samples do. Without a person to look at them,
digit classifiers do: if the generator draws digits, classifiers trained on real digits label its
samples confidently, with every class (not one: mode collapse), and they agree with each other.

Two classifiers are built with the engine's NetworkBuilder and trained here on 8,000 real
built-in digits for 5 epochs with softmax cross-entropy (written below with NDArray operations:
the engine has no classification loss) and Adam(1e-3): an MLP 784 - 256 - ReLU - 10 and a small
CNN, Conv(16, 5, stride 2) - ReLU - Conv(32, 5, stride 2) - ReLU - Linear(10). Each must label
more than 90% of 1,000 held-out real digits correctly, or its verdict on samples means little.

The GAN is seed 004's compact DCGAN (G 1,793,536 and D 659,457 parameters, BCE on logits, Adam
2e-4 with betas (0.5, 0.999) for both), trained for 300 steps of batch 32 on 8,192 built-in
digits. Then 1,000 samples are drawn with Gan.generate (evaluation mode: BatchNorm's running
statistics) and classified. Chance is 10% per class. The samples must:
  - cover at least 8 of the 10 classes by the MLP's labels, a class counting when at least 10
    of the 1,000 samples (1%) fall in it;
  - have a mean top-class probability (the MLP's) of at least 0.6;
  - get the same label from the MLP and the CNN for at least 40% of samples, and for at least
    30 points more than the untrained generator's samples do.
The last check is there because a softmax is confident about almost anything: the MLP is about
0.3 sure of uniform noise and already 0.77 sure of the blobs a generator draws after 100 steps.
Two classifiers built differently rarely agree on what a blob is (on uniform noise about a
quarter of the time, on the untrained generator's samples about one time in eight), but agree
on 98% of real digits. After 300 steps of this DCGAN they agree on about 60% of samples: rough,
partly readable digits, as the grid of 100 samples written to
target/spec-output/dcgan-digits-samples.png shows (sorted by the MLP's label). Longer training
draws cleaner digits; 300 steps keep the spec short.
""")
class DcganDigitsSpec extends Specification {

    static final int PIXELS = 28 * 28

    @Shared NDManager root = Backend.engine().newBaseManager()
    @Shared Network mlp
    @Shared Network cnn

    def cleanupSpec() {
        mlp?.close()
        cnn?.close()
        root?.close()
    }

    /** Mean over the batch of -log softmax(logits)[label], with the row maximum subtracted first so exp cannot overflow. */
    static NDArray softmaxCrossEntropy(NDArray logits, NDArray labels) {
        NDArray shifted = logits.sub(logits.max([1] as int[], true).stopGradient())
        NDArray logSumExp = shifted.exp().sum([1] as int[], true).log()
        NDArray logProbability = shifted.sub(logSumExp)
        logProbability.mul(labels.oneHot(10)).sum([1] as int[]).mean().neg()
    }

    static float[] images(Dataset data) {
        float[] out = new float[data.size() * PIXELS]
        for (int i = 0; i < data.size(); i++) {
            data.copySample(i, out, i * PIXELS)
        }
        out
    }

    /** Trains a classifier on {@code data} for 5 epochs of batch 64 and returns the last batch's loss. */
    double train(Network classifier, Dataset data, long seed) {
        def adam = Adam.of(1e-3)
        def random = new Random(seed)
        int batch = 64
        def order = (0..<data.size()).toList()
        double lastLoss = 0
        try {
            5.times {
                Collections.shuffle(order, random)
                for (int b = 0; b < order.size().intdiv(batch); b++) {
                    float[] x = new float[batch * PIXELS]
                    long[] y = new long[batch]
                    for (int k = 0; k < batch; k++) {
                        int i = order[b * batch + k]
                        data.copySample(i, x, k * PIXELS)
                        y[k] = data.label(i)
                    }
                    try (NDManager scope = root.newSubManager()) {
                        NDArray loss
                        try (def rec = Autograd.record()) {
                            def logits = classifier.forward(scope.create(x, new Shape(batch, 1, 28, 28)), new ForwardContext(scope, true))
                            loss = softmaxCrossEntropy(logits, scope.create(y))
                            classifier.zeroGradients()
                            Autograd.backward(loss)
                        }
                        adam.step(classifier, scope)
                        lastLoss = loss.getFloat()
                    }
                }
            }
        } finally {
            adam.close()
        }
        lastLoss
    }

    /** For each image: the class the classifier gives it (v1) and that class's probability (v2), in evaluation mode. */
    List<Tuple2<Integer, Float>> classify(Network classifier, float[] pixels) {
        int count = pixels.length.intdiv(PIXELS)
        float[] p
        try (NDManager scope = root.newSubManager(); def paused = Autograd.pause()) {
            def x = scope.create(pixels, new Shape(count, 1, 28, 28))
            p = classifier.forward(x, new ForwardContext(scope, false)).softmax(1).toFloatArray()
        }
        (0..<count).collect { int i ->
            int best = (0..<10).max { p[i * 10 + it] }
            new Tuple2<Integer, Float>(best, p[i * 10 + best])
        }
    }

    static List<Integer> histogram(List<Tuple2<Integer, Float>> labels) {
        (0..<10).collect { c -> labels.count { it.v1 == c } }
    }

    static double meanConfidence(List<Tuple2<Integer, Float>> labels) {
        labels.sum { it.v2 } / labels.size()
    }

    static double agreement(List<Tuple2<Integer, Float>> a, List<Tuple2<Integer, Float>> b) {
        (0..<a.size()).count { a[it].v1 == b[it].v1 } / (double) a.size()
    }

    /** The numbers printed for a set of images. */
    String verdict(float[] pixels) {
        def byMlp = classify(mlp, pixels)
        def byCnn = classify(cnn, pixels)
        String.format(Locale.ROOT, "MLP classes %s, MLP mean top-class probability %.3f, CNN %.3f, MLP/CNN agreement %.1f%%",
                histogram(byMlp), meanConfidence(byMlp), meanConfidence(byCnn), 100 * agreement(byMlp, byCnn))
    }

    def "an MLP and a CNN trained on real digits each recognise more than 90% of held-out real digits"() {
        given: "8,000 real digits to learn from and 1,000 others to test on"
        Backend.seed(21)
        def trainingSet = SyntheticDigits.generate(8_000, 101)
        def heldOut = SyntheticDigits.generate(1_000, 202)
        def truth = (0..<1_000).collect { heldOut.label(it) }

        and: "the two classifiers"
        mlp = Network.builder("MLP classifier").input(1, 28, 28).flatten().linear(256).relu().linear(10).build()
        cnn = Network.builder("CNN classifier").input(1, 28, 28)
                .add(new Conv2d(16, 5).stride(2).padding(2)).relu()
                .add(new Conv2d(32, 5).stride(2).padding(2)).relu()
                .flatten().linear(10).build()

        when: "each trains for 5 epochs with softmax cross-entropy"
        long started = System.nanoTime()
        double mlpLoss = train(mlp, trainingSet, 3)
        double cnnLoss = train(cnn, trainingSet, 4)
        double seconds = (System.nanoTime() - started) / 1e9
        def byMlp = classify(mlp, images(heldOut))
        def byCnn = classify(cnn, images(heldOut))
        double mlpAccuracy = (0..<1_000).count { byMlp[it].v1 == truth[it] } / 1_000.0
        double cnnAccuracy = (0..<1_000).count { byCnn[it].v1 == truth[it] } / 1_000.0
        println String.format(Locale.ROOT, "classifiers (%.1f s): MLP last loss %.4f, held-out accuracy %.1f%%; CNN last loss %.4f, held-out accuracy %.1f%%",
                seconds, mlpLoss, 100 * mlpAccuracy, cnnLoss, 100 * cnnAccuracy)
        println "held-out real digits: ${verdict(images(heldOut))}"

        then: "each labels more than 90% of the held-out digits correctly"
        mlpAccuracy > 0.90
        cnnAccuracy > 0.90

        and: "they name the same digit for nearly all real digits"
        agreement(byMlp, byCnn) > 0.90
    }

    def "after 300 steps the DCGAN's samples are recognised as digits of nearly every class"() {
        given: "seed 004's DCGAN and 8,192 real digits, batches of 32"
        Backend.seed(21)
        def gan = new Gan(SeedNetworks.dcgan004Generator(), SeedNetworks.dcgan004Discriminator(),
                LatentNoise.normal(100), BinaryCrossEntropy.onLogits(), 0)
        def trainer = Trainer.builder(gan, SyntheticDigits.generate(8_192, 1)).batchSize(32).seed(21)
                .generatorOptimizer(Adam.of(2e-4).betas(0.5, 0.999))
                .discriminatorOptimizer(Adam.of(2e-4).betas(0.5, 0.999)).build()
        float[] noise = gan.latent().fixedBatch(1_000, 9)

        and: "what the classifiers make of uniform noise and of the untrained generator's samples"
        def random = new Random(1)
        float[] uniform = new float[1_000 * PIXELS]
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = (float) (2 * random.nextDouble() - 1)
        }
        println "uniform noise: ${verdict(uniform)}"
        float[] before = gan.generate(noise, null, 1_000, root)
        double agreementBefore = agreement(classify(mlp, before), classify(cnn, before))
        println "untrained generator: ${verdict(before)}"

        when: "the GAN trains for 300 steps and draws 1,000 samples in evaluation mode"
        long started = System.nanoTime()
        trainer.trainSteps(300)
        double seconds = (System.nanoTime() - started) / 1e9
        float[] samples = gan.generate(noise, null, 1_000, root)
        def byMlp = classify(mlp, samples)
        def byCnn = classify(cnn, samples)
        def last = trainer.history().last()
        println String.format(Locale.ROOT, "DCGAN after %d steps (%.1f s, %.0f ms/step): loss D %.3f, loss G %.3f, D(x) %.3f, D(G(z)) %.3f",
                trainer.step(), seconds, 1000 * seconds / trainer.step(), last.lossD(), last.lossG(), last.dReal(), last.dFake())
        println "trained generator: ${verdict(samples)}"

        and: "a grid of 100 samples, sorted by the MLP's label, is written for a human to look at"
        def shown = (0..<100).toList().sort { byMlp[it].v1 }
        float[] grid = new float[100 * PIXELS]
        shown.eachWithIndex { int sample, int slot -> System.arraycopy(samples, sample * PIXELS, grid, slot * PIXELS, PIXELS) }
        Path png = Path.of("target", "spec-output", "dcgan-digits-samples.png")
        png.parent.toFile().mkdirs()
        SampleGrid.write(grid, 100, 1, 28, 28, 10, -1f, 1f, png)
        println "samples: ${png.toAbsolutePath()}"

        then: "at least 8 of the 10 digits are drawn, each by at least 1% of the samples"
        histogram(byMlp).count { it >= 10 } >= 8

        and: "the MLP is on average at least 60% sure of its label (chance: 10%)"
        meanConfidence(byMlp) >= 0.6

        and: "the two classifiers name the same digit for at least 40% of the samples, 30 points more than before training"
        agreement(byMlp, byCnn) >= 0.4
        agreement(byMlp, byCnn) >= agreementBefore + 0.3

        cleanup:
        trainer?.close()
        gan?.close()
    }
}
