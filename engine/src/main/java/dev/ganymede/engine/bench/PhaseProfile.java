package dev.ganymede.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.data.DataLoader;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.data.HostBatch;
import dev.ganymede.engine.loss.AdversarialLoss;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.nn.ForwardContext;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.Torch;
import dev.ganymede.engine.optim.Adam;
import dev.ganymede.engine.train.Gan;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a training step's time goes. The step is the one {@code AlternatingUpdates} takes with one
 * discriminator update and reused fakes, made of the same engine calls, with a clock read between
 * the phases. PyTorch runs every CPU operator synchronously on the calling thread, so the time
 * between two calls is the time of the operators in between.
 *
 * <p>The generator step's single backward pass is split in two here to tell its halves apart:
 * back to a detached copy of the fakes (D's input gradients) and then from those into G. Both
 * halves together do exactly the work of the single pass.
 */
public final class PhaseProfile {

    /** The phases of one step, in the order they run. */
    public enum Phase {
        DATA("real batch: loader + copy to native"),
        NOISE("latent noise"),
        G_FORWARD("G forward (shared by both updates)"),
        D_FORWARD("D forward, real + fake, and loss"),
        D_BACKWARD("D backward (weight grads), zeroing"),
        D_ADAM("Adam on D"),
        G_STEP_D_FORWARD("G step: D forward on fakes + loss"),
        G_STEP_D_BACKWARD("G step: D backward, input grads only"),
        G_BACKWARD("G step: G backward, zeroing"),
        G_ADAM("Adam on G"),
        SCALARS("loss and D-output scalars to Java"),
        FREE("freeing the step's native memory");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /**
     * Milliseconds per step of each phase, and the total: wall-clock time, and the CPU time of the
     * calling thread (all of the work when PyTorch runs one intra-op thread, and then unaffected by
     * other processes competing for the cores).
     */
    public record Breakdown(int batch, int steps, int threads, Map<Phase, Double> millis, Map<Phase, Double> cpuMillis,
            double totalMillis, double totalCpuMillis) {

        public double imagesPerSecond() {
            return batch * 1000.0 / totalMillis;
        }

        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "  phase breakdown, batch %d, %d intra-op thread%s, mean of %d steps"
                    + " (wall ms, share; CPU ms of the training thread, share):%n", batch, threads, threads == 1 ? "" : "s",
                    steps));
            for (Phase p : millis.keySet()) {
                sb.append(String.format(Locale.ROOT, "    %-42s %8.2f ms %5.1f%%  %8.2f ms %5.1f%%%n", p.label,
                        millis.get(p), 100 * millis.get(p) / totalMillis, cpuMillis.get(p),
                        100 * cpuMillis.get(p) / totalCpuMillis));
            }
            sb.append(String.format(Locale.ROOT, "    %-42s %8.2f ms (%.1f images/s)  %8.2f ms (%.1f images/s)%n",
                    "step", totalMillis, imagesPerSecond(), totalCpuMillis, batch * 1000.0 / totalCpuMillis));
            return sb.toString();
        }
    }

    private PhaseProfile() {}

    /** Profiles {@code steps} steps after {@code warmup} untimed ones, at the current thread settings. */
    public static Breakdown run(Dataset data, int batch, int warmup, int steps, long seed) {
        Backend.seed(seed);
        Map<Phase, Long> nanos = new EnumMap<>(Phase.class);
        Map<Phase, Long> cpuNanos = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            nanos.put(p, 0L);
            cpuNanos.put(p, 0L);
        }
        try (Gan gan = Seed004.gan(ai.djl.Device.cpu());
                Adam optG = Adam.of(2e-4).betas(0.5, 0.999);
                Adam optD = Adam.of(2e-4).betas(0.5, 0.999);
                DataLoader loader = DataLoader.builder(data).batchSize(batch).shuffle(true).dropLast(true)
                        .seed(seed).build();
                NDManager root = Backend.engine().newBaseManager()) {
            long total = 0;
            long totalCpu = 0;
            for (int i = 0; i < warmup + steps; i++) {
                boolean timed = i >= warmup;
                Clock clock = timed ? new Clock(nanos, cpuNanos) : new Clock(new EnumMap<>(Phase.class),
                        new EnumMap<>(Phase.class));
                long t0 = System.nanoTime();
                long c0 = Clock.cpu();
                step(gan, optG, optD, loader, root, batch, clock);
                if (timed) {
                    total += System.nanoTime() - t0;
                    totalCpu += Clock.cpu() - c0;
                }
            }
            return new Breakdown(batch, steps, JniUtils.getNumThreads(), perStep(nanos, steps),
                    perStep(cpuNanos, steps), total / 1e6 / steps, totalCpu / 1e6 / steps);
        }
    }

    private static Map<Phase, Double> perStep(Map<Phase, Long> nanos, int steps) {
        Map<Phase, Double> ms = new EnumMap<>(Phase.class);
        for (Map.Entry<Phase, Long> e : nanos.entrySet()) {
            ms.put(e.getKey(), e.getValue() / 1e6 / steps);
        }
        return ms;
    }

    private static final class Clock {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final Map<Phase, Long> wall;
        private final Map<Phase, Long> cpu;
        private long lastWall = System.nanoTime();
        private long lastCpu = cpu();

        Clock(Map<Phase, Long> wall, Map<Phase, Long> cpu) {
            this.wall = wall;
            this.cpu = cpu;
        }

        static long cpu() {
            return THREADS.getCurrentThreadCpuTime();
        }

        void lap(Phase p) {
            long now = System.nanoTime();
            long nowCpu = cpu();
            wall.merge(p, now - lastWall, Long::sum);
            cpu.merge(p, nowCpu - lastCpu, Long::sum);
            lastWall = now;
            lastCpu = nowCpu;
        }
    }

    private static void step(Gan gan, Adam optG, Adam optD, DataLoader loader, NDManager root, int batch,
            Clock clock) {
        Network g = gan.generator();
        Network d = gan.discriminator();
        AdversarialLoss loss = gan.loss();
        NDManager scope = root.newSubManager();
        ForwardContext ctx = new ForwardContext(scope, true);

        HostBatch hb = loader.next();
        NDArray real = scope.create(hb.data(), new Shape(batch, 1, 28, 28));
        clock.lap(Phase.DATA);
        NDArray z = gan.latent().sample(scope, batch);
        clock.lap(Phase.NOISE);

        NDArray fake;
        try (Autograd.Recording rec = Autograd.record()) {
            fake = g.forward(z, ctx);
        }
        clock.lap(Phase.G_FORWARD);
        NDArray outReal;
        NDArray outFake;
        NDArray lossD;
        try (Autograd.Recording rec = Autograd.record()) {
            outReal = d.forward(real, ctx);
            outFake = d.forward(fake.stopGradient(), ctx);
            lossD = loss.discriminatorLoss(outReal, outFake);
            clock.lap(Phase.D_FORWARD);
            d.zeroGradients();
            Autograd.backward(lossD);
        }
        clock.lap(Phase.D_BACKWARD);
        optD.step(d, scope);
        clock.lap(Phase.D_ADAM);

        NDArray lossG;
        d.setRequiresGradient(false);
        try (Autograd.Recording rec = Autograd.record()) {
            NDArray leaf = fake.stopGradient();
            leaf.setRequiresGradient(true);
            lossG = loss.generatorLoss(d.forward(leaf, ctx));
            clock.lap(Phase.G_STEP_D_FORWARD);
            Autograd.backward(lossG);
            NDArray gradFake = Autograd.gradient(leaf, scope);
            clock.lap(Phase.G_STEP_D_BACKWARD);
            g.zeroGradients();
            JniUtils.backward(Torch.pt(fake), Torch.pt(gradFake), false, false);
        } finally {
            d.setRequiresGradient(true);
        }
        clock.lap(Phase.G_BACKWARD);
        optG.step(g, scope);
        clock.lap(Phase.G_ADAM);
        float sum = lossD.getFloat() + lossG.getFloat();
        sum += (float) loss.reportedMean(outReal) + (float) loss.reportedMean(outFake);
        if (!Float.isFinite(sum)) {
            throw new IllegalStateException("the profiled step diverged");
        }
        clock.lap(Phase.SCALARS);
        scope.close();
        clock.lap(Phase.FREE);
    }
}
