package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.dsl.Comparison;
import dev.ganymede.dsl.GanDefinition;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.dsl.ScriptRunner;
import dev.ganymede.docs.DocsCommand;
import dev.ganymede.dsl.Interval;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.metrics.Evaluator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The `gan` command: run, check and sample GANs declared in .gan scripts. */
// INHERIT: every subcommand takes -h/--help too (`gan run --help`, `gan bench mixtures --help`)
@Command(name = "gan", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = GanCommand.Version.class,
        description = "Declare, train and study generative adversarial networks.",
        subcommands = {GanCommand.Run.class, GanCommand.Resume.class, GanCommand.Check.class, GanCommand.Sample.class, GanCommand.Eval.class,
                GanCommand.Report.class, BenchCommand.class, DocsCommand.class, GanCommand.Help.class})
public final class GanCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintStream out = System.out;

    PrintStream out() {
        return out;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command with given streams; returns the exit code (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        GanCommand command = new GanCommand();
        command.out = out;
        CommandLine cl = new CommandLine(command);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean trace = parseResult.expandedArgs().contains("--stacktrace");
            if (e instanceof GanymedeException) {
                err.println(e.getMessage());
            } else {
                err.println("Error: " + e);
            }
            if (trace) {
                e.printStackTrace(err);
            } else if (!(e instanceof GanymedeException)) {
                err.println("(run again with --stacktrace for the details)");
            }
            return 1;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Ganymede " + Backend.version() + " (DJL 0.29.0, PyTorch 2.3.1, Java "
                    + System.getProperty("java.version") + ")"};
        }
    }

    /**
     * `--stacktrace`, which every command accepts: the error handler reads it from the arguments
     * (it must work even when the command failed before its fields were set).
     */
    static final class StackTraceOption {
        @Option(names = "--stacktrace", description = "show the full stack trace of an error")
        boolean requested;
    }

    /** Options every script-reading subcommand shares. */
    static class ScriptOptions {
        @Parameters(index = "0", paramLabel = "SCRIPT", description = "the .gan script")
        Path script;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting (data, batch, epochs, steps, seed, loss, dSteps, samples, lr.g, lr.d, updates) or a params.KEY the script reads")
        Map<String, String> sets = new LinkedHashMap<>();

        @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "auto", description = "where to train (default: ${DEFAULT-VALUE}: the GPU when DJL sees one)")
        String device;

        @CommandLine.Mixin
        StackTraceOption stackTrace;

        Device resolveDevice() {
            return Backend.device(Backend.DeviceChoice.parse(device));
        }
    }

    /** `gan help [COMMAND [SUBCOMMAND] | WORD]`: a command's usage, or the help of a word of the language. */
    @Command(name = "help", description = "Show help on a command (gan help run, gan help bench mixtures) or on a word of "
            + "the .gan language (gan help conv).")
    static final class Help implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "TOPIC", description = "a command (with its subcommand) or a word of the language")
        java.util.List<String> topics = new java.util.ArrayList<>();

        @CommandLine.ParentCommand
        GanCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine root = spec.parent().commandLine();
            java.io.PrintWriter out = root.getOut();
            String topic = topics.isEmpty() ? null : topics.get(0);
            if (topic == null) {
                root.usage(out);
                out.println();
                out.println("Words of the .gan language: " + String.join(", ", dev.ganymede.dsl.LanguageHelp.getWORDS().keySet())
                        + "  (gan help WORD)");
                out.println("Techniques by name: " + String.join(", ", dev.ganymede.dsl.LanguageHelp.getTECHNIQUES().keySet())
                        + "  (gan help ttur: the words that declare it)");
            } else if (root.getSubcommands().containsKey(topic)) {
                CommandLine command = root.getSubcommands().get(topic);
                for (String sub : topics.subList(1, topics.size())) {
                    if (!command.getSubcommands().containsKey(sub)) {
                        java.util.Set<String> subs = command.getSubcommands().keySet();
                        out.println("no help on '" + String.join(" ", topics) + "': " + command.getCommandSpec().qualifiedName()
                                + (subs.isEmpty() ? " has no subcommands" : " has " + String.join(", ", subs)
                                + dev.ganymede.dsl.Words.didYouMean(sub, new java.util.ArrayList<>(subs))));
                        out.flush();
                        return 1;
                    }
                    command = command.getSubcommands().get(sub);
                }
                command.usage(out);
            } else if (topics.size() > 1) {
                out.println("no help on '" + String.join(" ", topics) + "': '" + topic + "' is not a command");
                out.flush();
                return 1;
            } else if (dev.ganymede.dsl.LanguageHelp.of(topic) != null) {
                out.println(topic + ": " + dev.ganymede.dsl.LanguageHelp.of(topic));
            } else {
                out.println("no help on '" + topic + "'"
                        + dev.ganymede.dsl.LanguageHelp.didYouMean(topic, root.getSubcommands().keySet()));
                out.flush();
                return 1;
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "run", description = "Train the GAN a script declares and write its run folder.")
    static final class Run extends ScriptOptions implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/SCRIPT-TIMESTAMP)")
        Path out;

        @Option(names = "--steps", description = "train for N generator steps instead of the script's duration")
        Long steps;

        @Option(names = "--epochs", description = "train for N epochs instead of the script's duration")
        Integer epochs;

        @Option(names = "--batch", description = "batch size")
        Integer batch;

        @Option(names = "--seed", description = "random seed")
        Long seed;

        @Option(names = "--checkpoint", description = "save a resumable checkpoint at the end of every epoch, as `every(1.epoch) { checkpoint }` in a script does (gan resume RUN_DIR continues a stopped run)")
        boolean checkpoint;

        @CommandLine.ParentCommand
        GanCommand parent;

        @Override
        public Integer call() {
            PrintStream console = parent.out();
            if (steps != null) sets.put("steps", steps.toString());
            if (epochs != null) sets.put("epochs", epochs.toString());
            if (batch != null) sets.put("batch", batch.toString());
            if (seed != null) sets.put("seed", seed.toString());
            Device dev = resolveDevice();
            GanDefinition definition = new ScriptRunner().load(script, sets);
            String source = readScript(script);
            if (definition.getComparedKey() != null) {
                if (checkpoint) {
                    throw new GanymedeException(script.getFileName() + " compares " + definition.getComparedKey()
                            + ": --checkpoint is for one run (train the compared values one by one with --set "
                            + definition.getComparedKey() + "=VALUE --checkpoint)");
                }
                return compare(definition, source, dev, console);
            }
            try (GanSession session = new GanSession(definition, source, dev)) {
                session.setMetricsLog(console::println); // "training the feature network ..." when metrics need one
                session.setCheckpointing(checkpoint);
                Path folder = session.useRunFolder(out);
                console.println("Ganymede " + Backend.version() + " | " + script.getFileName() + " | device " + Backend.describe(dev));
                train(session, console, folder, onTerminal());
            }
            return 0;
        }

        static void train(GanSession session, PrintStream console, Path folder, boolean terminal) {
            train(session, null, console, folder, terminal);
        }

        /**
         * Prints the data line, trains with a progress line (a redrawn bar when {@code terminal}),
         * prints the throughput; gan run and the benchmark's in-process trials print the same.
         */
        static void train(GanSession session, Interval part, PrintStream console, Path folder, boolean terminal) {
            Interval duration = part != null ? part : session.getDefinition().getDuration();
            long total = session.stepsOf(duration);
            console.println(String.format(java.util.Locale.ROOT, "data: %s (%,d samples) | %s | batch %d | G %,d parameters, D %,d parameters",
                    session.dataset().name(), session.dataset().size(),
                    duration.isEpochs() ? duration + " = " + total + " steps" : duration.toString(),
                    session.getDefinition().getBatchSize(), session.getGan().generator().parameterCount(),
                    session.getGan().discriminator().parameterCount()));
            long stepsBefore = session.trainer().step();
            Progress progress = new Progress(console, terminal, total, stepsBefore);
            long start = System.nanoTime();
            session.train(part, progress);
            double seconds = (System.nanoTime() - start) / 1e9;
            long stepsDone = session.trainer().step() - stepsBefore;
            long images = stepsDone * session.getDefinition().getBatchSize() * session.getDefinition().getDiscriminatorSteps();
            // time spent measuring (metrics) is not training time
            double measuring = session.metricsTracker() == null ? 0 : session.metricsTracker().seconds();
            console.printf(java.util.Locale.ROOT, "trained %d steps in %s%s: %.1f images/s | run folder: %s%n",
                    stepsDone, Progress.duration(seconds), measuring > 0 ? " (" + Progress.duration(measuring)
                    + " of it measuring metrics)" : "", images / Math.max(1e-9, seconds - measuring), folder);
        }

        /** Whether progress can be a redrawn bar: a console that is not CI's log. */
        static boolean onTerminal() {
            return System.console() != null && System.getenv("CI") == null;
        }

        /** `compare KEY: [values]`: one run per value in sub-folders, then their losses in one figure. */
        private Integer compare(GanDefinition definition, String source, Device dev, PrintStream console) {
            Path folder = out != null ? out : GanSession.defaultRunFolder(definition.getScriptName());
            console.println("Ganymede " + Backend.version() + " | " + script.getFileName() + " | device " + Backend.describe(dev)
                    + " | comparing " + definition.getComparedKey() + ": " + String.join(", ", definition.getComparedValues()));
            Path figure = new Comparison(definition, source, dev).run(folder, (label, session) -> {
                console.println("-- " + label + ": loss " + session.getGan().loss().describe());
                train(session, console, session.runFolder(), onTerminal());
            });
            console.println("compared " + definition.getVariants().size() + " runs | figure: " + figure);
            return 0;
        }

        private static String readScript(Path script) {
            try {
                return java.nio.file.Files.readString(script);
            } catch (java.io.IOException e) {
                throw new GanymedeException("could not read " + script + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "resume", description = {
        "Continue a stopped run from its checkpoint, in its own folder, to the end of its script's duration.",
        "The run must have saved checkpoints (`every(1.epoch) { checkpoint }` in the script, or gan run --checkpoint): the"
                + " networks, optimiser moments, stabilisers and data position of its last completed epoch come back;"
                + " steps trained after it are trained again."})
    static final class Resume implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by gan run --checkpoint")
        Path run;

        @Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "auto", description = "where to train (default: ${DEFAULT-VALUE})")
        String device;

        @CommandLine.Mixin
        StackTraceOption stackTrace;

        @CommandLine.ParentCommand
        GanCommand parent;

        @Override
        public Integer call() {
            PrintStream console = parent.out();
            RunFolder.requireRun(run);
            Device dev = Backend.device(Backend.DeviceChoice.parse(device));
            try (GanSession session = RunFolder.open(run, dev)) {
                session.setMetricsLog(console::println);
                long total = session.stepsOf(session.getDefinition().getDuration());
                long finished = RunFolder.finishedSteps(run);
                if (finished >= total) {
                    console.println(run + " finished its training (" + finished + " of " + total + " steps): nothing to resume");
                    return 0;
                }
                RunFolder.requireCheckpoint(run);
                long from = session.resumeFrom(run);
                console.println("Ganymede " + Backend.version() + " | " + run + " | device " + Backend.describe(dev)
                        + String.format(java.util.Locale.ROOT, " | resuming at step %,d of %,d (checkpoint of epoch %d)",
                        from, total, session.trainer().completedEpochs()));
                if (session.finishIfTrained()) {
                    console.println("the checkpoint is at the end of the run: nothing left to train; its report and final figures are written");
                    return 0;
                }
                Run.train(session, session.rest(), console, run, Run.onTerminal());
            }
            return 0;
        }
    }

    @Command(name = "check", description = "Load a script, check every shape and print both networks' summaries, without training.")
    static final class Check extends ScriptOptions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (GanSession session = GanSession.open(script, sets, Device.cpu())) {
                spec.commandLine().getOut().print(session.summary());
                GanDefinition d = session.getDefinition();
                if (d.getComparedKey() != null) {
                    spec.commandLine().getOut().println("compares " + d.getComparedKey() + ": " + String.join(", ", d.getComparedValues())
                            + " (gan run trains one run each and plots " + Comparison.FIGURE + ")");
                }
                spec.commandLine().getOut().println(script.getFileName() + ": OK");
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "report", description = "Rewrite RUN_DIR/report.html, the one-page offline report of a run folder.")
    static final class Report implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by gan run")
        Path run;

        @Option(names = "--redraw", description = "redraw the figures of the trained generator (interpolation, rows per class) even if present")
        boolean redraw;

        @CommandLine.Mixin
        StackTraceOption stackTrace;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path file = Reporter.report(run, redraw);
            spec.commandLine().getOut().println("wrote " + file);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "sample", description = "Sample a trained generator from its run folder into a PNG grid.")
    static final class Sample implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by gan run")
        Path run;

        @Option(names = "-n", defaultValue = "64", description = "number of samples (default ${DEFAULT-VALUE})")
        int count;

        @Option(names = "--out", paramLabel = "FILE", description = "the PNG to write (default: RUN_DIR/sample.png)")
        Path out;

        @Option(names = "--seed", defaultValue = "1", description = "seed of the latent batch (default ${DEFAULT-VALUE})")
        long seed;

        @CommandLine.Mixin
        StackTraceOption stackTrace;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path file = Sampler.sample(run, count, seed, out);
            String interrupted = RunFolder.interruptedNote(run);
            if (interrupted != null) {
                spec.commandLine().getOut().println(interrupted);
            }
            spec.commandLine().getOut().println("wrote " + count + " samples to " + file);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "eval", description = {
        "Measure a trained generator: FD, KID, precision, recall, density, coverage, classifier score and class"
                + " histogram, in the feature space of a classifier trained on the run's data (once per data set,"
                + " cached in ~/.ganymede/features). On the 2-D mixtures: modes captured, high-quality fraction and"
                + " reverse KL (the PacGAN protocol; use --n 2500); on the 1-D Gaussian: mean, std and W1 to the data.",
        "Prints them beside the floor (held-out real images measured the same way) and the ceiling (the untrained"
                + " generator), and writes RUN_DIR/evaluation.json."})
    static final class Eval implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run folder written by gan run")
        Path run;

        @Option(names = "--n", defaultValue = "10000", description = "generated (and real) samples per evaluation (default ${DEFAULT-VALUE}; FD is only comparable at equal n)")
        int count;

        @Option(names = "--seed", defaultValue = "1", description = "seed of the latent noise, the real sample and KID's subsets (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--no-baselines", description = "skip the floor and the ceiling")
        boolean noBaselines;

        @CommandLine.Mixin
        StackTraceOption stackTrace;

        @CommandLine.ParentCommand
        GanCommand parent;

        @Override
        public Integer call() {
            if (!Evaluator.acceptsSampleCount(count)) {
                throw new GanymedeException(String.format(java.util.Locale.ROOT, "--n must be between %,d and %,d, got %d",
                        Evaluator.FEWEST_SAMPLES, Evaluator.MOST_SAMPLES, count));
            }
            Evaluate.run(run, count, seed, !noBaselines, parent.out());
            return 0;
        }
    }
}
