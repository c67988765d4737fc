package dev.ganymede.engine.train

import ai.djl.Device
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.Gaussian1D
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Autograd
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.optim.GradientClipping
import dev.ganymede.engine.optim.LrSchedule
import dev.ganymede.engine.optim.Sgd
import dev.ganymede.engine.stabilise.ExperienceReplay
import dev.ganymede.engine.stabilise.GradientPenalty
import dev.ganymede.engine.stabilise.InstanceNoise
import dev.ganymede.engine.stabilise.LabelFlipping
import dev.ganymede.engine.stabilise.WeightAverage
import dev.ganymede.engine.stabilise.WeightClipping
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Stabilisers: gradient penalties, clipping, instance noise, flipped labels, replay, averaging, unrolling")
@Narrative("""
A stabiliser changes one part of the alternating step — what the discriminator sees, an extra term
of its loss, or what happens after an update — and composes with any loss. These specs check each
against its formula on networks small enough to compute by hand, and pin the classic mistakes:
the gradient norm over the wrong dimension, one α for the whole batch, fakes not detached from the
generator in the discriminator's update, clipping applied to the generator, a look-ahead copy of
the discriminator that never moves (seed 001's unrolled GAN).

The networks are tiny on purpose: a critic D(x) = v·tanh(Wx + b) + c on 2-D inputs has an input
gradient ∇ₓD = Wᵀ(v ⊙ (1 − tanh²(Wx + b))) that Groovy computes in doubles, independently of
PyTorch's double backward.
""")
class StabilisersSpec extends Specification {

    static final double[][] W = [[0.5, -0.3], [0.2, 0.7]] as double[][]
    static final double[] B = [0.1, -0.2] as double[]
    static final double[] V = [1.5, -0.9] as double[]
    static final double C = 0.05
    static final double[][] X = [[0.3, -1.2], [1.0, 0.4], [-0.6, 0.9], [0.2, 0.2]] as double[][]
    /** Four other points, standing for generated samples. */
    static final double[][] Y = [[-0.8, 0.1], [0.5, 1.3], [1.4, -0.7], [-0.2, -0.5]] as double[][]

    static Network critic(double[][] w = W, double[] b = B, double[] v = V) {
        def d = Network.builder("critic").input(2).linear(2).tanh().linear(1).build(Device.cpu())
        def p = d.namedParameters()
        def m = d.manager()
        p["0.weight"].setValue(m.create(w.flatten() as float[], new Shape(2, 2)))
        p["0.bias"].setValue(m.create(b as float[]))
        p["2.weight"].setValue(m.create(v as float[], new Shape(1, 2)))
        p["2.bias"].setValue(m.create([C] as float[]))
        d.trainableParameters().each { it.value().setRequiresGradient(true) }
        d
    }

    /** ∇ₓD at x for the critic above (any input width), in doubles. */
    static double[] inputGradient(double[][] w, double[] b, double[] v, double[] x) {
        double[] g = new double[x.length]
        for (int j = 0; j < w.length; j++) {
            double h = Math.tanh((0..<x.length).sum { int k -> w[j][k] * x[k] } + b[j])
            for (int k = 0; k < x.length; k++) {
                g[k] += w[j][k] * v[j] * (1 - h * h)
            }
        }
        g
    }

    /** λ · mean_i (‖∇ₓD(x_i)‖ − target)² in doubles, at the points {@code at} (X unless told). */
    static double penalty(double lambda, double target, double[][] w, double[] b, double[] v, double[][] at = X) {
        lambda * (at.collect { double[] x ->
            double n = Math.sqrt(inputGradient(w, b, v, x).collect { it * it }.sum() as double)
            (n - target) * (n - target)
        }.sum() as double) / at.length
    }

    static Trainer trainerFor(Gan gan, List<Stabiliser> stabilisers = []) {
        Trainer.builder(gan, Gaussian1D.standard(512, 1)).batchSize(4).seed(1).stabilisers(stabilisers)
                .generatorOptimizer(Sgd.of(0.01)).discriminatorOptimizer(Sgd.of(0.01)).build()
    }

    def "the gradient penalty #name equals #formula, and its gradient is PyTorch's double backward"() {
        given: "a 2-D critic with known weights, four real and four generated samples, and a generator only there to make a trainer"
        Backend.seed(1)
        def d = critic2d()
        def g = Network.builder("g").input(2).linear(2).build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(2), BinaryCrossEntropy.onLogits(), 0)
        def trainer = Trainer.builder(gan, dev.ganymede.engine.data.GaussianMixture2D.ring(100, 1)).batchSize(4).build()
        NDManager scope = d.manager().newSubManager()
        def c = new StepContext(trainer, scope)
        def real = new Stabiliser.LabelledBatch(scope.create(X.flatten() as float[], new Shape(4, 2)), null)
        def fake = new Stabiliser.LabelledBatch(scope.create(fakes.flatten() as float[], new Shape(4, 2)), null)

        when: "the penalty is computed and back-propagated to the critic's weights"
        def (double value, List<NDArray> before) = penaltyAndBackward(stabiliser, d, real, c, fake)
        double[] vGrad = Autograd.gradient(d.namedParameters()["2.weight"].value(), scope).toFloatArray() as double[]

        and: "the same quantities are computed in doubles at the points it names, the gradient by central differences"
        double[][] points = at == 'X' ? X : Y
        double expected = penalty(stabiliser.weight(), stabiliser.target(), W, B, V, points)
        double h = 1e-6
        double[] numeric = (0..1).collect { int j ->
            double[] up = V.clone(); up[j] += h
            double[] down = V.clone(); down[j] -= h
            (penalty(stabiliser.weight(), stabiliser.target(), W, B, up, points) - penalty(stabiliser.weight(), stabiliser.target(), W, B, down, points)) / (2 * h)
        } as double[]
        println "${name}: penalty ${value} (by hand ${expected}); d penalty / d v = ${vGrad} (by hand ${numeric})"

        then: "computing the penalty filled no weight's gradient (the input gradient is autograd.grad's, not a backward pass that would also fill them)"
        before.every { it == null || it.abs().max().getFloat() == 0f }

        and: "the penalty matches the formula"
        Math.abs(value - expected) < 1e-5 * Math.max(1, Math.abs(expected))

        and: "its gradient with respect to the output weights matches, through the input gradient"
        (0..1).every { Math.abs(vGrad[it] - numeric[it]) < 1e-4 * Math.max(1, Math.abs(numeric[it])) }

        cleanup:
        scope?.close()
        trainer?.close()
        gan?.close()

        where: """the real samples are X and the generated ones Y, so a penalty taken at the wrong place misses the formula; for
        the interpolates the generated samples are X too, so that x̂ = α·x + (1 − α)·x = x whatever α is drawn (α is checked below)"""
        name                                 | formula                              | stabiliser                                             | fakes || at
        "WGAN-GP (λ = 10)"                   | "10 · mean (‖∇D(x̂)‖ − 1)²"           | GradientPenalty.wganGp(10)                             | X     || 'X'
        "WGAN-GP's form at the real samples" | "10 · mean (‖∇D(x)‖ − 1)²"           | new GradientPenalty(10, 1, GradientPenalty.Point.REAL) | Y     || 'X'
        "R1 (γ = 10)"                        | "5 · mean ‖∇D(x)‖²"                  | GradientPenalty.r1(10)                                 | Y     || 'X'
        "R2 (γ = 10)"                        | "5 · mean ‖∇D(G(z))‖²"               | GradientPenalty.r2(10)                                 | Y     || 'Y'
        "zero-centred (λ = 1)"               | "1 · mean ‖∇D(x̂)‖²"                  | GradientPenalty.zeroCentred(1)                         | X     || 'X'
    }

    static Network critic2d() { critic() }

    /**
     * The penalty's value, and the weights' gradients as computing it left them (before its own
     * backward pass, which then runs without clearing them: whatever the penalty had put there would show).
     */
    static List penaltyAndBackward(Stabiliser stabiliser, Network d, Stabiliser.LabelledBatch real, StepContext c,
                                   Stabiliser.LabelledBatch fake = real) {
        def rec = Autograd.record()
        try {
            NDArray p = stabiliser.discriminatorPenalty(d, real, fake, c)
            List<NDArray> before = d.trainableParameters().collect { Autograd.gradient(it.value(), c.scope()) }
            Autograd.backward(p)
            return [p.getFloat() as double, before]
        } finally {
            rec.close()
        }
    }

    static void backwardOf(Closure<NDArray> loss, Network net) {
        def rec = Autograd.record()
        try {
            NDArray l = loss.call()
            net.zeroGradients()
            Autograd.backward(l)
        } finally {
            rec.close()
        }
    }

    def "on images the gradient penalty takes each sample's norm over channels, rows and columns: ‖∇D(x)‖ over the 4 values of each 1×2×2 image"() {
        given: "a critic D(x) = v·tanh(W·flatten(x) + b) + c on 1×2×2 images, and four images"
        Backend.seed(1)
        double[][] w = [[0.5, -0.3, 0.8, 0.1], [0.2, 0.7, -0.4, 0.6]] as double[][]
        double[][] images = [[0.3, -1.2, 0.5, 0.9], [1.0, 0.4, -0.7, 0.2], [-0.6, 0.9, 0.3, -0.5], [0.2, 0.2, 1.1, -0.8]] as double[][]
        def d = Network.builder("critic").input(1, 2, 2).flatten().linear(2).tanh().linear(1).build(Device.cpu())
        def p = d.namedParameters()
        p["1.weight"].setValue(d.manager().create(w.flatten() as float[], new Shape(2, 4)))
        p["1.bias"].setValue(d.manager().create(B as float[]))
        p["3.weight"].setValue(d.manager().create(V as float[], new Shape(1, 2)))
        p["3.bias"].setValue(d.manager().create([C] as float[]))
        def g = Network.builder("g").input(2).linear(4).reshape(1, 2, 2).build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(2), BinaryCrossEntropy.onLogits(), 0)
        def imageSet = [name: { 'four images' }, sampleShape: { new Shape(1, 2, 2) }, size: { 4 }, numClasses: { 0 },
                        copySample: { int i, float[] dest, int offset -> (0..<4).each { dest[offset + it] = images[i][it] as float } },
                        label: { int i -> -1 }] as dev.ganymede.engine.data.Dataset
        def trainer = Trainer.builder(gan, imageSet).batchSize(4).build()
        NDManager scope = d.manager().newSubManager()
        def c = new StepContext(trainer, scope)
        def real = new Stabiliser.LabelledBatch(scope.create(images.flatten() as float[], new Shape(4, 1, 2, 2)), null)

        when: "WGAN-GP's penalty 10 · mean (‖∇D(x)‖ − 1)² is taken at the images"
        def (double value, List<NDArray> before) = penaltyAndBackward(new GradientPenalty(10, 1, GradientPenalty.Point.REAL), d, real, c)

        and: "the same in doubles, with the norm over each image's 4 values, and with the classic mistake of a norm over the last axis (rows of 2)"
        List<double[]> grads = images.collect { inputGradient(w, B, V, it as double[]) }
        double overSample = 10 * grads.sum { double[] gr -> Math.pow(Math.sqrt(gr.collect { it * it }.sum() as double) - 1, 2) } / 4
        double overLastAxis = 10 * grads.sum { double[] gr ->
            [gr[0..1], gr[2..3]].sum { row -> Math.pow(Math.sqrt(row.collect { it * it }.sum() as double) - 1, 2) }
        } / 8
        println "penalty ${value}: per-image norm by hand ${overSample}, last-axis norm ${overLastAxis}"

        then: "it is the per-image norm's, which the last-axis norm is not"
        Math.abs(value - overSample) < 1e-5 * Math.max(1, overSample)
        Math.abs(overSample - overLastAxis) > 0.1

        cleanup:
        scope?.close()
        trainer?.close()
        gan?.close()
    }

    def "a discriminator update leaves the generator without gradients: the fakes are detached#with"() {
        given: "a small GAN on the 1D Gaussian whose generator step reuses the discriminator step's fakes (their graph is kept for it)"
        Backend.seed(5)
        def gan = gaussianGan()
        def trainer = trainerFor(gan, stabilisers)
        NDManager scope = gan.discriminator().manager().newSubManager()
        def c = new StepContext(trainer, scope)
        def strategy = new AlternatingUpdates()

        def generatorGradients = { gan.generator().trainableParameters().collect { Autograd.gradient(it.value(), scope) } }

        when: "one discriminator update runs"
        def round = strategy.discriminatorUpdates(c)
        def afterD = generatorGradients()

        then: "the discriminator's loss reached none of the generator's weights (the seeds' D(G(z)) without .detach() would have)"
        afterD.every { it == null || it.abs().max().getFloat() == 0f }

        when: "then the generator's gradients are taken on those same fakes"
        strategy.generatorGradients(c, round.real(), round.fake(), round.fakeLabels())
        def afterG = generatorGradients()

        then: "the generator's own step reaches them: the fakes still carried its graph"
        afterG.every { it != null } && afterG.any { it.abs().max().getFloat() > 0f }

        cleanup:
        scope?.close()
        trainer?.close()
        gan?.close()

        where:
        with                              | stabilisers
        ""                                | []
        " (with WGAN-GP's penalty too)"   | [GradientPenalty.wganGp(10)]
    }

    def "WGAN-GP's interpolates lie on each real-fake segment with one α per sample, on #kind samples of shape #sample"() {
        given: "64 real and 64 fake samples"
        Backend.seed(3)
        NDManager m = Backend.engine().newBaseManager()
        def real = m.randomNormal(new Shape([64L] + sample as long[]))
        def fake = m.randomNormal(new Shape([64L] + sample as long[]))
        int size = sample.inject(1) { a, b -> a * b } as int

        when: "interpolates are drawn"
        def x = GradientPenalty.interpolates(real, fake, m)
        float[] r = real.toFloatArray(), f = fake.toFloatArray(), xs = x.toFloatArray()
        List<Double> alphas = (0..<64).collect { int i ->
            int o = i * size
            (xs[o] - f[o]) / (r[o] - f[o]) as double
        }
        boolean onSegments = (0..<64).every { int i ->
            (0..<size).every { int k -> int o = i * size + k; Math.abs(xs[o] - (f[o] + alphas[i] * (r[o] - f[o]))) < 1e-4 }
        }

        then: "every sample is real·α + fake·(1 − α) for a single α in [0, 1] shared by all its values"
        x.shape == real.shape
        onSegments
        alphas.every { it > -1e-4 && it < 1 + 1e-4 }

        and: "the α differ between samples (the seeds' bug of one α for the batch would give one value)"
        alphas.collect { Math.round(it * 1000) }.unique().size() > 50

        cleanup:
        m?.close()

        where: """images, and the flat 784-value samples of seed 001's MLPs, on which its α of shape (B, 1, 1, 1) would broadcast
        the batch to (B, 1, B, 784) instead of giving (B, 784)"""
        kind     | sample
        'images' | [1, 4, 4]
        'flat'   | [784]
    }

    static Gan gaussianGan() {
        def g = Network.builder("generator").input(8).linear(16).relu().linear(1).build(Device.cpu())
        def d = Network.builder("discriminator").input(1).linear(16).relu().linear(1).build(Device.cpu())
        new Gan(g, d, LatentNoise.normal(8), BinaryCrossEntropy.onLogits(), 0)
    }

    def "weight clipping keeps every critic weight in [-0.01, 0.01] and leaves the generator alone"() {
        given: "a small GAN on the 1D Gaussian with the critic clipped at 0.01"
        Backend.seed(4)
        def gan = gaussianGan()
        def trainer = trainerFor(gan, [new WeightClipping(0.01)])

        when: "it trains 50 steps"
        trainer.trainSteps(50)
        double criticMax = gan.discriminator().trainableParameters().collect { it.value().abs().max().getFloat() }.max()
        double generatorMax = gan.generator().trainableParameters().collect { it.value().abs().max().getFloat() }.max()
        println "largest |weight|: critic ${criticMax}, generator ${generatorMax}"

        then: "no critic weight is outside the limit, and the generator still has larger weights"
        criticMax <= 0.01f
        generatorMax > 0.05

        cleanup:
        trainer?.close()
        gan?.close()
    }

    def "gradient clipping by #mode limits what the optimiser applies: #expected"() {
        given: "a single weight vector with gradient (3, -4) (norm 5) and plain SGD with learning rate 1"
        Backend.seed(1)
        def net = Network.builder("n").input(2).linear(1).build(Device.cpu())
        def w = net.namedParameters()["0.weight"]
        NDManager scope = net.manager().newSubManager()
        float[] before = w.value().toFloatArray()
        def optimizer = Sgd.of(1.0).clipGradients(clipping)

        when: "the loss 3·w₁ − 4·w₂ is back-propagated and one step is taken"
        backwardOf({ w.value().mul(scope.create([3f, -4f] as float[], new Shape(1, 2))).sum() }, net)
        optimizer.step([w], scope)
        float[] after = w.value().toFloatArray()
        def applied = [before[0] - after[0], before[1] - after[1]]

        then:
        Math.abs(applied[0] - expected[0]) < 1e-5
        Math.abs(applied[1] - expected[1]) < 1e-5

        cleanup:
        scope?.close()
        net?.close()

        where: "by value clamps each element (seed 001's code); by norm rescales the whole gradient (PyTorch's clip_grad_norm_)"
        mode         | clipping                       | expected
        "value 0.01" | GradientClipping.byValue(0.01) | [0.01, -0.01]
        "norm 1"     | GradientClipping.byNorm(1)     | [0.6, -0.8]
        "norm 10"    | GradientClipping.byNorm(10)    | [3.0, -4.0]
    }

    def "instance noise of std 0.05 annealed over 1,000 steps has std #std at step #step"() {
        expect:
        Math.abs(new InstanceNoise(0.05, 1000).stdAt(step) - std) < 1e-12

        where:
        step | std
        1    | 0.05
        501  | 0.025
        1001 | 0
        5000 | 0
    }

    def "a stabiliser that sees the discriminator's inputs: instance noise adds N(0, 0.05²) to real and fake alike"() {
        given: "a GAN whose discriminator records the batches it is given"
        Backend.seed(6)
        def gan = gaussianGan()
        List<float[]> seen = []
        def spy = new Stabiliser() {
            String describe() { "spy" }
            NDArray discriminatorInput(NDArray batch, StepContext c) { seen << batch.toFloatArray(); batch }
        }
        def clean = trainerFor(gan, [spy])
        clean.trainSteps(1)
        def cleanSeen = seen.collect { it.clone() }
        gan.close()

        and: "the same GAN and data with constant instance noise of std 0.05 before the spy"
        Backend.seed(6)
        seen.clear()
        def gan2 = gaussianGan()
        def noisy = trainerFor(gan2, [new InstanceNoise(0.05, 0), spy])

        when: "one step is trained"
        noisy.trainSteps(1)
        def realDiff = (0..<4).collect { seen[0][it] - cleanSeen[0][it] }

        then: "the discriminator saw three batches (real, fake, fake in the generator step), each changed"
        seen.size() == 3
        realDiff.every { Math.abs(it) > 1e-6 && Math.abs(it) < 0.3 }

        cleanup:
        clean?.close()
        noisy?.close()
        gan2?.close()
    }

    def "label flipping with p = 0.2 swaps about a fifth of the output pairs"() {
        given:
        Backend.seed(8)
        NDManager m = Backend.engine().newBaseManager()
        def gan = gaussianGan()
        def trainer = trainerFor(gan)
        def c = new StepContext(trainer, m)
        def real = m.ones(new Shape(10_000, 1))
        def fake = m.zeros(new Shape(10_000, 1))

        when:
        def out = new LabelFlipping(0.2).discriminatorOutputs(new Stabiliser.DiscriminatorOutputs(real, fake), c)
        double flipped = 1 - out.real().mean().getFloat()

        then: "each swapped pair shows up as a 0 among the real outputs and a 1 among the fakes"
        Math.abs(flipped - 0.2) < 0.02
        out.real().add(out.fake()).eq(1f).all().getBoolean()

        cleanup:
        trainer?.close()
        gan?.close()
        m?.close()
    }

    /** A replay pool on a small GAN's trainer, with a step context on a manager of its own: [manager, gan, pool, trainer, context]. */
    static List withReplay(int capacity, double probability) {
        Backend.seed(9)
        NDManager m = Backend.engine().newBaseManager()
        def gan = gaussianGan()
        def replay = new ExperienceReplay(capacity, probability)
        def trainer = trainerFor(gan, [replay])
        [m, gan, replay, trainer, new StepContext(trainer, m)]
    }

    def "experience replay fills a pool of 50 fakes, then shows an older fake half of the time"() {
        given: "fakes numbered by the step and position they were made at"
        def (NDManager m, Gan gan, ExperienceReplay replay, Trainer trainer, StepContext c) = withReplay(50, 0.5)

        when: "40 batches of 16 fakes go through it"
        List<float[]> shown = (0..<40).collect { int step ->
            def fakes = m.create((0..<16).collect { (step * 100 + it) as float } as float[], new Shape(16, 1))
            replay.discriminatorFakes(new Stabiliser.LabelledBatch(fakes, null), c).samples().toFloatArray()
        }
        int replayed = (4..<40).sum { int step -> (shown[step] as List<Float>).count { it < step * 100 } } as int
        double fraction = replayed / (36 * 16.0)
        println "pool ${replay.size()}, fraction of old fakes shown after the pool filled: ${fraction}"

        then: "the first three batches (48 fakes) are shown as made"
        (0..<3).every { int step -> shown[step] == (0..<16).collect { (step * 100 + it) as float } as float[] }

        and: "the pool holds 50, and once full about half of what is shown is older"
        replay.size() == 50
        Math.abs(fraction - 0.5) < 0.08

        cleanup:
        trainer?.close()
        gan?.close()
        m?.close()
    }

    def "during an unrolled GAN's look-ahead a full replay pool shows its fakes and keeps them all"() {
        given: "a pool of 16 filled with fakes numbered 0 to 15, replaying with probability 1"
        def (NDManager m, Gan gan, ExperienceReplay replay, Trainer trainer, StepContext c) = withReplay(16, 1.0)
        replay.discriminatorFakes(new Stabiliser.LabelledBatch(m.create((0..<16).collect { it as float } as float[], new Shape(16, 1)), null), c)

        when: "a look-ahead update passes 16 new fakes, numbered 100 to 115, through it"
        c.lookAhead(true)
        def fresh = m.create((100..<116).collect { it as float } as float[], new Shape(16, 1))
        List<Float> shown = replay.discriminatorFakes(new Stabiliser.LabelledBatch(fresh, null), c).samples().toFloatArray() as List
        c.lookAhead(false)
        println "shown during the look-ahead: ${shown}"

        then: "it was shown pooled fakes, as an ordinary update would be (a new fake takes a replayed one's slot, so it may be drawn again)"
        shown.every { it < 16 || it >= 100 }
        shown.count { it < 16 } >= 8

        and: "the pool still holds exactly the 16 old fakes"
        (replay.pool().toFloatArray() as List).sort() == (0..<16).collect { it as float }

        cleanup:
        trainer?.close()
        gan?.close()
        m?.close()
    }

    def "weight averaging keeps avg ← 0.9·avg + 0.1·w, and samples come from the average"() {
        given: "a small GAN whose generator weights are averaged with decay 0.9"
        Backend.seed(10)
        def gan = gaussianGan()
        def average = new WeightAverage(0.9)
        def trainer = trainerFor(gan, [average])
        def weight = gan.generator().namedParameters()["2.weight"]
        double[] byHand = weight.value().toFloatArray() as double[]

        when: "it trains 20 steps and the average is also kept by hand from the weights after each step"
        trainer.addListener(new TrainingListener() {
            void onStep(Trainer t, dev.ganymede.engine.output.StepRecord r) {
                float[] w = weight.value().toFloatArray()
                for (int i = 0; i < w.length; i++) byHand[i] = 0.9 * byHand[i] + 0.1 * w[i]
            }
        })
        trainer.trainSteps(20)
        float[] raw = weight.value().toFloatArray()
        float[] sampled = gan.withSamplingWeights { weight.value().toFloatArray() }

        then: "inside sampling the generator holds the average"
        (0..<raw.length).every { Math.abs(sampled[it] - byHand[it]) < 1e-5 }

        and: "outside, the trained weights, which differ from it"
        weight.value().toFloatArray() == raw
        (0..<raw.length).any { Math.abs(raw[it] - sampled[it]) > 1e-4 }

        cleanup:
        trainer?.close()
        gan?.close()
    }

    def "unrolling moves a look-ahead discriminator but reverts it: D ends as after a plain step, G does not"() {
        given: "two identical small GANs (no dropout, so no random numbers in the look-ahead)"
        def make = { Closure<TrainingStrategy> strategy ->
            Backend.seed(11)
            def gan = gaussianGan()
            def t = Trainer.builder(gan, Gaussian1D.standard(512, 1)).batchSize(16).seed(1)
                    .generatorOptimizer(Adam.of(1e-2)).discriminatorOptimizer(Adam.of(1e-2))
                    .strategy(strategy()).build()
            [gan, t]
        }
        def (plainGan, plain) = make.call { new AlternatingUpdates() }
        def (unrolledGan, unrolled) = make.call { new UnrolledUpdates(5) }

        when: "each trains one step"
        plain.trainSteps(1)
        unrolled.trainSteps(1)
        def dDiff = maxDifference(plainGan.discriminator(), unrolledGan.discriminator())
        def gDiff = maxDifference(plainGan.generator(), unrolledGan.generator())
        println "after one step: discriminators differ by ${dDiff}, generators by ${gDiff}"

        then: "the discriminators are identical and the discriminator optimiser has taken one step"
        dDiff == 0
        unrolled.discriminatorOptimizer().steps() == 1

        and: "the generators differ: the generator stepped against a discriminator 5 updates ahead"
        gDiff > 1e-6

        cleanup:
        plain?.close(); unrolled?.close(); plainGan?.close(); unrolledGan?.close()
    }

    def "an unrolled GAN's look-ahead leaves a replay pool as a plain step does: after #after of 16 fakes it holds #held"() {
        given: "two identical small GANs with a replay pool of 50 fakes, one plain and one unrolled 5 steps"
        def make = { TrainingStrategy strategy ->
            Backend.seed(11)
            def gan = gaussianGan()
            def replay = new ExperienceReplay(50, 0.5)
            def t = Trainer.builder(gan, Gaussian1D.standard(512, 1)).batchSize(16).seed(1)
                    .generatorOptimizer(Adam.of(1e-2)).discriminatorOptimizer(Adam.of(1e-2))
                    .stabilisers([replay]).strategy(strategy).build()
            [gan, t, replay]
        }
        def (plainGan, plain, plainPool) = make.call(new AlternatingUpdates())
        def (unrolledGan, unrolled, unrolledPool) = make.call(new UnrolledUpdates(5))

        when: "each trains"
        plain.trainSteps(steps)
        unrolled.trainSteps(steps)
        println "after ${steps} steps the plain pool holds ${plainPool.size()} fakes, the unrolled one ${unrolledPool.size()}"

        then: "the pool holds one batch per step (the look-ahead's 5 updates on each step's fakes would have added 80)"
        plainPool.size() == held
        unrolledPool.size() == held

        cleanup:
        plain?.close(); unrolled?.close(); plainGan?.close(); unrolledGan?.close()

        where:
        steps || held
        1     || 16
        3     || 48
        after = steps == 1 ? '1 step' : "${steps} steps"
    }

    def "simultaneous updates: D moves as in an alternating step, G steps against D as it was before that move"() {
        given: "three identical small GANs on the same batches and noise: alternating, simultaneous, and alternating with a discriminator that cannot move"
        def make = { Closure<TrainingStrategy> strategy, LrSchedule dSchedule ->
            Backend.seed(11)
            def gan = gaussianGan()
            def t = Trainer.builder(gan, Gaussian1D.standard(512, 1)).batchSize(16).seed(1)
                    .generatorOptimizer(Adam.of(1e-2)).discriminatorOptimizer(Adam.of(1e-2).schedule(dSchedule))
                    .strategy(strategy()).build()
            [gan, t]
        }
        def (alternatingGan, alternating) = make.call({ new AlternatingUpdates() }, LrSchedule.constant())
        def (simultaneousGan, simultaneous) = make.call({ new SimultaneousUpdates() }, LrSchedule.constant())
        def (frozenGan, frozen) = make.call({ new AlternatingUpdates() }, { step, epoch -> 0.0d } as LrSchedule)

        when: "each trains one step"
        [alternating, simultaneous, frozen]*.trainSteps(1)
        def dDiff = maxDifference(alternatingGan.discriminator(), simultaneousGan.discriminator())
        def gDiff = maxDifference(alternatingGan.generator(), simultaneousGan.generator())
        def gFrozenDiff = maxDifference(frozenGan.generator(), simultaneousGan.generator())
        println "after one step: D differs from the alternating step's by ${dDiff}, G by ${gDiff}; G differs from the frozen-D step's by ${gFrozenDiff}"

        then: "the discriminator took the same update as in the alternating step"
        dDiff == 0
        simultaneous.strategy().describe() == 'simultaneous updates'

        and: "the generator did not answer that update: its step is the one against the unmoved discriminator"
        gDiff > 1e-6
        gFrozenDiff < 1e-7

        and: "both losses are reported"
        with(simultaneous.history().last()) { Double.isFinite(lossD()) && Double.isFinite(lossG()) }

        cleanup:
        [alternating, simultaneous, frozen, alternatingGan, simultaneousGan, frozenGan]*.close()
    }

    static double maxDifference(Network a, Network b) {
        def pa = a.namedParameters(), pb = b.namedParameters()
        pa.keySet().collect { k -> pa[k].value().sub(pb[k].value()).abs().max().getFloat() as double }.max()
    }

    def "feature matching: the generator matches the critic's mean hidden features of the 1D Gaussian"() {
        given: "the seed 001 1D GAN (architecture B) whose generator minimises ‖E f(x) − E f(G(z))‖² for D's hidden layer"
        Backend.seed(12)
        def g = Network.builder("generator").input(100).linear(128).relu().linear(1).build(Device.cpu())
        def d = Network.builder("discriminator").input(1).linear(128).relu().linear(1).sigmoid().build(Device.cpu())
        def gan = new Gan(g, d, LatentNoise.normal(100), BinaryCrossEntropy.onProbabilities(), 0)
        def trainer = Trainer.builder(gan, Gaussian1D.standard(100_000, 12)).batchSize(64).seed(12)
                .strategy(AlternatingUpdates.featureMatching())
                .generatorOptimizer(Adam.of(1e-3)).discriminatorOptimizer(Adam.of(1e-3)).build()

        expect: "the features are D's first two layers: Linear(1, 128) and ReLU"
        d.featureLayerCount() == 2

        when: "it trains 3,000 steps"
        trainer.trainSteps(3000)
        def samples
        try (NDManager scope = Backend.engine().newBaseManager()) {
            samples = gan.generate(gan.latent().fixedBatch(10_000, 3), null, 10_000, scope)
        }
        double mean = samples.sum() / samples.length
        println "feature matching, 1D Gaussian: generated mean ${mean.round(3)} after 3,000 steps"

        then: "the generated mean has moved to the real mean 4 (from about 0)"
        Math.abs(mean - 4) < 0.5

        cleanup:
        trainer?.close()
        gan?.close()
    }
}
