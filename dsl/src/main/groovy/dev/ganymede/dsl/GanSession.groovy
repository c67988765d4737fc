package dev.ganymede.dsl

import ai.djl.Device
import ai.djl.ndarray.NDManager
import dev.ganymede.engine.Backend
import dev.ganymede.engine.data.Dataset
import dev.ganymede.engine.metrics.MetricsTracker
import dev.ganymede.engine.nn.Layer
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.nn.NetworkIO
import dev.ganymede.engine.optim.Optimizer
import dev.ganymede.engine.output.PropertiesLine
import dev.ganymede.engine.train.Gan
import dev.ganymede.engine.train.ReconstructionGrid
import dev.ganymede.engine.train.RunOutputs
import dev.ganymede.engine.train.RunRecorder
import dev.ganymede.engine.train.Stabiliser
import dev.ganymede.engine.train.Trainer
import dev.ganymede.engine.train.TrainingCheckpoint
import dev.ganymede.engine.train.TrainingListener
import dev.ganymede.engine.train.TrainingStrategy
import groovy.transform.CompileStatic

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.time.LocalDateTime
import java.time.format.DateTimeFormatter
import java.util.function.Consumer

/**
 * A loaded script made real: built networks, the data set, a trainer that keeps its state between
 * training calls, and the run folder. The `gan` command and the REPL both drive GANs through this.
 */
@CompileStatic
class GanSession implements AutoCloseable {

    final GanDefinition definition
    final String source
    final Device device
    final Gan gan
    private Dataset dataset
    private Trainer trainer
    private RunRecorder recorder
    private Path runFolder
    private MetricsTracker tracker
    /** Where the metrics tracker says that it trains a feature network (the `gan` command prints it). */
    Consumer<String> metricsLog
    /** Checkpoints at the end of every epoch whatever the script says (gan run --checkpoint); set before the run folder. */
    boolean checkpointing
    /** Whether this session took up a run from its checkpoint ({@link #resumeFrom}). */
    boolean resumed
    /**
     * The text the definition's line numbers count in, for located errors: the script itself
     * (null), or in gan-repl every input of the session, where the script is only the inputs kept.
     */
    String linesSource
    /** The definition's {@link GanDefinition#trainingPlan} the trainer trains with. */
    List<String> trainerPlan

    GanSession(GanDefinition definition, String source, Device device, String linesSource = null) {
        this.definition = definition
        this.source = source
        this.device = device
        this.linesSource = linesSource
        Backend.seed(definition.seed) // initialisation is part of what the seed fixes
        try {
            this.gan = definition.buildGan(device)
        } catch (RuntimeException e) {
            throw ScriptRunner.located(e, linesSource ?: source, definition.scriptName)
        }
    }

    /** Loads a script file, checks its shapes and builds its networks. */
    static GanSession open(Path script, Map<String, String> overrides, Device device) {
        GanDefinition d = new ScriptRunner().load(script, overrides)
        new GanSession(d, Files.readString(script), device)
    }

    /**
     * Rebuilds a run from its folder's script.gan and the settings it ran with (settings.properties'
     * set.* keys); a run of a comparison comes back as that run, with its compared value.
     */
    static GanSession openRun(Path script, Map<String, String> settings, Device device) {
        GanDefinition d = new ScriptRunner().loadRun(script, settings)
        new GanSession(d, Files.readString(script), device)
    }

    /** The two summary tables, as `gan check` prints them. */
    String summary() {
        StringBuilder sb = new StringBuilder()
        if (definition.isAutoencoder()) {
            // x → encoder → code → decoder → x̂, in reading order
            sb.append(gan.discriminator().summary()).append('\n')
            sb.append(gan.generator().summary()).append('\n')
            sb.append("latent code: ${gan.latent()}; loss: ${gan.loss().name()}".toString())
        } else {
            sb.append(gan.generator().summary()).append('\n')
            sb.append(gan.discriminator().summary()).append('\n')
            sb.append("latent: ${gan.latent()}; loss: ${gan.loss().name()}".toString())
        }
        if (gan.isConditional()) sb.append("; conditional on ${gan.numClasses()} classes".toString())
        sb.append('\n')
        sb.toString()
    }

    Dataset dataset() {
        if (dataset == null) {
            try {
                dataset = definition.dataset()
            } catch (RuntimeException e) {
                throw ScriptRunner.located(e, linesSource ?: source, definition.scriptName)
            }
        }
        dataset
    }

    Trainer trainer() {
        if (trainer == null) {
            Dataset data = dataset()
            try {
                trainer = definition.trainer(gan, data)
                trainerPlan = definition.trainingPlan()
            } catch (RuntimeException e) {
                // a refusal found while the trainer is built (e.g. second-order unrolling with weight clipping)
                throw ScriptRunner.located(e, linesSource ?: source, definition.scriptName)
            }
        }
        trainer
    }

    /**
     * Brings a trainer that has begun in line with train { } as the definition declares it now
     * (gan-repl, after the block changed). New learning rates apply to the running optimisers. A
     * changed strategy, stabilisers, schedule, clipping or optimiser settings go to the trainer
     * ({@link Trainer#changeTraining}): the weights, the step count and the moments of an optimiser
     * of the same kind stay; an unchanged stabiliser keeps its state, a new one starts now. In the
     * run folder, settings.properties notes the step of the change and script.gan becomes
     * {@code script}, the declaration as it trains now (what a resumed run must rebuild). Returns
     * what changed, for the user, or null when nothing did. A refusal leaves the trainer as it was
     * and is thrown located at its line.
     */
    String followTrainingPlan(String script) {
        if (trainer == null) return null
        List<String> plan = definition.trainingPlan()
        List<String> rates = rateChanges()
        if (plan == trainerPlan) {
            if (!rates) return null
            // moments kept: only the base rates the schedules scale change
            trainer.generatorOptimizer().setLearningRate(definition.generatorOptimizer.create().learningRate())
            trainer.discriminatorOptimizer().setLearningRate(definition.discriminatorOptimizer.create().learningRate())
            return recordChange(rates.join(' and '), script, "the weights, the step count and the optimisers' moments are kept")
        }
        List<Stabiliser> unmatched = new ArrayList<>(trainer.stabilisers())
        List<Stabiliser> made = definition.makeStabilisers().collect { Stabiliser s ->
            Stabiliser same = unmatched.find { it.describe() == s.describe() }
            if (same == null) return s
            unmatched.remove(same)
            s.close()
            same
        }
        TrainingStrategy strategy = definition.strategy()
        if (strategy.describe() == trainer.strategy().describe()) strategy = trainer.strategy()
        Optimizer g = definition.makeGeneratorOptimizer()
        Optimizer d = definition.makeDiscriminatorOptimizer()
        // an optimiser of another kind starts from zero state (Trainer#changeTraining)
        List<String> afresh = []
        List<String> keptMoments = []
        [["generator's", g, trainer.generatorOptimizer()], ["discriminator's", d, trainer.discriminatorOptimizer()]].each { List side ->
            Optimizer now = (Optimizer) side[1], before = (Optimizer) side[2]
            if (now.name() == before.name()) keptMoments << (String) side[0]
            else afresh << "the ${side[0]} ${now.name()} (it replaces ${before.name()})".toString()
        }
        try {
            definition.checkSecondOrder(strategy, d, made)
        } catch (RuntimeException e) {
            g.close()
            d.close()
            made.findAll { s -> !trainer.stabilisers().any { it.is(s) } }.each { it.close() }
            throw ScriptRunner.located(e, linesSource ?: source, definition.scriptName)
        }
        try {
            trainer.changeTraining(strategy, made, g, d) // closes what it was given when it fails
        } catch (RuntimeException e) {
            throw ScriptRunner.located(e, linesSource ?: source, definition.scriptName)
        }
        // new optimisers bring the declared rates (Trainer#changeTraining keeps their own)
        String change = ([describeChange(trainerPlan, plan)] + rates).join('; ')
        List<String> now = plan - trainerPlan
        trainerPlan = plan
        boolean countsFromStart = now.any { (it.startsWith('schedule ') && it != 'schedule constant') || (it.startsWith('instance noise') && it.contains('annealed')) }
        String kept = keptMoments.size() == 2 ? "the weights, the step count and the optimisers' moments are kept"
                : keptMoments ? "the weights, the step count and the ${keptMoments[0]} moments are kept"
                : 'the weights and the step count are kept'
        recordChange(change, script, kept +
                (afresh ? '; ' + afresh.join(' and ') + (afresh.size() > 1 ? ' start' : ' starts') + ' from zero state' : '') +
                (countsFromStart ? "; schedules and annealing count the run's steps from its start" : ''))
    }

    /** The learning rates train { } declares that differ from the running optimisers' base rates, in words. */
    private List<String> rateChanges() {
        boolean autoencoder = definition.isAutoencoder()
        List<String> rates = []
        [[autoencoder ? "decoder's" : "generator's", definition.generatorOptimizer, trainer.generatorOptimizer()],
         [autoencoder ? "encoder's" : "discriminator's", definition.discriminatorOptimizer, trainer.discriminatorOptimizer()]].each { List side ->
            double declared = ((OptimizerSpec) side[1]).create().learningRate()
            double running = ((Optimizer) side[2]).baseLearningRate()
            if (declared != running) rates << "the ${side[0]} learning rate ${plain(running)} becomes ${plain(declared)}".toString()
        }
        rates
    }

    private static String plain(double rate) {
        BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString()
    }

    /**
     * Records a change the trainer now follows in the run folder: settings.properties gets its step
     * and the --set values in force now, script.gan becomes {@code script}, and a checkpoint keeps
     * the new state. Returns the note for the user; {@code kept} says what stays from before.
     */
    private String recordChange(String change, String script, String kept) {
        if (runFolder != null) {
            Path settings = runFolder.resolve('settings.properties')
            List<String> lines = Files.readAllLines(settings)
            // numbered after the changes already there (a session opened with /resume adds to them)
            int number = (lines.count { String line -> line.startsWith('change.') } as int) + 1
            // the --set values as they are now: one a later input replaced (gan-repl drops it) must not come back on resume
            List<String> others = lines.findAll { String line -> !line.startsWith('set.') }
            List<String> rewritten = others.take(1) + overrideEntries() + others.drop(1)
            rewritten << PropertiesLine.entry("change.${number}".toString(), "at step ${trainer.step()}: ${change}".toString())
            Path partial = runFolder.resolve('settings.properties.partial')
            Files.write(partial, rewritten)
            Files.move(partial, settings, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
            Files.writeString(runFolder.resolve('script.gan'), script)
            recorder?.checkpointNow(trainer) // the run's last checkpoint must fit the new script
        }
        if (trainer.step() == 0) return "train { } changed before the first step (${change}): the trainer trains with it from step 1".toString()
        "train { } changed after training began (${change}): it applies from step ${trainer.step() + 1}; ${kept}".toString()
    }

    /**
     * A change of training plan ({@link GanDefinition#trainingPlan}: the strategy, the stabilisers,
     * then five settings) in words: each strategy or setting with the one it replaces, then the
     * stabilisers added and dropped.
     */
    static String describeChange(List<String> before, List<String> now) {
        List<String> fixedBefore = [before[0]] + before.subList(before.size() - 5, before.size())
        List<String> fixedNow = [now[0]] + now.subList(now.size() - 5, now.size())
        List<String> stabilisersBefore = before.subList(1, before.size() - 5)
        List<String> stabilisersNow = now.subList(1, now.size() - 5)
        List<String> replaced = (0..<fixedNow.size()).findAll { int i -> fixedNow[i] != fixedBefore[i] }
                .collect { int i -> "${fixedNow[i]} instead of ${fixedBefore[i]}".toString() }
        List<String> added = stabilisersNow - stabilisersBefore
        List<String> dropped = stabilisersBefore - stabilisersNow
        List<String> parts = []
        if (replaced) parts << 'it asks for ' + replaced.join(' and ')
        if (added) parts << 'it adds ' + added.join(' and ')
        if (dropped) parts << 'it drops ' + dropped.join(' and ')
        if (!parts) parts << 'it orders the stabilisers as declared: ' + stabilisersNow.join(', ')
        parts.join('; ')
    }

    /**
     * Copies the weights and buffers (batch-norm statistics, power-iteration vectors) of another
     * session's networks, declared the same, into this one's: gan-repl keeps what a GAN has learnt
     * when its loss or batch changes and a new trainer must start.
     */
    void takeWeightsFrom(GanSession trained) {
        NDManager scope = Backend.engine().newBaseManager(device)
        try {
            gan.generator().restore(trained.gan.generator().snapshot(scope))
            gan.discriminator().restore(trained.gan.discriminator().snapshot(scope))
        } finally {
            scope.close()
        }
    }

    Path runFolder() { runFolder }

    /** Whether training has been set up (a trainer exists) in this session. */
    boolean hasTrainer() { trainer != null }

    /** Sets where outputs go (once); the default is runs/NAME-TIMESTAMP. */
    Path useRunFolder(Path folder) {
        if (recorder != null) {
            return runFolder
        }
        trainer() // its refusals and the data's errors come before anything is written: no orphan run folder
        runFolder = folder ?: defaultRunFolder(definition.scriptName)
        recorder = new RunRecorder(runFolder, runOutputs(checkpointing))
        recorder.writeText('script.gan', source)
        recorder.writeText('settings.properties', settings())
        listenWith(recorder)
        runFolder
    }

    /**
     * Takes up the run in {@code folder} where its checkpoint left it (the session must have been
     * opened from that folder: {@link #openRun}): networks, optimisers, stabilisers and counters
     * come back ({@link TrainingCheckpoint}), metrics.csv and evaluation.csv are cut back to the
     * checkpoint's step, and checkpoints go on being written every epoch. Returns that step.
     */
    long resumeFrom(Path folder) {
        if (recorder != null || (trainer != null && trainer.step() > 0)) {
            throw new IllegalStateException("a session resumes a run before it trains or writes a run folder of its own")
        }
        long step = TrainingCheckpoint.restore(trainer(), folder)
        runFolder = folder
        recorder = new RunRecorder(folder, runOutputs(true))
        recorder.resume(trainer())
        listenWith(recorder)
        tracker?.resumeAt(step)
        resumed = true
        step
    }

    /** Generator steps of the script's duration not trained yet (all of them before training; 0 when done). */
    long remainingSteps() {
        Math.max(0L, stepsOf(definition.duration) - trainer().step())
    }

    /** The steps left of the script's duration, as an interval to train (at least one step). */
    Interval rest() {
        new Interval(Math.max(1L, remainingSteps()), Interval.Unit.STEPS)
    }

    /**
     * For a resumed run whose checkpoint is at its last step (its process was killed while writing
     * its end): writes that end (report, final figures and metrics) and returns true; false while
     * steps are left.
     */
    boolean finishIfTrained() {
        if (remainingSteps() > 0) {
            return false
        }
        trainer().finish()
        true
    }

    private RunOutputs runOutputs(boolean checkpoints) {
        OutputPlan plan = definition.outputs
        new RunOutputs(plan.samples, plan.every.epochs ? (int) plan.every.count : 0,
                plan.every.epochs ? 0L : plan.every.count, plan.plots, plan.checkpoint || checkpoints)
    }

    private void listenWith(RunRecorder runRecorder) {
        OutputPlan plan = definition.outputs
        if (definition.isAutoencoder()) {
            // before the recorder, whose report then shows it
            trainer().addListener(new ReconstructionGrid(runFolder))
        }
        trainer().addListener(runRecorder)
        if (plan.metrics != null) {
            tracker = new MetricsTracker(runFolder, new MetricsTracker.Options(plan.metrics.samples, plan.metrics.kid,
                    plan.metrics.prdc, plan.metrics.keepBest, plan.every.epochs ? (int) plan.every.count : 0,
                    plan.every.epochs ? 0L : plan.every.count, 1L), metricsLog) // seed 1, as `gan eval`: runs compare
            trainer().addListener(tracker)
        }
    }

    /** The metrics tracker of the run folder, when the script asks for {@code metrics}; else null. */
    MetricsTracker metricsTracker() { tracker }

    /** runs/NAME-TIMESTAMP, with -2, -3, ... when that folder exists. */
    static Path defaultRunFolder(String scriptName) {
        String base = scriptName.replaceAll(/\.gan$/, '')
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern('yyyyMMdd-HHmmss'))
        Path candidate = Path.of('runs', "${base}-${stamp}".toString())
        int n = 2
        while (Files.exists(candidate)) {
            candidate = Path.of('runs', "${base}-${stamp}-${n++}".toString())
        }
        candidate
    }

    /** Provenance: every setting the run used, readable by `gan sample` to rebuild the networks. */
    String settings() {
        StringBuilder sb = new StringBuilder()
        sb.append("# Ganymede ${Backend.version()}, ${Backend.describe(device)}\n".toString())
        overrideEntries().each { String entry -> sb.append(entry).append('\n') }
        sb.append(PropertiesLine.of('data', definition.dataName))
        sb.append(PropertiesLine.of('seed', definition.seed))
        sb.append(PropertiesLine.of('batch', definition.batchSize))
        sb.append(PropertiesLine.of('duration', definition.duration))
        sb.append(PropertiesLine.of('dSteps', definition.discriminatorSteps))
        sb.append(PropertiesLine.of('reuseFakes', definition.reuseFakes))
        sb.append(PropertiesLine.of('loss', definition.lossName))
        sb.append(PropertiesLine.of('loss.formula', gan.loss().describe()))
        sb.append(PropertiesLine.of('optimizer.generator', definition.generatorOptimizer))
        sb.append(PropertiesLine.of('optimizer.discriminator', definition.discriminatorOptimizer))
        sb.append(PropertiesLine.of('schedule', definition.scheduleName))
        Trainer t = trainer()
        sb.append(PropertiesLine.of('strategy', t.strategy().describe()))
        t.stabilisers().eachWithIndex { s, int i -> sb.append(PropertiesLine.of("stabiliser.${i + 1}".toString(), s.describe())) }
        if (t.generatorOptimizer().gradientClipping().mode() != dev.ganymede.engine.optim.GradientClipping.Mode.NONE) {
            sb.append(PropertiesLine.of('clipping.generator', t.generatorOptimizer().gradientClipping()))
        }
        if (t.discriminatorOptimizer().gradientClipping().mode() != dev.ganymede.engine.optim.GradientClipping.Mode.NONE) {
            sb.append(PropertiesLine.of('clipping.discriminator', t.discriminatorOptimizer().gradientClipping()))
        }
        sb.append(PropertiesLine.of('init.generator', definition.generator.initializerName))
        sb.append(PropertiesLine.of('init.discriminator', definition.discriminator.initializerName))
        // the networks as built (batch-norm momentum and eps, biases, pieces): script.gan says
        // how they were declared, this what the --set values and defaults made of it
        sb.append(PropertiesLine.of('latent', gan.latent()))
        boolean autoencoder = definition.isAutoencoder()
        layerLines(sb, autoencoder ? 'encoder' : 'generator', autoencoder ? gan.discriminator() : gan.generator())
        layerLines(sb, autoencoder ? 'decoder' : 'discriminator', autoencoder ? gan.generator() : gan.discriminator())
        sb.toString()
    }

    /** The --set values in force, as settings.properties' set.* entries (RunFolder.overrides reads them back). */
    private List<String> overrideEntries() {
        definition.overrides.collect { k, v -> PropertiesLine.entry("set.${k}".toString(), v) }
    }

    /** One line a top-level layer, numbered from 1, as PyTorch lists modules (a nested block on one line). */
    private static void layerLines(StringBuilder sb, String role, Network network) {
        network.body().layers().eachWithIndex { Layer layer, int i ->
            sb.append(PropertiesLine.of("${role}.${i + 1}".toString(), layer.describe().replaceAll(/\s*\n\s*/, ' ')))
        }
    }

    /** Trains for the script's duration, or for {@code interval} when given; false when stopped early. */
    boolean train(Interval interval = null, TrainingListener progress = null) {
        Interval what = interval ?: definition.duration
        Trainer t = trainer()
        if (progress != null) t.addListener(progress)
        try {
            return what.epochs ? t.trainEpochs((int) what.count) : t.trainSteps(what.count)
        } finally {
            if (progress != null) t.removeListener(progress)
        }
    }

    /** Total generator steps of an interval for this script's data and batch size. */
    long stepsOf(Interval interval) {
        interval.epochs ? interval.count * trainer().stepsPerEpoch() : interval.count
    }

    /** Loads trained weights into the generator (and discriminator when present) from a run folder. */
    void loadRun(Path folder) {
        NetworkIO.load(gan.generator(), folder.resolve('generator.params'))
        Path d = folder.resolve('discriminator.params')
        if (Files.isRegularFile(d)) {
            NetworkIO.load(gan.discriminator(), d)
        }
    }

    @Override
    String toString() {
        "GanSession(generator ${gan.generator().parameterCount()} parameters, discriminator ${gan.discriminator().parameterCount()} parameters, ${device}, step ${trainer == null ? 0 : trainer.step()})"
    }

    @Override
    void close() {
        recorder?.close()
        tracker?.close()
        trainer?.close()
        gan.close()
    }
}
