package dev.ganymede.dsl

import ai.djl.Device
import dev.ganymede.engine.GanymedeException
import dev.ganymede.engine.output.Plots
import dev.ganymede.engine.output.StepRecord
import groovy.transform.CompileStatic

import java.nio.file.Files
import java.nio.file.Path
import java.util.function.BiConsumer

/**
 * The runs of a script that says {@code compare KEY: [values]}: one training per value, each the
 * script with --set KEY=VALUE and the same seed (so the same initial weights and data order), in a
 * sub-folder of the run folder named after the value; then one figure of every run's D and G
 * losses, loss-comparison.png (seed 001's figure 2.1 when the key is the loss).
 */
@CompileStatic
class Comparison {

    /** The figure written into the run folder. */
    public static final String FIGURE = 'loss-comparison.png'

    final GanDefinition definition
    final String source
    final Device device

    Comparison(GanDefinition definition, String source, Device device) {
        if (definition.variants.isEmpty()) {
            throw new IllegalArgumentException("${definition.scriptName} compares nothing: it has no `compare KEY: [values]`".toString())
        }
        this.definition = definition
        this.source = source
        this.device = device
    }

    /** The sub-folder of a compared run: its label with anything but letters, digits and . _ = - as '_'. */
    static String folderName(String label) {
        label.replaceAll(/[^A-Za-z0-9._=-]/, '_')
    }

    /**
     * Trains every compared run for the script's duration, in order, into {@code folder}/LABEL, then
     * writes {@code folder}/loss-comparison.png and returns its path. {@code trainer}, when given,
     * trains each run's session itself (the `gan` command prints progress that way).
     */
    Path run(Path folder, BiConsumer<String, GanSession> trainer = null) {
        Files.createDirectories(folder)
        Map<String, List<StepRecord>> runs = new LinkedHashMap<>()
        definition.variants.each { String label, GanDefinition variant ->
            GanSession session = new GanSession(variant, source, device)
            try {
                session.useRunFolder(folder.resolve(folderName(label)))
                if (trainer != null) {
                    trainer.accept(label, session)
                } else {
                    session.train()
                }
                runs.put(label, new ArrayList<StepRecord>(session.trainer().history()))
            } finally {
                session.close()
            }
        }
        Path figure = folder.resolve(FIGURE)
        try {
            Plots.lossComparison(runs, figure)
        } catch (IOException e) {
            throw new GanymedeException("could not write ${figure}: ${e.message}".toString(), e)
        }
        figure
    }
}
