package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.output.RunReport;
import dev.ganymede.engine.train.RunRecorder;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Rewrites the report of a run folder ({@code gan report RUN_DIR}). The figures only the trained
 * generator can draw (the interpolation strip, the rows per class) are drawn first when they are
 * missing, as in runs made before the report existed, or when asked to: the networks are rebuilt
 * from the run's own script and settings, as {@code gan sample} does, and the saved parameters loaded.
 */
public final class Reporter {

    private Reporter() {}

    /** Writes RUN_DIR/report.html and returns its path; {@code redraw} redraws the generator's figures. */
    public static Path report(Path run, boolean redraw) {
        if (!Files.isDirectory(run)) {
            throw new GanymedeException("no run folder at " + run);
        }
        boolean canDraw = Files.isRegularFile(run.resolve("script.gan")) && Files.isRegularFile(run.resolve("generator.params"));
        if (redraw && !canDraw) {
            throw new GanymedeException("cannot redraw the figures of " + run + ": it needs script.gan and generator.params"
                    + " (written by gan run)");
        }
        if (canDraw && (redraw || !Files.isRegularFile(run.resolve("interpolation.png")))) {
            try (GanSession session = GanSession.open(run.resolve("script.gan"), overrides(run), Device.cpu())) {
                session.loadRun(run);
                RunRecorder.writeFinalFigures(session.getGan(), session.dataset(), run);
            }
        }
        return RunReport.write(run);
    }

    /** The --set overrides the run was made with, from its settings.properties. */
    private static Map<String, String> overrides(Path run) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Path file = run.resolve("settings.properties");
        if (!Files.isRegularFile(file)) {
            return overrides;
        }
        Properties settings = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            settings.load(r);
        } catch (IOException e) {
            throw new GanymedeException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String key : settings.stringPropertyNames()) {
            if (key.startsWith("set.")) {
                overrides.put(key.substring(4), settings.getProperty(key));
            }
        }
        return overrides;
    }
}
