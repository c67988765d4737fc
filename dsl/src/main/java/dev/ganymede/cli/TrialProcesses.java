package dev.ganymede.cli;

import dev.ganymede.engine.GanymedeException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Trains benchmark trials as `gan run` in child JVMs, {@code jobs} at a time: Ganymede's seed is
 * global to a process, so trials that train at once need a process each. A child gets
 * cores / jobs PyTorch threads (OMP_NUM_THREADS) unless the caller set that variable, and writes
 * its console to a log beside its run folder. A trial that fails leaves the others training; the
 * benchmark fails once they are done. Stopping the benchmark stops its children.
 */
final class TrialProcesses implements MixtureBenchmark.TrialRunner {

    private final int jobs;
    private final String deviceChoice;
    private final PrintStream console;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    TrialProcesses(int jobs, String deviceChoice, PrintStream console) {
        this.jobs = jobs;
        this.deviceChoice = deviceChoice;
        this.console = console;
    }

    /** PyTorch threads per child: the machine's cores shared among the jobs, at least one. */
    int threadsPerJob() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
    }

    @Override
    public void train(List<MixtureBenchmark.Trial> trials, Consumer<MixtureBenchmark.Trial> finished) {
        if (trials.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, trials.size()));
        Thread stopper = new Thread(this::stopAll); // Ctrl-C on the benchmark must not leave trials training
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            CompletionService<MixtureBenchmark.Trial> done = new ExecutorCompletionService<>(pool);
            for (MixtureBenchmark.Trial t : trials) {
                done.submit(() -> trainInChild(t));
            }
            // a failed trial does not stop the others: hours of training may be under way in them
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < trials.size(); i++) {
                MixtureBenchmark.Trial t;
                try {
                    t = next(done);
                } catch (TrialFailed e) {
                    failures.add(e.getMessage());
                    console.println(e.getMessage());
                    continue;
                }
                finished.accept(t); // scored here, on the caller's thread
            }
            if (!failures.isEmpty()) {
                throw new GanymedeException(failures.size() + " of " + trials.size() + " trials failed (their logs are"
                        + " above); the finished ones are kept and the same command trains only the others again");
            }
        } finally {
            pool.shutdownNow();
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException alreadyStopping) {
                // the JVM is shutting down: the hook runs anyway
            }
        }
    }

    private MixtureBenchmark.Trial trainInChild(MixtureBenchmark.Trial t) throws IOException, InterruptedException {
        boolean resuming = MixtureBenchmark.prepareTrial(t);
        Path log = t.log();
        ProcessBuilder builder = new ProcessBuilder(command(t, resuming)).redirectErrorStream(true)
                .redirectOutput(resuming ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
        if (System.getenv("OMP_NUM_THREADS") == null) {
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threadsPerJob()));
        }
        console.printf(Locale.ROOT, "%s: %s in its own process, run folder %s, log %s%n", t.label(),
                resuming ? "resuming from its checkpoint" : "training", t.folder(), log);
        Process child = builder.start();
        running.add(child);
        try {
            int code = child.waitFor();
            if (code != 0) {
                throw new TrialFailed(t.name() + " failed (exit code " + code
                        + "); the end of its log " + log + ":\n" + tail(log, 8));
            }
            return t;
        } finally {
            running.remove(child);
            if (child.isAlive()) {
                stop(child);
            }
        }
    }

    /**
     * `gan run --checkpoint` of the trial's script into its folder, or `gan resume` of the folder, in
     * a JVM started as this one.
     */
    List<String> command(MixtureBenchmark.Trial t, boolean resuming) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // the same heap and DJL settings; a debugger's port cannot be shared
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GanCommand.class.getName());
        if (resuming) {
            cmd.addAll(List.of("resume", t.folder().toAbsolutePath().toString(), "--device", deviceChoice));
            return cmd;
        }
        cmd.addAll(List.of("run", t.script().toAbsolutePath().toString(), "--out", t.folder().toAbsolutePath().toString(),
                "--device", deviceChoice, "--checkpoint"));
        t.sets().forEach((key, value) -> {
            cmd.add("--set");
            cmd.add(key + "=" + value);
        });
        return cmd;
    }

    /** A trial whose process ended with an error; the other trials go on. */
    static final class TrialFailed extends GanymedeException {
        TrialFailed(String message) {
            super(message);
        }
    }

    private static MixtureBenchmark.Trial next(CompletionService<MixtureBenchmark.Trial> done) {
        try {
            return done.take().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new GanymedeException("a trial could not be started: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GanymedeException("the benchmark was interrupted", e);
        }
    }

    private void stopAll() {
        for (Process p : running) {
            stop(p);
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }
}
