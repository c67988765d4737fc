package dev.ganymede.cli;

import ai.djl.Device;
import dev.ganymede.dsl.GanSession;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.output.RunReport;
import dev.ganymede.engine.train.RunRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
            try (GanSession session = RunFolder.open(run, Device.cpu())) {
                session.loadRun(run);
                RunRecorder.writeFinalFigures(session.getGan(), session.dataset(), run);
            }
        }
        return RunReport.write(run);
    }
}
