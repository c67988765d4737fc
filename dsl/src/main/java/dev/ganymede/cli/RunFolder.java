package dev.ganymede.cli;

import dev.ganymede.engine.GanymedeException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What the commands that reopen a run folder (sample, eval, report) read from it. */
final class RunFolder {

    private RunFolder() {}

    /** The run's own copy of its script; refuses a folder without it or without the trained generator. */
    static Path requireFinished(Path run) {
        Path script = run.resolve("script.gan");
        if (!Files.isRegularFile(script) || !Files.isRegularFile(run.resolve("generator.params"))) {
            throw new GanymedeException(run + " is not a finished run folder: it needs script.gan and generator.params"
                    + " (written by gan run)");
        }
        return script;
    }

    /** The --set values the run was made with (settings.properties' set.* keys); none when the file is missing. */
    static Map<String, String> overrides(Path run) {
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
