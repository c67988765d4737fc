/*
 * Run it from the repository root:
 *
 *   mvn -q -o -pl engine compile exec:java
 *
 * with options after -Dexec.args, e.g.
 *
 *   mvn -q -o -pl engine compile exec:java -Dexec.args="--steps 100 --warmup 30 --profile"
 *
 * (exec.mainClass defaults to this class in engine/pom.xml; drop -o to let Maven fetch the exec
 * plugin the first time.) The defaults take about 2 minutes on an idle 2-core machine and several
 * times that when other builds share it. Options: --steps N (60), --warmup N (15), --rounds N
 * (12: the timed steps are split into rounds that alternate the variants, so load from other
 * processes falls on all of them), --batch N (64), --data fashion-mnist|digits, --threads N
 * (PyTorch's intra-op threads for both engines; default DJL's, one per core), --profile (phase
 * breakdown of the engine's step), --no-naive, --no-pytorch, --only ours, --python PATH,
 * --pytorch-script PATH, --nice N (default -20, applied when permitted) or --no-renice.
 *
 * On a shared machine read the "median rd" column and the per-round lines as well as the overall
 * figures: two intra-op threads lose several-fold whenever another process holds a core.
 * --threads 1 gives the steadiest comparison of the two engines' work per image.
 */
package dev.ganymede.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.data.Dataset;
import dev.ganymede.engine.data.IdxDataset;
import dev.ganymede.engine.data.SyntheticDigits;
import dev.ganymede.engine.nn.Autograd;
import dev.ganymede.engine.train.Gan;
import dev.ganymede.engine.train.Trainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training speed of seed 004's DCGAN (batch 64, 1x28x28) on the CPU, in images per second, next
 * to the same model in plain PyTorch and written naively on DJL, all measured in one run, and
 * against the arithmetic limit of the machine: the step's FLOPs per image (counted in
 * {@link Seed004}) divided into the peak GFLOP/s a large float32 matrix product reaches here.
 *
 * <p>{@link #main} parses options and prints; {@link #run} does the work and returns a
 * {@link Result}, for a CLI subcommand to call.
 */
public final class DcganBenchmark {

    /** Where the PyTorch reference script lives in the source tree. */
    public static final String SCRIPT = "engine/src/bench/python/dcgan004_pytorch.py";

    private static final Pattern CHUNK_LINE = Pattern.compile("^CHUNK steps=\\d+ seconds=([0-9.]+)");

    /** What to run; {@link #defaults()} is what the command runs without options. */
    public record Options(int steps, int warmup, int rounds, int batch, String data, int threads, boolean profile,
            boolean naive, boolean pytorch, String python, String pytorchScript, int nice) {

        /** No change of scheduling priority. */
        public static final int KEEP_PRIORITY = Integer.MIN_VALUE;

        public static Options defaults() {
            return new Options(60, 15, 12, 64, "fashion-mnist", 0, false, true, true, "/usr/bin/python3", null, -20);
        }

        /** Parses command-line options over the defaults; {@code --steps 60} and {@code --steps=60} alike. */
        public static Options parse(String... given) {
            List<String> split = new ArrayList<>();
            for (String a : given) {
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 2) {
                    split.add(a.substring(0, eq));
                    split.add(a.substring(eq + 1));
                } else {
                    split.add(a);
                }
            }
            String[] args = split.toArray(new String[0]);
            Options d = defaults();
            int steps = d.steps;
            int warmup = d.warmup;
            int rounds = d.rounds;
            int batch = d.batch;
            String data = d.data;
            int threads = d.threads;
            boolean profile = d.profile;
            boolean naive = d.naive;
            boolean pytorch = d.pytorch;
            String python = d.python;
            String script = d.pytorchScript;
            int nice = d.nice;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--steps" -> steps = positive(a, value(args, ++i, a));
                    case "--warmup" -> warmup = nonNegative(a, value(args, ++i, a));
                    case "--rounds" -> rounds = positive(a, value(args, ++i, a));
                    case "--batch" -> batch = positive(a, value(args, ++i, a));
                    case "--threads" -> threads = nonNegative(a, value(args, ++i, a));
                    case "--data" -> data = value(args, ++i, a);
                    case "--python" -> python = value(args, ++i, a);
                    case "--pytorch-script" -> script = value(args, ++i, a);
                    case "--profile" -> profile = true;
                    case "--nice" -> nice = niceValue(value(args, ++i, a));
                    case "--no-renice" -> nice = KEEP_PRIORITY;
                    case "--no-naive" -> naive = false;
                    case "--no-pytorch" -> pytorch = false;
                    case "--only" -> {
                        String what = value(args, ++i, a);
                        if (!what.equals("ours")) {
                            throw new IllegalArgumentException("--only takes 'ours', got " + what);
                        }
                        naive = false;
                        pytorch = false;
                    }
                    case "-h", "--help" -> throw new IllegalArgumentException(usage());
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
                }
            }
            if (!data.equals("fashion-mnist") && !data.equals("digits")) {
                throw new IllegalArgumentException("--data takes fashion-mnist or digits, got " + data);
            }
            if (rounds > steps) {
                throw new IllegalArgumentException("--rounds (" + rounds + ") cannot exceed --steps (" + steps + ")");
            }
            return new Options(steps, warmup, rounds, batch, data, threads, profile, naive, pytorch, python, script,
                    nice);
        }

        /** Every option {@link #parse} takes, as written in {@link #usage}, for "did you mean". */
        public static List<String> names() {
            return Pattern.compile("--[a-z-]+").matcher(usage()).results().map(MatchResult::group).distinct().toList();
        }

        static String usage() {
            return "usage: DcganBenchmark [--steps N] [--warmup N] [--rounds N] [--batch N]"
                    + " [--data fashion-mnist|digits] [--threads N] [--profile] [--no-naive] [--no-pytorch]"
                    + " [--only ours] [--python PATH] [--pytorch-script PATH] [--nice N | --no-renice]";
        }

        private static int niceValue(String v) {
            try {
                int n = Integer.parseInt(v);
                if (n < -20 || n > 19) {
                    throw new IllegalArgumentException("--nice takes -20..19, got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--nice takes a whole number, got " + v);
            }
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String option, String v) {
            int n = nonNegative(option, v);
            if (n == 0) {
                throw new IllegalArgumentException(option + " must be positive");
            }
            return n;
        }

        private static int nonNegative(String option, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n < 0) {
                    throw new IllegalArgumentException(option + " must not be negative, got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a whole number, got " + v);
            }
        }
    }

    /**
     * Speed of one variant in images per second of training (real images consumed, one batch per
     * step): over all timed rounds together, and the median of the rounds (robust to a burst of
     * load from other processes); NaN when the variant was not run.
     */
    public record Speed(double overall, double medianRound, double[] rounds) {

        static final Speed NOT_RUN = new Speed(Double.NaN, Double.NaN, new double[0]);

        public boolean ran() {
            return Double.isFinite(overall);
        }
    }

    /**
     * Figures of one run. {@code limitImagesPerSecond} is the peak GFLOP/s divided by the step's
     * FLOPs per image; {@code medianRoundRatio} is the median over rounds of ours / PyTorch, each
     * round's two figures measured a few seconds apart.
     */
    public record Result(String dataName, int batch, int steps, int threads, Speed ours, Speed naive, Speed pytorch,
            String pytorchNote, double peakGflops, double flopsPerImage, String loadBefore, String loadAfter,
            PhaseProfile.Breakdown profile) {

        public double limitImagesPerSecond() {
            return peakGflops * 1e9 / flopsPerImage;
        }

        /** Ours / PyTorch over all rounds. */
        public double ratioToPytorch() {
            return ours.overall() / pytorch.overall();
        }

        /** The median over rounds of ours / PyTorch within the round. */
        public double medianRoundRatioToPytorch() {
            return medianRatio(ours, pytorch);
        }

        public double medianRoundRatioToNaive() {
            return medianRatio(ours, naive);
        }

        private static double medianRatio(Speed a, Speed b) {
            if (!a.ran() || !b.ran()) {
                return Double.NaN;
            }
            double[] r = new double[a.rounds().length];
            for (int i = 0; i < r.length; i++) {
                r[i] = a.rounds()[i] / b.rounds()[i];
            }
            return median(r);
        }

        public double fractionOfLimit() {
            return ours.overall() / limitImagesPerSecond();
        }

        /** The summary table. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%-34s %10s %10s %11s %11s %9s%n", "variant", "images/s",
                    "median rd", "vs PyTorch", "% of limit", "GFLOP/s"));
            row(sb, "Ganymede engine", ours);
            row(sb, "naive DJL (zero-insertion ConvT)", naive);
            row(sb, "PyTorch (python3-torch, CPU)", pytorch);
            double limit = limitImagesPerSecond();
            row(sb, "arithmetic limit", new Speed(limit, limit, new double[0]));
            sb.append(String.format(Locale.ROOT,
                    "step arithmetic %.1f MFLOP per image; peak %.1f GFLOP/s (2048x2048 float32 matmul via DJL,"
                            + " %d threads); load average %s before, %s after%n", flopsPerImage / 1e6, peakGflops,
                    threads, loadBefore, loadAfter));
            // ratios only to the variants that ran (--no-pytorch, --no-naive, --only ours)
            List<String> ratios = new ArrayList<>();
            if (pytorch.ran()) {
                ratios.add(String.format(Locale.ROOT, "ours / PyTorch = %.2fx overall, %.2fx median of rounds (goal 2x)",
                        ratioToPytorch(), medianRoundRatioToPytorch()));
            }
            if (naive.ran()) {
                ratios.add(String.format(Locale.ROOT, "ours / naive DJL = %.2fx overall, %.2fx median of rounds",
                        ours.overall() / naive.overall(), medianRoundRatioToNaive()));
            }
            if (!ratios.isEmpty()) {
                sb.append(String.join("; ", ratios)).append(System.lineSeparator());
            }
            sb.append(String.format(Locale.ROOT, "ours at %.1f%% of the arithmetic limit overall (%.2fx below it),"
                    + " %.1f%% in the median round%n", 100 * fractionOfLimit(), limit / ours.overall(),
                    100 * ours.medianRound() / limit));
            if (pytorchNote != null) {
                sb.append(pytorchNote).append(System.lineSeparator());
            }
            return sb.toString();
        }

        private void row(StringBuilder sb, String name, Speed speed) {
            if (!speed.ran()) {
                sb.append(String.format(Locale.ROOT, "%-34s %10s%n", name, "not run"));
                return;
            }
            String vs = pytorch.ran() ? String.format(Locale.ROOT, "%.2fx", speed.overall() / pytorch.overall()) : "-";
            sb.append(String.format(Locale.ROOT, "%-34s %10.1f %10.1f %11s %10.1f%% %9.1f%n", name, speed.overall(),
                    speed.medianRound(), vs, 100 * speed.overall() / limitImagesPerSecond(),
                    speed.overall() * flopsPerImage / 1e9));
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private DcganBenchmark() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Result r = run(options, System.out);
        System.out.println();
        System.out.print(r.table());
        System.out.flush();
        // exec:java would otherwise wait for PyTorch's native worker threads
        System.exit(0);
    }

    /** One contender: trains a given number of steps and says how long they took. */
    private interface Variant extends AutoCloseable {
        String name();

        /** Trains {@code steps} steps; returns the seconds they took. */
        double train(int steps);

        @Override
        void close();
    }

    /**
     * Runs the benchmark, printing progress to {@code out}, and returns its figures. The variants
     * are warmed up, then timed in {@code rounds} interleaved chunks (ours, naive, PyTorch, ours,
     * ...), so that a burst of load from other processes falls on all of them alike.
     */
    public static Result run(Options o, PrintStream out) {
        if (o.nice() != Options.KEEP_PRIORITY) {
            out.println(renice(o.nice()));
        }
        Backend.engine();
        if (o.threads() > 0) {
            JniUtils.setNumThreads(o.threads());
        }
        int threads = JniUtils.getNumThreads();
        String loadBefore = loadAverage();
        out.printf(Locale.ROOT, "DCGAN benchmark (seed 004), batch %d, %d warm-up + %d timed steps per variant in %d"
                + " interleaved rounds, PyTorch %s natives, %d intra-op threads, %d cores, load average %s%n",
                o.batch(), o.warmup(), o.steps(), o.rounds(), Backend.engine().getVersion(), threads,
                Runtime.getRuntime().availableProcessors(), loadBefore);

        Dataset data = loadData(o.data(), out);
        String dataFolder = data.name().equals("fashion-mnist") ? IdxDataset.FASHION_MNIST_FOLDER.toString()
                : "/nonexistent-use-synthetic";
        double flops = Seed004.stepFlopsPerImage();
        double peak = peakGflops();
        out.printf(Locale.ROOT, "peak: %.1f GFLOP/s (2048x2048 float32 matmul); step: %.1f MFLOP per image ->"
                + " limit %.0f images/s%n", peak, flops / 1e6, peak * 1e9 / flops);

        List<Variant> variants = new ArrayList<>();
        String note = null;
        double[] seconds;
        int[] done;
        double[][] perRound;
        try {
            variants.add(new Ours(data, o.batch()));
            if (o.naive()) {
                variants.add(new Naive(data, o.batch()));
            }
            if (o.pytorch()) {
                PytorchProcess py = PytorchProcess.start(o, threads, dataFolder, out);
                if (py.failure != null) {
                    note = py.failure;
                    out.println(note);
                } else {
                    variants.add(py);
                }
            }
            for (Variant v : variants) {
                if (o.warmup() > 0) {
                    double s = v.train(o.warmup());
                    out.printf(Locale.ROOT, "  warm-up %-10s %6.1f images/s%n", v.name(), o.warmup() * (double) o.batch() / s);
                }
            }
            seconds = new double[variants.size()];
            done = new int[variants.size()];
            perRound = new double[variants.size()][o.rounds()];
            for (int round = 0; round < o.rounds(); round++) {
                int chunk = o.steps() / o.rounds() + (round < o.steps() % o.rounds() ? 1 : 0);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d/%d:", round + 1, o.rounds()));
                for (int i = 0; i < variants.size(); i++) {
                    double s = variants.get(i).train(chunk);
                    seconds[i] += s;
                    done[i] += chunk;
                    perRound[i][round] = chunk * (double) o.batch() / s;
                    line.append(String.format(Locale.ROOT, "  %s %.1f", variants.get(i).name(), chunk * (double) o.batch() / s));
                }
                out.println(line.append(" images/s"));
            }
        } finally {
            for (Variant v : variants) {
                v.close();
            }
        }
        Speed ours = Speed.NOT_RUN;
        Speed naive = Speed.NOT_RUN;
        Speed pytorch = Speed.NOT_RUN;
        for (int i = 0; i < variants.size(); i++) {
            Speed speed = new Speed(done[i] * (double) o.batch() / seconds[i], median(perRound[i]), perRound[i]);
            switch (variants.get(i).name()) {
                case "ours" -> ours = speed;
                case "naive" -> naive = speed;
                default -> pytorch = speed;
            }
        }
        peak = Math.max(peak, peakGflops());

        PhaseProfile.Breakdown profile = null;
        if (o.profile()) {
            profile = PhaseProfile.run(data, o.batch(), Math.min(o.warmup(), 10), Math.max(10, o.steps() / 2), 1);
            out.print(profile.format());
        }
        String loadAfter = loadAverage();
        return new Result(data.name(), o.batch(), o.steps(), threads, ours, naive, pytorch, note, peak, flops,
                loadBefore, loadAfter, profile);
    }

    /**
     * Gives every thread of this process the nice value {@code nice}, before PyTorch starts its
     * worker threads and the PyTorch reference is spawned, so that all of them inherit it. On a
     * machine shared with builds and tests, two intra-op threads that must meet at a barrier after
     * every operator lose several-fold whenever another process holds a core; at the highest
     * priority the timed code keeps the cores and the figures describe the code, not the load.
     * Both engines run at the same priority. Lowering nice needs root; otherwise this is a no-op.
     */
    static String renice(int nice) {
        List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> cmd.add(t.getFileName().toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "note: could not raise the priority (renice -n " + nice + "): " + output
                        + "; figures may suffer from other processes (see --no-renice)";
            }
            return "priority: nice " + nice + " for this process and the PyTorch reference (--no-renice to keep it)";
        } catch (IOException | RuntimeException e) {
            return "note: could not raise the priority: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "note: interrupted while raising the priority";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static Dataset loadData(String name, PrintStream out) {
        if (name.equals("fashion-mnist")) {
            try {
                return IdxDataset.fashionMnist(true);
            } catch (GanymedeException e) {
                out.println("note: Fashion-MNIST is not available (" + e.getMessage()
                        + "); using the built-in digits instead");
            }
        }
        return SyntheticDigits.generate(60_000, 1);
    }

    /** Best-of GFLOP/s of a 2048x2048 float32 matrix product through DJL. */
    static double peakGflops() {
        int n = 2048;
        double flop = 2.0 * n * n * n;
        double best = 0;
        try (NDManager m = Backend.engine().newBaseManager(Device.cpu());
                Autograd.Recording paused = Autograd.pause()) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n), DataType.FLOAT32);
            NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n), DataType.FLOAT32);
            for (int i = 0; i < 13; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.close();
                double s = (System.nanoTime() - t0) / 1e9;
                if (i >= 3) {
                    best = Math.max(best, flop / s / 1e9);
                }
            }
        }
        return best;
    }

    /** The engine's own training loop: Trainer with AlternatingUpdates, as the gan command runs it. */
    private static final class Ours implements Variant {
        private final Gan gan;
        private final Trainer trainer;

        Ours(Dataset data, int batch) {
            gan = Seed004.gan(Device.cpu());
            trainer = Trainer.builder(gan, data).batchSize(batch).seed(1).build();
        }

        @Override
        public String name() {
            return "ours";
        }

        @Override
        public double train(int steps) {
            long t0 = System.nanoTime();
            trainer.trainSteps(steps);
            return (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public void close() {
            trainer.close();
            gan.close();
        }
    }

    private static final class Naive implements Variant {
        private final NaiveDjlDcgan model;

        Naive(Dataset data, int batch) {
            model = new NaiveDjlDcgan(data, batch, 1);
        }

        @Override
        public String name() {
            return "naive";
        }

        @Override
        public double train(int steps) {
            long t0 = System.nanoTime();
            float[] losses = null;
            for (int i = 0; i < steps; i++) {
                losses = model.step();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (!Float.isFinite(losses[0] + losses[1])) {
                throw new GanymedeException("the naive DJL variant diverged");
            }
            return s;
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** The PyTorch script in --serve mode, driven through its standard input. */
    private static final class PytorchProcess implements Variant {
        private final Process process;
        private final BufferedReader from;
        private final PrintStream to;
        private final PrintStream log;
        final String failure;

        private PytorchProcess(Process process, PrintStream log, String failure) {
            this.process = process;
            this.log = log;
            this.failure = failure;
            this.from = process == null ? null
                    : new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.to = process == null ? null : new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static PytorchProcess start(Options o, int threads, String dataFolder, PrintStream out) {
            Path python = Path.of(o.python());
            if (!Files.isExecutable(python)) {
                return new PytorchProcess(null, out, "PyTorch reference not run: " + python + " is not there");
            }
            Path script = findScript(o.pytorchScript());
            if (script == null) {
                return new PytorchProcess(null, out, "PyTorch reference not run: " + SCRIPT
                        + " not found from the working directory (pass --pytorch-script PATH)");
            }
            try {
                Process check = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true).start();
                check.getInputStream().readAllBytes();
                if (!check.waitFor(120, TimeUnit.SECONDS) || check.exitValue() != 0) {
                    return new PytorchProcess(null, out, "PyTorch reference not run: " + python
                            + " cannot import torch (apt-get install python3-torch)");
                }
                List<String> cmd = List.of(python.toString(), script.toString(), "--serve", "--batch",
                        Integer.toString(o.batch()), "--threads", Integer.toString(threads), "--data", dataFolder);
                PytorchProcess p = new PytorchProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(), out, null);
                String line;
                while ((line = p.from.readLine()) != null && !line.equals("READY")) {
                    out.println("  [pytorch] " + line);
                }
                if (line == null) {
                    p.close();
                    return new PytorchProcess(null, out, "PyTorch reference failed to start, see its output above");
                }
                return p;
            } catch (IOException e) {
                return new PytorchProcess(null, out, "PyTorch reference not run: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new PytorchProcess(null, out, "PyTorch reference interrupted");
            }
        }

        @Override
        public String name() {
            return "pytorch";
        }

        @Override
        public double train(int steps) {
            to.println("run " + steps);
            try {
                String line;
                while ((line = from.readLine()) != null) {
                    Matcher m = CHUNK_LINE.matcher(line);
                    if (m.find()) {
                        return Double.parseDouble(m.group(1));
                    }
                    log.println("  [pytorch] " + line);
                }
            } catch (IOException e) {
                throw new GanymedeException("lost the PyTorch reference process: " + e.getMessage(), e);
            }
            throw new GanymedeException("the PyTorch reference process ended early (exit "
                    + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }

        @Override
        public void close() {
            if (process == null) {
                return;
            }
            to.println("quit");
            to.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }

    private static Path findScript(String given) {
        if (given != null) {
            Path p = Path.of(given);
            return Files.isRegularFile(p) ? p : null;
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            for (String candidate : List.of(SCRIPT, SCRIPT.substring("engine/".length()))) {
                Path p = dir.resolve(candidate);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
