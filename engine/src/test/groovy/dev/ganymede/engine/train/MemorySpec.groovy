package dev.ganymede.engine.train

import com.sun.jna.NativeLibrary
import com.sun.jna.Structure
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.SyntheticDigits
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.SeedNetworks
import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.stabilise.GradientPenalty
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("Training does not leak memory: resident memory stays flat step after step")
@Narrative("""
Every tensor a training step makes lives in native memory that the JVM's garbage collector does
not see. Ganymede frees them by giving each step its own memory scope, closed when the step ends;
a tensor that escapes the scope stays allocated for the rest of the run. Such a leak shows as
resident memory (VmRSS in /proc/self/status) that grows with the number of steps.

Each GAN below first trains a warm-up of 200 steps, during which memory legitimately grows
(optimiser moments are allocated, the JIT and the JVM heap settle). Then memory is read, the GAN
trains 2,000 more steps, and memory is read again after every 250 steps. Before each reading the
Java garbage is collected and the C allocator is asked to return freed memory to the kernel
(glibc's malloc_trim): otherwise memory freed by an earlier spec stays resident, a leak grows into
it unseen, and the reading depends on which specs ran before.

Two numbers are read: VmRSS, what the operating system sees, and the bytes the C allocator has
handed out and not had back (glibc's mallinfo2: uordblks + hblkhd), which is where PyTorch keeps
tensors on the CPU. Even without a leak VmRSS moves by a few tens of MB between readings, because
freed memory cannot always be returned (fragmentation); a leak instead raises every reading more
than the one before. So the growth reported is the lowest of the last four readings (the last
1,000 steps) minus the reading after the warm-up: noise that comes and goes drops out, a leak stays.

Why 60 MB for both: a leak of even one batch-sized tensor per step is at least 50 KB (16 images of
28x28 floats), so at least 62 MB by the first of those four readings, 1,250 steps in; leaking a
copy of a weight matrix or an optimiser moment is far more (the S1 CGAN's weights are 4.5 MB).
Without a leak the lowest of four readings stays within about ±30 MB for VmRSS and ±20 MB for
the allocator's count. A run whose VmRSS grows past four times the bound stops early rather than
exhaust the machine's memory.

The issue asks for flat memory over a 10,000-step run. This spec runs 2,000 steps of the seed 001
CGAN so that the suite stays fast; the seed 002 DCGAN row takes about twice as long and runs with
-Dganymede.long=true. The full measurement is the same spec with a longer run:
  mvn test -pl engine -Dtest=MemorySpec -Dganymede.memory.steps=10000 -Dganymede.long=true
(the bound stays 60 MB: a leak large enough to matter grows five times as much in five times the steps).
""")
class MemorySpec extends Specification {

    static final int WARM_UP = 200
    static final int STEPS = Integer.getInteger("ganymede.memory.steps", 2000)
    static final int CHUNK = 250
    static final long BOUND_MB = 60
    static final boolean LONG = Boolean.getBoolean("ganymede.long")

    @Shared SyntheticDigits digits = SyntheticDigits.generate(2048, 3)

    /** glibc's struct mallinfo2: every field a size_t. */
    @Structure.FieldOrder(["arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"])
    static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost
    }

    /** One reading: VmRSS and the C allocator's bytes in use, both in kB (in use -1 where glibc is not the allocator). */
    static class Memory {
        long residentKb
        long inUseKb
    }

    /** Resident set size of this process in kB, as the kernel reports it. */
    static long residentKb() {
        def line = new File("/proc/self/status").readLines().find { it.startsWith("VmRSS:") }
        line.split(/\s+/)[1] as long
    }

    /**
     * Collects Java garbage, asks glibc to give freed memory back to the kernel (malloc_trim),
     * then reads VmRSS and the allocator's bytes in use (mallinfo2).
     */
    static Memory settledMemory() {
        System.gc()
        Thread.sleep(50)
        long inUse = -1
        try {
            def libc = NativeLibrary.getInstance("c")
            libc.getFunction("malloc_trim").invokeInt([0] as Object[])
            def info = (MallInfo2) libc.getFunction("mallinfo2").invoke(MallInfo2, [] as Object[])
            inUse = (info.uordblks + info.hblkhd).intdiv(1024)
        } catch (UnsatisfiedLinkError ignored) {
            // not glibc (or older than 2.33): VmRSS alone, read without the trim
        }
        new Memory(residentKb: residentKb(), inUseKb: inUse)
    }

    static Gan cgan001() {
        new Gan(SeedNetworks.s1CganGenerator(), SeedNetworks.s1CganDiscriminator(),
                LatentNoise.normal(100), BinaryCrossEntropy.onProbabilities().halveDiscriminator(true), 10)
    }

    static Gan dcgan002() {
        new Gan(SeedNetworks.dcgan002Generator(), SeedNetworks.dcgan002Discriminator(),
                LatentNoise.uniform(-1, 1, 100, 1, 1), BinaryCrossEntropy.onProbabilities(), 0)
    }

    def "#name at batch #batch: memory grows less than 60 MB over #steps steps after a warm-up"() {
        given: "the GAN, trained on the built-in digits with Adam(2e-4, betas (0.5, 0.999))"
        Backend.seed(5)
        Gan gan = make()
        def trainer = Trainer.builder(gan, digits).batchSize(batch).seed(5)
                .generatorOptimizer(Adam.of(2e-4).betas(0.5, 0.999))
                .discriminatorOptimizer(Adam.of(2e-4).betas(0.5, 0.999)).stabilisers(stabilisers).build()

        when: "it trains a warm-up, then #steps steps in chunks of 250, with memory read after each chunk"
        trainer.trainSteps(WARM_UP)
        Memory start = settledMemory()
        List<Memory> readings = []
        long started = System.nanoTime()
        int done = 0
        while (done < STEPS) {
            int chunk = Math.min(CHUNK, STEPS - done)
            trainer.trainSteps(chunk)
            done += chunk
            readings << settledMemory()
            if ((readings.last().residentKb - start.residentKb) / 1024.0 > 4 * BOUND_MB) {
                break // clearly leaking: stop before the machine runs out of memory
            }
        }
        double msPerStep = (System.nanoTime() - started) / 1e6 / done

        and: "the growth that stays is the lowest of the last four readings above the first"
        def lastFour = readings.takeRight(4)
        double residentGrowthMb = (lastFour*.residentKb.min() - start.residentKb) / 1024.0
        double inUseGrowthMb = (lastFour*.inUseKb.min() - start.inUseKb) / 1024.0
        println String.format(Locale.ROOT,
                "%s, batch %d: VmRSS %.1f MB after %d warm-up steps, %.1f MB after %d more; growth %+.1f MB VmRSS, "
                        + "%+.1f MB in use by the C allocator (%.1f ms/step)",
                name, batch, start.residentKb / 1024.0, WARM_UP, readings.last().residentKb / 1024.0, done,
                residentGrowthMb, inUseGrowthMb, msPerStep)
        println "  after each chunk, steps: VmRSS/in-use growth in MB: " + [readings, (1..readings.size())].transpose().collect { Memory m, int k ->
            String.format(Locale.ROOT, "%d: %+.0f/%+.0f", k * CHUNK, (m.residentKb - start.residentKb) / 1024.0, (m.inUseKb - start.inUseKb) / 1024.0)
        }.join(", ")

        then: "resident memory grew by less than the 60 MB a per-step leak would exceed"
        residentGrowthMb < BOUND_MB

        and: "so did the memory PyTorch holds through the C allocator"
        start.inUseKb < 0 || inUseGrowthMb < BOUND_MB

        and: "every step ran and the losses stayed finite"
        trainer.step() == WARM_UP + STEPS
        trainer.history().every { Double.isFinite(it.lossD()) && Double.isFinite(it.lossG()) }

        cleanup:
        trainer?.close()
        gan?.close()

        where: """a conditional MLP GAN (label embedding, BatchNorm1d), the same with a WGAN-GP penalty (a second,
                  create-graph backward pass every step, whose gradients must be dropped, not zeroed),
                  and a convolutional one (transposed convolutions, BatchNorm2d, Dropout)"""
        name                      | make                 | batch | slow  | stabilisers
        "seed 001 CGAN"           | MemorySpec.&cgan001  | 32    | false | []
        "seed 001 CGAN + WGAN-GP" | MemorySpec.&cgan001  | 32    | false | [GradientPenalty.wganGp(10)]
        "seed 002 DCGAN"          | MemorySpec.&dcgan002 | 16    | true  | []
        steps = STEPS

        filter: "the convolutional row takes about twice as long, so it runs with -Dganymede.long=true"
        !slow || LONG
    }
}
