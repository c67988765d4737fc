package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.engine.Backend;
import dev.ganymede.dsl.Words;
import dev.ganymede.engine.bench.DcganBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `gan bench`: the benchmarks that say whether the engine is fast and the stabilisers work. */
@Command(name = "bench", description = "Run a benchmark: mixtures (mode coverage of GAN variants) or dcgan (training speed).",
        subcommands = {BenchCommand.Mixtures.class, BenchCommand.Dcgan.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    GanCommand parent;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "mixtures", description = "Train GAN variants on the ring of 8 and the grid of 25 Gaussians and "
            + "score modes captured, high-quality samples and reverse KL (the PacGAN paper's table 1).")
    static final class Mixtures implements Callable<Integer> {
        @Option(names = "--trials", description = "trials (seeds 1..N) per variant and mixture (default: 3)")
        Integer trials;

        @Option(names = "--seeds", paramLabel = "LIST", description = "the seeds to train instead, as numbers and ranges "
                + "separated by commas: 2, 2,5 or 4-6 (adds trials to a table built in earlier sittings or on other machines)")
        String seedList;

        @Option(names = "--variants", split = ",", arity = "1..*", paramLabel = "SCRIPT",
                description = "variant scripts, separated by commas or spaces (default: scripts/mixture-gan.gan, -pacgan2, -pacgan4, -unrolled)")
        List<Path> variants = new ArrayList<>();

        @Option(names = "--data", split = ",", arity = "1..*", description = "mixtures: ring, grid, separated by commas or spaces (default: both)")
        List<String> data = new ArrayList<>(List.of("ring", "grid"));

        @Option(names = "--steps", description = "training steps per trial (default: each script's own)")
        Long steps;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting of every variant script, as gan run "
                + "--set (batch, lr.g, lr.d, dSteps, loss, updates, ... or a params.KEY the scripts read); data and seed are the benchmark's own")
        Map<String, String> sets = new LinkedHashMap<>();

        @Option(names = "--jobs", description = "trials trained at once, each in its own process with cores/jobs threads "
                + "(default: ${DEFAULT-VALUE}: one after the other in this process)")
        int jobs = 1;

        @Option(names = "--out", paramLabel = "DIR", description = "where the table, the scatter plots and the trials' run folders "
                + "(DIR/runs) go; finished trials found there with the same script code (comments aside) and settings are reused (default: ${DEFAULT-VALUE})")
        Path out = Path.of("runs", "bench-mixtures");

        @Option(names = "--device", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
        String device = "auto";

        @CommandLine.Mixin
        GanCommand.StackTraceOption stackTrace;

        @CommandLine.ParentCommand
        BenchCommand bench;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream console = bench.parent.out();
            if (trials != null && trials < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--trials must be at least 1, got " + trials);
            }
            if (trials != null && seedList != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--trials " + trials + " and --seeds " + seedList
                        + " both choose the trials: give one (--trials N is --seeds 1-N)");
            }
            List<Integer> seeds;
            try {
                seeds = seedList != null ? MixtureBenchmark.parseSeeds(seedList)
                        : IntStream.rangeClosed(1, trials == null ? 3 : trials).boxed().toList();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (jobs < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1, got " + jobs);
            }
            for (String d : data) {
                if (!d.equals("ring") && !d.equals("grid")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--data takes ring and/or grid, got '" + d + "'");
                }
            }
            for (String own : List.of("data", "seed")) {
                if (sets.containsKey(own)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--set " + own + "=" + sets.get(own)
                            + ": the benchmark sets " + own + " itself (" + (own.equals("data") ? "choose mixtures with --data ring,grid"
                            : "trial n uses seed n; choose how many with --trials, or which with --seeds") + ")");
                }
            }
            if (steps != null && sets.containsKey("steps")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--steps " + steps + " and --set steps="
                        + sets.get("steps") + " say the same thing twice: give one");
            }
            List<Path> scripts = variants.isEmpty() ? MixtureBenchmark.defaultScripts(Path.of("scripts")) : variants;
            for (Path s : scripts) {
                if (!Files.isRegularFile(s)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "no such variant script: " + s);
                }
            }
            Device dev = Backend.device(Backend.DeviceChoice.parse(device));
            console.println("Ganymede " + Backend.version() + " | mixture benchmark | device " + Backend.describe(dev) + " | "
                    + seeds.size() + " trial(s) (" + MixtureBenchmark.describeSeeds(seeds) + ") of " + scripts.size()
                    + " variant(s) on " + String.join(" and ", data)
                    + (jobs > 1 ? ", " + jobs + " at a time" : ""));
            List<MixtureBenchmark.Result> results;
            try {
                results = new MixtureBenchmark(dev, device, console).run(scripts, data, seeds, steps, sets, jobs, out);
            } catch (MixtureBenchmark.TrialsFailed e) {
                if (e.finished().stream().anyMatch(r -> !r.trials().isEmpty())) {
                    console.println();
                    console.println("The trials that finished:");
                    console.print(MixtureBenchmark.table(e.finished(), seeds, sets));
                }
                throw e;
            }
            String table = MixtureBenchmark.table(results, seeds, sets);
            console.println();
            console.print(table);
            try {
                Files.createDirectories(out);
                Files.writeString(out.resolve("mixtures.md"), table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            console.println("table and scatter plots: " + out + " | trials' run folders: " + out.resolve("runs"));
            return 0;
        }
    }

    @Command(name = "dcgan", description = "Time training of seed 004's DCGAN (batch 64, 28x28) against PyTorch and a naive "
            + "DJL port, in images per second. Options, passed to the engine's DcganBenchmark: --steps N (60), "
            + "--warmup N (15), --rounds N (12), --batch N (64), --data fashion-mnist|digits, --threads N, --profile, "
            + "--no-naive, --no-pytorch, --only ours, --python PATH, --pytorch-script PATH, --nice N | --no-renice.",
            customSynopsis = "gan bench dcgan [-hV] [OPTION...]")
    static final class Dcgan implements Callable<Integer> {
        // the benchmark parses its own options (its main takes the same), so picocli hands them all over
        @CommandLine.Unmatched
        List<String> options = new ArrayList<>();

        @CommandLine.ParentCommand
        BenchCommand bench;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintStream console = bench.parent.out();
            DcganBenchmark.Options parsed;
            List<String> names = DcganBenchmark.Options.names();
            for (String option : options) {
                // no value of these options starts with a dash and a letter, so such a word names an
                // option (--steps=60 too); misspelt, it gets a suggestion
                String name = option.split("=", 2)[0];
                if (name.matches("--?[A-Za-z].*") && !names.contains(name)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "unknown option " + name
                            + Words.didYouMean(name, names));
                }
            }
            try {
                parsed = DcganBenchmark.Options.parse(options.toArray(new String[0]));
            } catch (IllegalArgumentException e) {
                // first line only: picocli follows it with this command's usage, not the engine class's
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage().lines().findFirst().orElse(""));
            }
            DcganBenchmark.Result r = DcganBenchmark.run(parsed, console);
            console.println();
            console.print(r.table());
            return 0;
        }
    }
}
