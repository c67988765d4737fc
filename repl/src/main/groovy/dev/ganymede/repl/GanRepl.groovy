package dev.ganymede.repl

import ai.djl.Device
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.cli.Evaluate
import dev.ganymede.cli.RunFolder
import dev.ganymede.dsl.DslException
import dev.ganymede.dsl.GanDefinition
import dev.ganymede.dsl.GanSession
import dev.ganymede.dsl.Interval
import dev.ganymede.dsl.ScriptError
import dev.ganymede.dsl.ScriptException
import dev.ganymede.dsl.ScriptRunner
import dev.ganymede.engine.Backend
import dev.ganymede.engine.GanymedeException
import dev.ganymede.engine.metrics.Evaluator
import dev.ganymede.engine.metrics.MetricsTracker
import dev.ganymede.engine.output.RunReport
import dev.ganymede.engine.output.SampleGrid
import dev.ganymede.engine.output.StepRecord
import dev.ganymede.engine.train.RunRecorder
import dev.ganymede.engine.train.Trainer
import dev.ganymede.engine.train.TrainingListener
import dev.ganymede.engine.train.TrainingStrategy
import groovy.transform.CompileStatic
import org.jline.reader.EndOfFileException
import org.jline.reader.LineReader
import org.jline.reader.LineReaderBuilder
import org.jline.reader.UserInterruptException
import org.jline.reader.impl.DefaultParser
import org.jline.terminal.Terminal
import org.jline.terminal.impl.DumbTerminal
import org.jline.utils.NonBlockingReader

import java.nio.file.Files
import java.nio.file.Path
import java.time.LocalDateTime
import java.time.format.DateTimeFormatter
import java.util.function.Supplier

/**
 * gan-repl: the .gan language one input at a time. Variables, functions and networks live in one
 * Groovy binding for the whole session; the GAN being declared is the same {@link GanDefinition}
 * a script fills, so a session saves as a script and a script loads into a session. Training runs
 * on a worker thread: Ctrl-C (or /stop) stops it after the current step and keeps networks and
 * optimiser state, so /train continues where it stopped.
 *
 * <p>Everything is injectable (terminal, home folder, device), so specs drive a whole session
 * through a dumb terminal with piped input.
 */
@CompileStatic
class GanRepl {

    static final Map<String, String> COMMANDS = [
            '/help'   : 'help on commands, words and techniques: /help, /help conv, /help ttur',
            '/load'   : 'evaluate a .gan file into the session: /load scripts/dcgan.gan; /load scripts/fgan.gan --set divergence=js, as gan run --set',
            '/save'   : 'save the session as a .gan script: /save my.gan',
            '/resume' : 'take up a stopped run from its checkpoint (its script, --set values, networks and optimisers): /resume runs/mixture-gan-20261206-101500, then /train',
            '/check'  : 'build both networks and check every shape',
            '/summary': 'the summary table of both networks, or of one: /summary generator',
            '/train'  : 'train: /train (the declared duration), /train 200 (steps), /train 2 epochs, /train 200 & (background); a train { } typed since the last /train applies from the next step, weights and optimiser moments kept',
            '/stop'   : 'stop background training after the current step',
            '/sample' : 'write a grid of generated samples: /sample 64 grid.png',
            '/plot'   : 'write the loss and D-output plots of the training so far',
            '/eval'   : 'measure the generator now: FD, classifier score, class histogram... beside the floor and the ceiling (as gan eval): /eval, /eval 2000',
            '/report' : 'write report.html of the run so far (figures, numbers, settings, script) and print its path',
            '/device' : 'show the device, or switch: /device cpu',
            '/vars'   : 'the variables of the session',
            '/reset'  : 'forget everything declared and trained',
            '/exit'   : 'leave (Ctrl-D too)',
    ].asImmutable()

    private final Terminal terminal
    private final Path home
    private final PrintWriter out
    private final ScriptRunner runner = new ScriptRunner()
    private LineReader reader
    private Binding binding
    private GanDefinition definition
    private final List<Chunk> chunks = []
    /**
     * Every input of the session as typed, kept or not, and every /load-ed file, in order. They are
     * compiled as one script whose lines run on from input to input, so a line the definition
     * recorded (the unrolled word, a layer) still says which input it came from when /check or
     * /train finds a mistake there later.
     */
    private final List<Typed> typed = []
    /** The session's final variables, each with the input that declared it. */
    private final Map<String, String> finals = [:]
    /** Whether the last evaluated input stopped with an error (it is then not kept). */
    private boolean lastInputFailed
    private int inputs
    private Device device
    private GanSession session
    private List<Object> sessionKey
    private Thread worker
    private volatile boolean training
    private volatile Trainer running
    private ReplTips tips
    /** Where /train makes the session's run folder (runs/repl-TIMESTAMP); specs point it at a temporary folder. */
    Path runsFolder = Path.of('runs')

    /** One accepted input and the sections it declared, for /save. */
    private static final class Chunk {
        final String source
        final Set<String> declares

        Chunk(String source, Set<String> declares) {
            this.source = source
            this.declares = declares
        }
    }

    /** One input, or a loaded file, and the session line its first line is. */
    private static final class Typed {
        final String name
        final String source
        final int firstLine
        final List<String> lines

        Typed(String name, String source, int firstLine) {
            this.name = name
            this.source = source
            this.firstLine = firstLine
            this.lines = source.split('\n', -1) as List<String>
        }

        boolean holds(int line) { line >= firstLine && line < firstLine + lines.size() }

        /** A session line as the line of this input, counting from 1. */
        int localLine(int line) { line - firstLine + 1 }
    }

    GanRepl(Terminal terminal, Path home, Device device) {
        this.terminal = terminal
        this.home = home
        this.device = device
        this.out = terminal.writer()
        reset()
    }

    /** The JLine reader: multi-line on unclosed brackets, completion, highlighting, persistent history. */
    LineReader reader() {
        if (reader == null) {
            DefaultParser parser = new DefaultParser()
            parser.setEofOnUnclosedBracket(DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE)
            parser.setEofOnUnclosedQuote(true)
            parser.setEscapeChars(new char[0])
            Path history = home.resolve('.ganymede').resolve('repl_history')
            Files.createDirectories(history.parent)
            reader = LineReaderBuilder.builder().terminal(terminal).appName('gan-repl').parser(parser)
                    .completer(new ReplCompleter(this)).highlighter(new ReplHighlighter())
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, '%P   ...> ')
                    .variable(LineReader.INDENTATION, 4)
                    .option(LineReader.Option.INSERT_BRACKET, false)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build()
            if (drawsTips()) {
                tips = new ReplTips(reader)
            }
        }
        reader
    }

    /** Tail tips need a terminal that draws: not a dumb terminal, not a pipe. */
    boolean drawsTips() {
        !(terminal instanceof DumbTerminal) && !terminal.type?.startsWith('dumb')
    }

    /** Whether tips as you type are on (real terminals only). */
    boolean hasTips() {
        reader()
        tips != null
    }

    void banner() {
        out.println("Ganymede ${Backend.version()} gan-repl | device ${Backend.describe(device)}")
        out.println('Declare a GAN line by line (latent, generator { }, discriminator { }, loss, train { }); /help lists commands.')
        out.flush()
    }

    /** Reads and runs inputs until /exit or end of input; returns the exit status. */
    int loop() {
        LineReader r = reader()
        while (true) {
            String line
            try {
                if (tips != null) {
                    r.setTailTip('') // a tip left by a line cleared with Ctrl-C
                    r.setAutosuggestion(LineReader.SuggestionType.HISTORY)
                }
                line = r.readLine('gan> ')
            } catch (UserInterruptException ignored) {
                continue // Ctrl-C at the prompt clears the line
            } catch (EndOfFileException ignored) {
                break
            }
            if (!handle(line)) {
                break
            }
        }
        shutdown()
        0
    }

    /**
     * The --set keys whose setting a built GAN follows when an input changes it: the data rebuilds
     * the networks, the loss, batch and dSteps the trainer (ensureSession), the updates and the rates
     * change the running trainer (GanSession#followTrainingPlan). Seed, duration and samples do not.
     */
    static final List<String> SETTINGS_A_BUILT_GAN_FOLLOWS = ['data', 'loss', 'batch', 'dSteps', 'updates', 'lr.g', 'lr.d'].asImmutable()

    /** Runs one input (code or a slash command); false when the session should end. */
    boolean handle(String input) {
        String line = input.trim()
        if (line.isEmpty()) {
            return true
        }
        if (line.startsWith('/')) {
            return command(line)
        }
        String name = "input ${++inputs}".toString()
        Map<String, String> overriddenBefore = definition.overriddenSettings()
        evaluate(input, name)
        // a setting typed after /load FILE --set replaces the --set (what trains, /save and a resumed run then agree);
        // once the GAN is built, only for the settings ensureSession and followTrainingPlan apply to it
        Map<String, String> replaced = lastInputFailed ? [:] : definition.dropReplacedOverrides(overriddenBefore,
                session == null ? null : SETTINGS_A_BUILT_GAN_FOLLOWS)
        if (replaced) {
            String sets = replaced.collect { k, v -> "--set ${k}=${v}" }.join(' ')
            out.println("note: ${name} changes ${replaced.keySet().join(' and ')}, which /load's ${sets} set: " +
                    (replaced.size() == 1 ? "that --set is dropped, so /save and a resumed run use ${name}'s value"
                            : "those --set are dropped, so /save and a resumed run use ${name}'s values"))
        }
        true
    }

    /** Evaluates code in the session; errors are printed with their place, never a stack trace. */
    Object evaluate(String code, String name) {
        lastInputFailed = true
        GanDefinition.Snapshot before = definition.snapshot()
        Map<String, Object> sectionsBefore = sections()
        SessionDeclarations declarations = new SessionDeclarations(SESSION_NAMES, finals)
        int first = typed.isEmpty() ? 1 : typed.last().firstLine + typed.last().lines.size()
        typed << new Typed(name, code, first)
        try {
            // blank lines first, so that this input's lines are numbered where they sit in the session
            Object result = runner.run('\n' * (first - 1) + code, definition.scriptName, binding, declarations.customizers())
            // an input that ran to its end sets the session's finals; a failed one, not saved either, changes nothing
            Map<String, String> after = declarations.finalsAfter('in ' + name)
            finals.clear()
            finals.putAll(after)
            Set<String> declared = changedSections(sectionsBefore)
            forgetSuperseded(declared)
            chunks << new Chunk(code, declared)
            lastInputFailed = false
            if (result != null && !(result instanceof GanDefinition)) {
                binding.setVariable('_', result)
                out.println("=> ${abbreviate(String.valueOf(result))}")
            }
            return result
        } catch (ScriptException e) {
            printErrors(e, name)
        } catch (GanymedeException | IllegalArgumentException | IllegalStateException e) {
            out.println("Error ${name}: ${e.message}")
        }
        // the words that ran before the mistake are undone: what trains is what /save writes
        boolean undone = before.changed()
        before.restore()
        if (undone) out.println("note: ${name} changes nothing: the words before its mistake are undone too")
        out.flush()
        null
    }

    /** Each error at the input (or file) and line it was typed on; {@code name} for one with no line. */
    void printErrors(ScriptException e, String name) {
        e.errors.each { ScriptError err ->
            Typed t = err.line > 0 && err.file == definition.scriptName ? typedAt(err.line) : null
            String message = inputPlaces(err.message)
            out.println((t == null ? new ScriptError(name, 0, 0, message, null)
                    : new ScriptError(t.name, t.localLine(err.line), err.column, message, t.lines[t.localLine(err.line) - 1])).format())
        }
        out.flush()
    }

    private Typed typedAt(int line) {
        typed.find { it.holds(line) }
    }

    /** A session line as the input (and line in it) it was typed on: "input 3", "line 2 of input 3", "line 48 of dcgan.gan". */
    String nameOfLine(int line) {
        Typed t = line > 0 ? typedAt(line) : null
        if (t == null) return "line ${line}".toString()
        t.lines.size() == 1 ? t.name : "line ${t.localLine(line)} of ${t.name}".toString()
    }

    /** Layer origins in a message ("(gan-repl:12)", as shape errors name layers) as the input's own place: "(input 3:1)". */
    private String inputPlaces(String message) {
        if (message == null) return null
        message.replaceAll(/\(${java.util.regex.Pattern.quote(definition.scriptName)}:(\d+)\)/) { List<String> m ->
            Typed t = typedAt(Integer.parseInt(m[1]))
            t == null ? m[0] : "(${t.name}:${t.localLine(Integer.parseInt(m[1]))})".toString()
        }
    }

    /** Every input so far as one text, numbered as they were compiled. */
    private String typedSource() {
        typed.collect { it.source }.join('\n')
    }

    private static String abbreviate(String s) {
        s.length() > 2000 ? s.substring(0, 2000) + ' ...' : s
    }

    private Map<String, Object> sections() {
        [generator: (Object) definition.generator, discriminator: (Object) definition.discriminator,
         latent: (Object) definition.latentShape, data: (Object) definition.dataName, loss: (Object) definition.lossName]
    }

    private Set<String> changedSections(Map<String, Object> before) {
        Map<String, Object> after = sections()
        Set<String> changed = new LinkedHashSet<>()
        after.each { k, v -> if (!v.is(before[k])) changed << k }
        changed
    }

    /** An input that only declared sections now declared again is dropped from /save. */
    private void forgetSuperseded(Set<String> declared) {
        if (declared.isEmpty()) return
        chunks.removeAll { Chunk c -> !c.declares.isEmpty() && declared.containsAll(c.declares) }
    }

    /** The inputs kept as the session's script, one after another: what a GanSession is built from. */
    private String keptInputs() {
        chunks.collect { it.source }.join('\n')
    }

    /** The session as a .gan script. */
    String sessionScript() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern('yyyy-MM-dd HH:mm'))
        String sets = setsNote('FILE')
        "// saved from gan-repl ${stamp}\n".toString() + (sets ? "// ${sets}\n".toString() : '') + '\n' +
                chunks.collect { it.source.stripTrailing() }.join('\n') + '\n'
    }

    /** What /load's --set values were, which the saved text alone does not carry, for a script saved as {@code file}; null without them. */
    private String setsNote(String file) {
        if (definition.overrides.isEmpty()) {
            return null
        }
        String sets = definition.overrides.collect { k, v -> "--set ${k}=${v}" }.join(' ')
        "loaded with ${sets}: gan run ${file} ${sets} trains the same GAN".toString()
    }

    List<String> variableNames() {
        ((Map<String, Object>) binding.variables).keySet().findAll { !(it in HIDDEN) }.sort() as List<String>
    }

    private static final Set<String> HIDDEN = ['gan', 'scriptName', 'out', '_'] as Set<String>

    /**
     * The name the inputs are compiled under, as one script: not a Groovy name, since a script's
     * class would otherwise shadow a variable of the same name (`session` would be a class).
     */
    static final String SCRIPT_NAME = 'gan-repl'

    /** The binding variables the session sets for itself: a declaration of one of these names stays local. */
    private static final Set<String> SESSION_NAMES = (HIDDEN + ['session']) as Set<String>

    /** Forgets everything: a fresh binding and definition. */
    void reset() {
        stopTraining(true)
        session?.close()
        session = null
        sessionKey = null
        finals.clear()
        definition = new GanDefinition(SCRIPT_NAME, [:])
        definition.interactive = true
        definition.lineNames = { int line -> nameOfLine(line) } as java.util.function.IntFunction<String>
        binding = new Binding()
        binding.setVariable('gan', definition)
        binding.setVariable('scriptName', SCRIPT_NAME)
        chunks.clear()
    }

    // ------------------------------------------------------------------ commands

    private boolean command(String line) {
        List<String> words = line.split(/\s+/) as List<String>
        String name = words[0]
        List<String> args = words.drop(1)
        try {
            switch (name) {
                case '/exit': case '/quit': return false
                case '/help': help(args ? args[0] : null); break
                case '/load': load(args); break
                case '/save': save(args); break
                case '/resume': resume(args); break
                case '/check': ensureSession(); out.println('generator and discriminator build; every shape checks.'); break
                case '/summary': summary(args ? args[0] : null); break
                case '/train': train(args); break
                case '/stop': stopTraining(false); break
                case '/sample': sample(args); break
                case '/plot': plot(); break
                case '/report': report(); break
                case '/eval': measure(args); break
                case '/device': switchDevice(args ? args[0] : null); break
                case '/vars': vars(); break
                case '/reset': reset(); out.println('session reset.'); break
                default:
                    String guess = dev.ganymede.dsl.Words.suggestion(name, COMMANDS.keySet())
                    out.println("unknown command ${name}${guess ? " (did you mean ${guess}?)" : ''}; /help lists the commands")
            }
        } catch (ScriptException e) {
            printErrors(e, name)
        } catch (DslException e) {
            // a check of the whole declaration (the loss against the last layer...) names the line it is about
            printErrors(ScriptRunner.located(e, typedSource(), definition.scriptName), name)
        } catch (GanymedeException | IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            // usage messages already start with the command ("/eval takes ..."): name it once
            out.println(e.message?.startsWith(name + ' ') ? "Error: ${e.message}" : "Error ${name}: ${e.message}")
        }
        out.flush()
        true
    }

    private void help(String topic) {
        out.print(ReplHelp.text(topic))
    }

    private void load(List<String> args) {
        if (args.isEmpty()) throw new IllegalArgumentException('/load needs a file: /load scripts/dcgan.gan')
        Path file = Path.of(args[0])
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file: ${file.toAbsolutePath().normalize()}")
        Map<String, String> sets = setOptions(args.drop(1))
        // a /load that fails keeps nothing: not the file's words, nor its --set values, nor the inputs it replaced
        GanDefinition.Snapshot before = definition.snapshot()
        List<Chunk> chunksBefore = new ArrayList<>(chunks)
        Map<String, String> finalsBefore = new LinkedHashMap<>(finals)
        // the file sees these as params, and the settings gan run --set changes are applied after it, as gan run does
        definition.replaceOverrides(sets)
        String name = file.fileName.toString()
        evaluate(Files.readString(file), name)
        if (!lastInputFailed) {
            try {
                definition.applyOverrides()
            } catch (DslException e) {
                out.println("Error ${name}: ${e.message}")
                lastInputFailed = true
            }
        }
        if (lastInputFailed) {
            before.restore()
            chunks.clear()
            chunks.addAll(chunksBefore)
            finals.clear()
            finals.putAll(finalsBefore)
            return
        }
        out.println("loaded ${file}" + (sets ? ' with ' + sets.collect { k, v -> "${k}=${v}" }.join(' ') : ''))
    }

    /**
     * Starts a fresh session from a run folder, as `gan resume` does: its script.gan with the --set
     * values it ran with, then the checkpoint restored into the trainer; /train goes on to the end.
     */
    private void resume(List<String> args) {
        if (args.size() != 1) throw new IllegalArgumentException('/resume takes a run folder: /resume runs/mixture-gan-20261206-101500')
        Path run = Path.of(args[0])
        // before reset(): a refused /resume leaves the session as it was
        RunFolder.requireRun(run)
        RunFolder.requireCheckpoint(run)
        reset()
        load([run.resolve('script.gan').toString()] + RunFolder.overrides(run).collectMany { k, v -> ['--set', "${k}=${v}".toString()] })
        if (lastInputFailed) {
            return
        }
        if (definition.comparedKey != null) {
            throw new IllegalArgumentException("${run} is a run of a comparison (${definition.comparedKey}): resume it with gan resume ${run}")
        }
        GanSession s = ensureSession()
        long total = s.stepsOf(definition.duration)
        long finished = RunFolder.finishedSteps(run)
        if (finished >= total) {
            out.println("${run} finished its training (${finished} of ${total} steps): nothing to resume; /load its script.gan to train it again")
            return
        }
        long step
        try {
            step = s.resumeFrom(run)
        } catch (RuntimeException e) {
            reset() // half-restored networks must not pass for a fresh session
            throw e
        }
        if (s.finishIfTrained()) {
            out.println("resumed ${run} at its last step (${total}): its report and final figures are written")
            return
        }
        out.println(String.format(Locale.ROOT, 'resumed %s at step %,d of %,d (checkpoint of epoch %d): /train trains the %,d steps left',
                run, step, total, s.trainer().completedEpochs(), s.remainingSteps()))
    }

    /** The --set KEY=VALUE pairs after /load's file name. */
    private static Map<String, String> setOptions(List<String> words) {
        Map<String, String> sets = new LinkedHashMap<>()
        for (int i = 0; i < words.size(); i++) {
            String pair = words[i] == '--set' && i + 1 < words.size() ? words[++i] : words[i].startsWith('--set=') ? words[i].substring(6) : null
            int eq = pair == null ? -1 : pair.indexOf('=')
            if (eq < 1) {
                throw new IllegalArgumentException("/load takes a file, then --set KEY=VALUE for each setting (as gan run): unexpected '${words[i]}'")
            }
            sets[pair.substring(0, eq)] = pair.substring(eq + 1)
        }
        sets
    }

    private void save(List<String> args) {
        if (args.isEmpty()) throw new IllegalArgumentException('/save needs a file name: /save my.gan')
        Path file = Path.of(args[0])
        Files.writeString(file, sessionScript())
        String sets = setsNote(file.toString())
        out.println("saved the session to ${file} (${chunks.size()} inputs)" + (sets ? "; ${sets}" : ''))
    }

    /** Builds (or rebuilds, when the declaration changed) the networks, data and trainer. */
    GanSession ensureSession() {
        requireIdle()
        definition.validate()
        // the networks as declared, then what a trainer is built with that cannot change under a running one
        List<Object> networks = [definition.generator, definition.discriminator, definition.latentShape?.toList(),
                                 definition.uniformNoise, definition.dataName, device] as List<Object>
        Map<String, Object> trainerSettings = [loss: [definition.lossName, definition.lossOptions], batch: definition.batchSize,
                                               dSteps: definition.discriminatorSteps, freshNoise: !definition.reuseFakes] as Map<String, Object>
        List<Object> key = [networks, trainerSettings] as List<Object>
        if (session == null || key != sessionKey) {
            GanSession before = session
            // a GAN that has trained keeps its weights when only the loss or a trainer setting changed
            boolean keepWeights = before != null && before.hasTrainer() && before.trainer().step() > 0 && networks == sessionKey[0]
            GanSession built = new GanSession(definition, keptInputs(), device, typedSource())
            try {
                if (keepWeights) built.takeWeightsFrom(before)
            } catch (RuntimeException e) {
                built.close() // the trained session stays
                throw e
            }
            session = built
            before?.close()
            Map<String, Object> was = before == null ? [:] : (Map<String, Object>) sessionKey[1]
            sessionKey = key
            binding.setVariable('session', session)
            if (keepWeights) {
                List<String> changed = trainerSettings.keySet().findAll { trainerSettings[it] != was[it] } as List<String>
                out.println("note: ${changed.join(' and ')} changed after training began: a new trainer starts from the trained weights " +
                        "at step 0 (optimiser moments and stabilisers afresh, a new run folder at the next /train); to start from new weights, " +
                        '/save FILE, /reset and /load FILE')
            } else {
                String g = String.format('%,d', session.gan.generator().parameterCount())
                String d = String.format('%,d', session.gan.discriminator().parameterCount())
                // an autoencoder's decoder sits in the generator's place and its encoder in the discriminator's
                out.println(definition.isAutoencoder() ? "built encoder (${d} parameters) and decoder (${g} parameters)".toString()
                        : "built generator (${g} parameters) and discriminator (${d} parameters)".toString())
            }
        } else {
            session.linesSource = typedSource() // the inputs since it was built, for located refusals
            if (session.hasTrainer()) {
                String change = session.followTrainingPlan(keptInputs())
                if (change != null) out.println("note: ${change}")
            }
        }
        session
    }

    private void requireIdle() {
        if (training) throw new IllegalStateException('training is running: /stop it first')
    }

    private void summary(String which) {
        GanSession s = ensureSession()
        if (which == null) {
            out.print(s.summary())
        } else if (which == 'generator' || which == 'G') {
            out.print(s.gan.generator().summary())
        } else if (which == 'discriminator' || which == 'D') {
            out.print(s.gan.discriminator().summary())
        } else {
            throw new IllegalArgumentException("/summary takes generator or discriminator, got '${which}'")
        }
    }

    private void train(List<String> args) {
        boolean background = !args.isEmpty() && args.last() == '&'
        List<String> rest = background ? args.subList(0, args.size() - 1) : args
        Interval interval = null
        if (!rest.isEmpty()) {
            long n
            try {
                n = Long.parseLong(rest[0].replace('_', ''))
            } catch (NumberFormatException ignored) {
                throw new IllegalArgumentException("/train takes a number of steps (/train 200) or epochs (/train 2 epochs), got '${rest.join(' ')}'")
            }
            boolean epochs = rest.size() > 1 && rest[1].startsWith('epoch')
            interval = new Interval(n, epochs ? Interval.Unit.EPOCHS : Interval.Unit.STEPS)
        }
        GanSession s = ensureSession()
        if (s.runFolder() == null) {
            s.useRunFolder(newRunFolder())
            out.println("run folder: ${s.runFolder()}")
        }
        Interval what = interval ?: definition.duration
        long before = 0
        if (interval == null && s.resumed) {
            // a resumed run's declared duration is its end, not that many steps more
            if (s.remainingSteps() == 0) {
                out.println("the run has trained its ${s.stepsOf(definition.duration)} steps: /train N trains N more")
                return
            }
            what = s.rest()
            before = s.trainer().step() // the line counts the run's steps, as gan resume's does
        }
        long total = s.stepsOf(what)
        ReplProgress progress = new ReplProgress(total, before, background)
        training = true
        running = s.trainer()
        worker = Thread.start('gan-train') {
            try {
                s.train(what, progress)
            } catch (Throwable t) {
                progress.failure = t
            } finally {
                training = false
                running = null
            }
        }
        out.println("training ${total} steps${background ? ' in the background (/stop stops)' : ' (Ctrl-C stops)'}")
        out.flush()
        if (!background) {
            waitForTraining(progress)
        }
    }

    /**
     * Waits for the worker, drawing progress. On a real terminal Ctrl-C arrives as SIGINT; a dumb
     * terminal (a pipe, a spec) delivers it as the byte ^C in the input, which is watched for here.
     * (A real terminal's reader would block in cooked mode, so it is not read while training.)
     */
    private void waitForTraining(ReplProgress progress) {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, { Terminal.Signal s -> running?.requestStop() } as Terminal.SignalHandler)
        boolean watchInput = terminal instanceof DumbTerminal
        try {
            NonBlockingReader input = terminal.reader()
            while (worker.isAlive()) {
                if (watchInput) {
                    int next = input.peek(100)
                    if (next == 3) {
                        input.read()
                        running?.requestStop()
                    } else if (next != NonBlockingReader.READ_EXPIRED) {
                        worker.join(100) // typed-ahead input waits for the prompt
                    }
                } else {
                    worker.join(100)
                }
                progress.draw()
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous)
        }
        progress.finish()
    }

    private void stopTraining(boolean wait) {
        if (!training) {
            if (!wait) out.println('nothing is training.')
            return
        }
        running?.requestStop()
        if (wait) {
            worker?.join()
        } else {
            out.println('stopping after the current step.')
        }
    }

    /** Progress of a /train: a redrawn line in the foreground, a line above the prompt in the background. */
    private final class ReplProgress implements TrainingListener {
        final long total
        final long before
        final boolean background
        volatile StepRecord last
        volatile TrainingStrategy.RecordedFigures figures = TrainingStrategy.RecordedFigures.ADVERSARIAL
        volatile long done
        volatile Throwable failure
        volatile boolean stopped
        private long lastDraw
        private long first = -1

        ReplProgress(long total, long before, boolean background) {
            this.total = total
            this.before = before
            this.background = background
        }

        @Override
        void onStep(Trainer trainer, StepRecord record) {
            if (first < 0) first = record.step() - 1
            figures = trainer.strategy().recordedFigures()
            last = record
            done = record.step() - first
            if (background && (done % Math.max(1L, total.intdiv(5) as long) == 0 || done == total)) {
                reader().printAbove(line())
            }
        }

        @Override
        void onEnd(Trainer trainer, boolean wasStopped) {
            stopped = wasStopped
            if (background) {
                reader().printAbove(wasStopped ? "training stopped at step ${trainer.step()}; /train continues".toString()
                        : "training done: step ${trainer.step()}".toString())
            }
        }

        String line() {
            StepRecord r = last
            if (r == null) return 'starting...'
            String judged = figures.discriminatorOutputs() ? String.format(Locale.ROOT, ' | D(x) %.3f | D(G(z)) %.3f', r.dReal(), r.dFake()) : ''
            String.format(Locale.ROOT, 'step %d/%d | epoch %d | %s%s | %.0f img/s',
                    before + done, before + total, r.epoch(), figures.losses(r), judged, r.imagesPerSecond())
        }

        void draw() {
            if (terminal instanceof DumbTerminal) return // a pipe gets the final line only
            long now = System.nanoTime()
            if (now - lastDraw > 250_000_000L && last != null) {
                lastDraw = now
                out.print("\r${line()}\u001B[K")
                out.flush()
            }
        }

        void finish() {
            out.print(terminal instanceof DumbTerminal ? "${line()}\n" : "\r${line()}\u001B[K\n")
            if (failure instanceof ScriptException) {
                printErrors((ScriptException) failure, '/train')
            } else if (failure != null) {
                out.println("Error /train: ${failure.message}")
            } else if (stopped) {
                out.println("stopped at step ${session.trainer().step()}; networks and optimiser state are kept, /train continues")
            } else {
                out.println(session.resumed ? "done: the run is at step ${session.trainer().step()}"
                        : "done: ${session.trainer().step()} steps trained in this session")
            }
            out.flush()
        }
    }

    private void sample(List<String> args) {
        requireIdle()
        int n = args.size() > 0 ? Integer.parseInt(args[0]) : 64
        GanSession s = ensureSession()
        Path file = args.size() > 1 ? Path.of(args[1]) : (s.runFolder() ?: Path.of('.')).resolve('sample.png')
        Shape shape = s.gan.sampleShape()
        if (shape.dimension() != 3) throw new IllegalArgumentException("/sample draws image grids; this generator makes samples of shape ${shape}")
        int[] labels = null
        if (s.gan.isConditional()) {
            labels = new int[n]
            for (int i = 0; i < n; i++) labels[i] = i % s.gan.numClasses()
        }
        NDManager scope = Backend.engine().newBaseManager(device)
        try {
            float[] images = s.gan.generate(s.gan.latent().fixedBatch(n, System.nanoTime()), labels, n, scope)
            float[] range = s.dataset().valueRange()
            int columns = s.gan.isConditional() ? s.gan.numClasses() : (int) Math.ceil(Math.sqrt(n))
            SampleGrid.write(images, n, (int) shape.get(0), (int) shape.get(1), (int) shape.get(2), columns, range[0], range[1], file)
        } finally {
            scope.close()
        }
        out.println("wrote ${n} samples to ${file}")
    }

    /** /eval [n]: gan eval's numbers for the session's generator, written to the run folder's evaluation.json when there is one. */
    private void measure(List<String> args) {
        requireIdle()
        int n = args ? Integer.parseInt(args[0]) : Evaluator.DEFAULT_SAMPLES
        if (!Evaluator.acceptsSampleCount(n)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, '/eval takes %,d to %,d samples, got %d',
                    Evaluator.FEWEST_SAMPLES, Evaluator.MOST_SAMPLES, n))
        }
        GanSession s = ensureSession()
        GanDefinition declared = definition
        String source = keptInputs()
        String lines = typedSource()
        Path folder = s.runFolder()
        Evaluate.measure(s, { new GanSession(declared, source, device, lines) } as Supplier<GanSession>,
                folder?.resolve(MetricsTracker.BEST_FILE), n, 1L, true, lineStream(), '/eval',
                folder?.resolve(Evaluate.JSON_FILE))
    }

    /** A PrintStream whose lines go to the terminal as they are completed (a first feature network logs while it trains). */
    private PrintStream lineStream() {
        PrintWriter writer = out
        ByteArrayOutputStream pending = new ByteArrayOutputStream()
        new PrintStream(new OutputStream() {
            @Override
            void write(int b) {
                if (b == ('\n' as char) as int) {
                    writer.println(pending.toString('UTF-8'))
                    writer.flush()
                    pending.reset()
                } else {
                    pending.write(b)
                }
            }
        }, true, 'UTF-8')
    }

    private void plot() {
        requireIdle()
        if (session == null || !session.hasTrainer() || session.trainer().history().isEmpty()) {
            throw new IllegalStateException('nothing trained yet: /train first')
        }
        List<Path> written = RunRecorder.writeCurves(session.trainer(), session.runFolder())
        out.println("wrote ${written.join(' and ')}")
    }

    /** runs/repl-TIMESTAMP, with -2, -3... when two sessions start training in the same second. */
    private Path newRunFolder() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern('yyyyMMdd-HHmmss'))
        Path folder = runsFolder.resolve("repl-${stamp}".toString())
        int n = 2
        while (Files.exists(folder)) {
            folder = runsFolder.resolve("repl-${stamp}-${n++}".toString())
        }
        folder
    }

    /**
     * Rewrites report.html of the session's run folder from the files there (as `gan report`
     * does) and prints its path. Each /train already ends by writing it; /report is for after
     * /plot or /sample, or to find the file.
     */
    private void report() {
        requireIdle()
        Path folder = session?.runFolder()
        if (folder == null) {
            throw new IllegalStateException('no run yet: the report is made from the run folder, which /train creates')
        }
        Path file = RunReport.write(folder)
        out.println("wrote ${file.toAbsolutePath().normalize()}")
    }

    private void switchDevice(String choice) {
        if (choice != null) {
            requireIdle()
            device = Backend.device(Backend.DeviceChoice.parse(choice))
        }
        out.println("device ${Backend.describe(device)}")
    }

    private void vars() {
        List<String> names = variableNames()
        if (names.isEmpty()) {
            out.println('no variables yet.')
        }
        names.each { String n ->
            Object v = binding.getVariable(n)
            String type = v == null ? 'null' : v.getClass().simpleName
            out.println("${n} = ${abbreviate(String.valueOf(v)).readLines().first()}  (${finals.containsKey(n) ? 'final ' + type : type})")
        }
    }

    void shutdown() {
        stopTraining(true)
        session?.close()
        out.flush()
    }

    boolean isTraining() { training }

    GanDefinition getDefinition() { definition }

    GanSession getSession() { session }
}
