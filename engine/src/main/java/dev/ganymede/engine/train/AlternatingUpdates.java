package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.loss.AdversarialLoss;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.train.Stabiliser.DiscriminatorOutputs;
import dev.ganymede.engine.train.Stabiliser.LabelledBatch;

/**
 * The classic two-player step: k discriminator updates on real batches and detached fakes, then one
 * generator update through a discriminator whose weights record no gradients. Gradients are
 * cleared before every backward pass, since DJL never clears them. The trainer's
 * {@link Stabiliser}s plug into the step at the points they document.
 *
 * <p>The generator minimises the adversarial loss, or with {@link #featureMatching()} the squared
 * distance between the mean discriminator features of a real and a generated batch (Salimans et
 * al. 2016, "Improved techniques for training GANs", section 3.1).
 */
public class AlternatingUpdates implements TrainingStrategy {

    private final int featureLayers;

    /** The standard step: the generator minimises the adversarial loss. */
    public AlternatingUpdates() {
        this(-1);
    }

    private AlternatingUpdates(int featureLayers) {
        this.featureLayers = featureLayers;
    }

    /**
     * The generator matches the mean features of the discriminator's layers before its last weight
     * layer (its classifier).
     */
    public static AlternatingUpdates featureMatching() {
        return new AlternatingUpdates(0);
    }

    /** The generator matches the mean output of the discriminator's first {@code layers} layers. */
    public static AlternatingUpdates featureMatching(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("feature matching needs at least one discriminator layer, got " + layers);
        }
        return new AlternatingUpdates(layers);
    }

    public boolean matchesFeatures() {
        return featureLayers >= 0;
    }

    @Override
    public void check(Trainer trainer) {
        Network d = trainer.gan().discriminator();
        if (featureLayers == 0) {
            d.featureLayerCount();
        } else if (featureLayers > d.body().layers().size() - 1) {
            throw new IllegalArgumentException("feature matching after " + featureLayers + " layers, but " + d.name()
                    + " has " + d.body().layers().size() + " layers and the last one cannot be a feature layer");
        }
    }

    @Override
    public String describe() {
        return matchesFeatures() ? "alternating updates, generator by feature matching" : "alternating updates";
    }

    /** What the last discriminator update of a step leaves for the generator update. */
    protected record DiscriminatorRound(double loss, double dReal, double dFake, StepContext.RealBatch real,
            NDArray noise, NDArray fake, NDArray fakeLabels) {}

    @Override
    public StepFigures step(StepContext c) {
        DiscriminatorRound last = discriminatorUpdates(c);
        double lossG = beforeAndAfterGenerator(c, last);
        return new StepFigures(last.loss(), lossG, last.dReal(), last.dFake(), c.realImages());
    }

    /** Runs the generator update between whatever a variant does around it (unrolling). */
    protected double beforeAndAfterGenerator(StepContext c, DiscriminatorRound last) {
        return generatorUpdate(c, last);
    }

    /** The k discriminator updates of a step; returns the last one's figures and batches. */
    protected DiscriminatorRound discriminatorUpdates(StepContext c) {
        int k = c.settings().discriminatorSteps();
        DiscriminatorRound last = null;
        for (int i = 0; i < k; i++) {
            // only the fake batch the generator step will reuse needs its graph
            Batches b = drawBatches(c, c.settings().reuseFakes() && i == k - 1);
            last = discriminatorUpdate(c, b.real(), b.noise(), b.fake(), b.fakeLabels());
        }
        return last;
    }

    /** A real batch and as many fakes; the fakes keep their graph only when {@code keepGraph}. */
    protected Batches drawBatches(StepContext c, boolean keepGraph) {
        StepContext.RealBatch real = c.nextRealBatch();
        NDArray z = c.noise(real.size());
        NDArray fakeLabels = c.fakeLabels(real.size());
        NDArray fake;
        try (Autograd.Recording rec = keepGraph ? Autograd.record() : Autograd.pause()) {
            fake = c.gan().generator().forward(z, c.training(fakeLabels));
        }
        return new Batches(real, z, fake, fakeLabels);
    }

    /** The batches of one update: real samples, the noise, the fakes made from it and their labels. */
    protected record Batches(StepContext.RealBatch real, NDArray noise, NDArray fake, NDArray fakeLabels) {}

    /**
     * One discriminator update on a real batch and a (possibly still attached) fake batch; the
     * fakes are detached here.
     */
    protected DiscriminatorRound discriminatorUpdate(StepContext c, StepContext.RealBatch real, NDArray z,
            NDArray fake, NDArray fakeLabels) {
        Network d = c.gan().discriminator();
        AdversarialLoss loss = c.gan().loss();
        Judged judged;
        try (Autograd.Recording rec = Autograd.record()) {
            judged = discriminatorLoss(c, real, fake.stopGradient(), fakeLabels);
            d.zeroGradients();
            Autograd.backward(judged.loss());
        }
        c.discriminatorOptimizer().step(d, c.scope());
        for (Stabiliser s : c.stabilisers()) {
            s.afterDiscriminatorUpdate(d, c);
        }
        return new DiscriminatorRound(judged.loss().getFloat(), loss.reportedMean(judged.outputs().real()),
                loss.reportedMean(judged.outputs().fake()), real, z, fake, fakeLabels);
    }

    /** The discriminator's loss (penalties included) and its outputs before any stabiliser changed them. */
    protected record Judged(NDArray loss, DiscriminatorOutputs outputs) {}

    /**
     * The discriminator's loss on a real batch and {@code fake}, through every stabiliser's hooks,
     * recorded (the caller records). {@code fake} is used as given: detached for an ordinary update,
     * attached to the generator's graph for a second-order look-ahead.
     */
    protected Judged discriminatorLoss(StepContext c, StepContext.RealBatch real, NDArray fake, NDArray fakeLabels) {
        Network d = c.gan().discriminator();
        LabelledBatch fakes = new LabelledBatch(fake, fakeLabels);
        for (Stabiliser s : c.stabilisers()) {
            fakes = s.discriminatorFakes(fakes, c);
        }
        LabelledBatch realSeen = new LabelledBatch(discriminatorInput(c, real.images()), real.labels());
        LabelledBatch fakeSeen = new LabelledBatch(discriminatorInput(c, fakes.samples()), fakes.labels());
        DiscriminatorOutputs outputs = new DiscriminatorOutputs(d.forward(realSeen.samples(), c.training(realSeen.labels())),
                d.forward(fakeSeen.samples(), c.training(fakeSeen.labels())));
        DiscriminatorOutputs judged = outputs;
        for (Stabiliser s : c.stabilisers()) {
            judged = s.discriminatorOutputs(judged, c);
        }
        NDArray lossValue = c.gan().loss().discriminatorLoss(judged.real(), judged.fake());
        for (Stabiliser s : c.stabilisers()) {
            NDArray penalty = s.discriminatorPenalty(d, realSeen, fakeSeen, c);
            if (penalty != null) {
                lossValue = own(c, lossValue.add(penalty));
            }
        }
        return new Judged(lossValue, outputs);
    }

    /** One generator update, reusing the last discriminator round's fakes when the settings say so. */
    protected double generatorUpdate(StepContext c, DiscriminatorRound last) {
        double lossG = generatorGradients(c, last.real(), last.fake(), last.fakeLabels());
        applyGeneratorUpdate(c);
        return lossG;
    }

    /**
     * Fills the generator's gradients against the discriminator as it is now, on {@code fake}
     * (still attached to the generator's graph) when the settings reuse fakes, else on a fresh
     * batch; returns the generator's loss. The discriminator's weights record no gradient.
     */
    protected double generatorGradients(StepContext c, StepContext.RealBatch real, NDArray fake, NDArray fakeLabels) {
        Network g = c.gan().generator();
        Network d = c.gan().discriminator();
        double lossG;
        d.setRequiresGradient(false);
        try (Autograd.Recording rec = Autograd.record()) {
            NDArray lossValue = generatorLoss(c, real, fake, fakeLabels);
            g.zeroGradients();
            Autograd.backward(lossValue);
            lossG = lossValue.getFloat();
        } finally {
            d.setRequiresGradient(true);
        }
        return lossG;
    }

    /**
     * The generator's loss against the discriminator's current weights, recorded (call it inside a
     * recording): on {@code fake} when the settings reuse fakes, else on a fresh batch.
     */
    protected NDArray generatorLoss(StepContext c, StepContext.RealBatch real, NDArray fake, NDArray fakeLabels) {
        NDArray judged = fake;
        NDArray labels = fakeLabels;
        if (!c.settings().reuseFakes()) {
            long batch = c.settings().batchSize();
            labels = c.fakeLabels(batch);
            judged = c.gan().generator().forward(c.noise(batch), c.training(labels));
        }
        NDArray seen = discriminatorInput(c, judged);
        return matchesFeatures()
                ? featureDistance(c, real, seen, labels)
                : c.gan().loss().generatorLoss(c.gan().discriminator().forward(seen, c.training(labels)));
    }

    /** Steps the generator's optimiser on the gradients {@link #generatorGradients} left. */
    protected void applyGeneratorUpdate(StepContext c) {
        c.generatorOptimizer().step(c.gan().generator(), c.scope());
        for (Stabiliser s : c.stabilisers()) {
            s.afterGeneratorUpdate(c.gan(), c);
        }
    }

    /** Mean over features of the squared difference of batch-mean features, as Improved-GAN's code. */
    private NDArray featureDistance(StepContext c, StepContext.RealBatch real, NDArray fakeSeen, NDArray labels) {
        Network d = c.gan().discriminator();
        int layers = featureLayers > 0 ? featureLayers : d.featureLayerCount();
        NDArray realFeatures;
        try (Autograd.Recording paused = Autograd.pause()) {
            NDArray realSeen = discriminatorInput(c, real.images());
            realFeatures = d.features(realSeen, c.training(real.labels()), layers).mean(new int[] {0});
        }
        NDArray fakeFeatures = d.features(fakeSeen, c.training(labels), layers).mean(new int[] {0});
        return fakeFeatures.sub(realFeatures).square().mean();
    }

    protected static NDArray discriminatorInput(StepContext c, NDArray batch) {
        NDArray x = batch;
        for (Stabiliser s : c.stabilisers()) {
            x = s.discriminatorInput(x, c);
        }
        return x;
    }

    private static NDArray own(StepContext c, NDArray a) {
        a.attach(c.scope());
        return a;
    }
}
