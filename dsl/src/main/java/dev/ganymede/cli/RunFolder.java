package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.train.TrainingCheckpoint;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What the commands that reopen a run folder (sample, eval, report) read from it. */
public final class RunFolder {

    private RunFolder() {}

    /**
     * The run's own copy of its script; refuses a folder without it or without a trained generator
     * (a finished run's, or the last checkpoint of one stopped before its end: see {@link #interruptedNote}).
     */
    static Path requireTrained(Path run) {
        Path script = run.resolve("script.gan");
        if (!Files.isRegularFile(script) || !Files.isRegularFile(run.resolve("generator.params"))) {
            throw new GanymedeException(run + " is not a run folder with a trained generator: it needs script.gan and"
                    + " generator.params (written by gan run)");
        }
        return script;
    }

    /** Refuses a folder without script.gan: not something gan run wrote. */
    public static void requireRun(Path run) {
        if (!Files.isRegularFile(run.resolve("script.gan"))) {
            throw new GanymedeException(run + " is not a run folder: it has no script.gan (written by gan run)");
        }
    }

    /** Refuses a run that saved no checkpoint to resume from, saying how a run saves them. */
    public static void requireCheckpoint(Path run) {
        if (!TrainingCheckpoint.exists(run)) {
            throw new GanymedeException(run + " has no checkpoint to resume from: only runs whose script has"
                    + " `every(1.epoch) { checkpoint }`, or that gan run trained with --checkpoint, save one, at the end of every epoch");
        }
    }

    /**
     * Whether the run's training came to its end: its generator.params is there and run.properties
     * has the time it finished (written last; a process killed mid-run leaves at most a checkpoint).
     */
    static boolean isFinished(Path run) {
        return Files.isRegularFile(run.resolve("generator.params"))
                && properties(run, "run.properties").getProperty("finished") != null;
    }

    /**
     * The steps a finished run trained (run.properties' steps, written when training ends without
     * being stopped early); -1 for a run that is unfinished, stopped early or killed.
     */
    public static long finishedSteps(Path run) {
        Properties p = properties(run, "run.properties");
        if (!isFinished(run) || "true".equals(p.getProperty("stopped.early")) || p.getProperty("steps") == null) {
            return -1;
        }
        return Long.parseLong(p.getProperty("steps"));
    }

    /** A line saying that the run's generator is a checkpoint of a run stopped before its end; null for a finished run. */
    static String interruptedNote(Path run) {
        if (isFinished(run)) {
            return null;
        }
        return "note: " + run + " was stopped before the end of its training (run.properties has no finish time);"
                + " its generator.params is the last checkpoint";
    }

    /**
     * The run rebuilt from its script.gan and the --set values it was made with, its networks as
     * before training (callers load the trained parameters); one run of a comparison comes back as itself.
     */
    static GanSession open(Path run, Device device) {
        return GanSession.openRun(run.resolve("script.gan"), overrides(run), device);
    }

    /** The --set values the run was made with (settings.properties' set.* keys); none when the file is missing. */
    public static Map<String, String> overrides(Path run) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Properties settings = properties(run, "settings.properties");
        for (String key : settings.stringPropertyNames()) {
            if (key.startsWith("set.")) {
                overrides.put(key.substring(4), settings.getProperty(key));
            }
        }
        return overrides;
    }

    /** One of the run's .properties files (settings, run); empty when the file is missing. */
    static Properties properties(Path run, String name) {
        Properties properties = new Properties();
        Path file = run.resolve(name);
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                properties.load(r);
            } catch (IOException e) {
                throw new GanymedeException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return properties;
    }
}
