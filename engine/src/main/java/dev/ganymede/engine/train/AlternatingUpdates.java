package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import dev.ganymede.engine.loss.AdversarialLoss;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.Network;

/**
 * The classic two-player step: k discriminator updates on real batches and detached fakes, then one
 * generator update through a discriminator whose weights record no gradients. Gradients are
 * cleared before every backward pass, since DJL never clears them.
 */
public final class AlternatingUpdates implements TrainingStrategy {

    @Override
    public StepFigures step(StepContext c) {
        Gan gan = c.gan();
        Network g = gan.generator();
        Network d = gan.discriminator();
        AdversarialLoss loss = gan.loss();
        TrainingSettings settings = c.settings();
        int k = settings.discriminatorSteps();

        double lossD = 0;
        double dReal = 0;
        double dFake = 0;
        NDArray keptFake = null;
        NDArray keptLabels = null;
        for (int i = 0; i < k; i++) {
            StepContext.RealBatch real = c.nextRealBatch();
            NDArray z = c.noise(real.size());
            NDArray fakeLabels = c.fakeLabels(real.size());
            // only the fake batch the generator step will reuse needs its graph
            boolean keep = settings.reuseFakes() && i == k - 1;
            NDArray fake;
            NDArray outReal;
            NDArray outFake;
            NDArray lossValue;
            try (Autograd.Recording rec = keep ? Autograd.record() : Autograd.pause()) {
                fake = g.forward(z, c.training(fakeLabels));
            }
            try (Autograd.Recording rec = Autograd.record()) {
                outReal = d.forward(real.images(), c.training(real.labels()));
                outFake = d.forward(fake.stopGradient(), c.training(fakeLabels));
                lossValue = loss.discriminatorLoss(outReal, outFake);
                d.zeroGradients();
                Autograd.backward(lossValue);
            }
            c.discriminatorOptimizer().step(d, c.scope());
            if (keep) {
                keptFake = fake;
                keptLabels = fakeLabels;
            }
            if (i == k - 1) {
                lossD = lossValue.getFloat();
                dReal = loss.reportedMean(outReal);
                dFake = loss.reportedMean(outFake);
            }
        }

        double lossG;
        d.setRequiresGradient(false);
        try (Autograd.Recording rec = Autograd.record()) {
            NDArray fake = keptFake;
            NDArray labels = keptLabels;
            if (fake == null) {
                long batch = settings.batchSize();
                labels = c.fakeLabels(batch);
                fake = g.forward(c.noise(batch), c.training(labels));
            }
            NDArray lossValue = loss.generatorLoss(d.forward(fake, c.training(labels)));
            g.zeroGradients();
            Autograd.backward(lossValue);
            lossG = lossValue.getFloat();
        } finally {
            d.setRequiresGradient(true);
        }
        c.generatorOptimizer().step(g, c.scope());
        return new StepFigures(lossD, lossG, dReal, dFake, c.realImages());
    }
}
