package dev.ganymede.dsl

import dev.ganymede.engine.GanymedeException
import groovy.transform.CompileStatic
import groovy.transform.ThreadInterrupt
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer
import org.codehaus.groovy.control.customizers.CompilationCustomizer
import org.codehaus.groovy.control.customizers.ImportCustomizer
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.control.messages.SyntaxErrorMessage
import org.codehaus.groovy.syntax.SyntaxException

import java.nio.file.Files
import java.nio.file.Path

/**
 * Compiles and evaluates .gan scripts for every front end: the `gan` command and the REPL share
 * this class, its compiler configuration and its error messages. A script is plain Groovy with
 * {@link GanScript} as base class; it runs with the rights of the user, like a build file.
 */
@CompileStatic
class ScriptRunner {

    /** Every word of the language, for "did you mean" and completion. */
    static final List<String> ALL_WORDS = (GanScript.WORDS + NetworkBlock.WORDS + TrainBlock.WORDS + OutputBlock.WORDS).unique().asImmutable()

    /** The one compiler configuration of .gan files. */
    static CompilerConfiguration configuration() {
        CompilerConfiguration cc = new CompilerConfiguration()
        cc.scriptBaseClass = GanScript.name
        cc.tolerance = 10 // report up to 10 compile errors at once
        ImportCustomizer imports = new ImportCustomizer()
        imports.addStarImports('dev.ganymede.engine.nn', 'dev.ganymede.engine.loss', 'dev.ganymede.engine.optim')
        // a loop in a script stops when its thread is interrupted (Ctrl-C in the REPL)
        cc.addCompilationCustomizers(imports, new ASTTransformationCustomizer(ThreadInterrupt))
        cc
    }

    /** Reads and evaluates a script file; --set values in {@code overrides}. */
    GanDefinition load(Path file, Map<String, String> overrides = [:]) {
        evaluate(readScript(file), file.fileName.toString(), overrides)
    }

    private static String readScript(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ScriptException([new ScriptError(file.toString(), 0, 0,
                    "no such script file (looked for ${file.toAbsolutePath().normalize()})".toString(), null)], null)
        }
        Files.readString(file)
    }

    /**
     * Reads the script.gan of a run folder with the settings the run was made with. One of the runs
     * of a `compare KEY` has KEY among them (gan run refuses that --set on a comparing script), and
     * is that run's own definition: evaluating the comparison again would refuse the setting.
     */
    GanDefinition loadRun(Path file, Map<String, String> settings) {
        String source = readScript(file)
        String name = file.fileName.toString()
        GanDefinition definition = evaluateOnce(source, name, settings)
        if (definition.comparedKey != null && !settings.containsKey(definition.comparedKey)) {
            definition.variants = variants(definition, source, name, settings)
        }
        definition
    }

    /**
     * Evaluates script text into a validated definition, with --set values applied. A script that
     * compares a setting is evaluated once more per compared value, into {@link GanDefinition#variants},
     * so a bad value fails here, at the compare line.
     */
    GanDefinition evaluate(String source, String scriptName, Map<String, String> overrides = [:]) {
        GanDefinition definition = evaluateOnce(source, scriptName, overrides)
        if (definition.comparedKey != null) {
            definition.variants = variants(definition, source, scriptName, overrides)
        }
        definition
    }

    private GanDefinition evaluateOnce(String source, String scriptName, Map<String, String> overrides) {
        GanDefinition definition = new GanDefinition(scriptName, overrides)
        Binding binding = new Binding()
        binding.setVariable('gan', definition)
        binding.setVariable('scriptName', scriptName)
        run(source, scriptName, binding)
        try {
            definition.applyOverrides()
            definition.validate()
        } catch (RuntimeException e) {
            throw located(e, source, scriptName)
        }
        definition
    }

    /** One definition per compared value: the script evaluated with --set KEY=VALUE. */
    private Map<String, GanDefinition> variants(GanDefinition base, String source, String scriptName, Map<String, String> overrides) {
        String key = base.comparedKey
        if (overrides.containsKey(key)) {
            throw atLine("compare ${key}: --set ${key}=${overrides[key]} would replace every compared value; leave it out, or remove the compare".toString(),
                    base.compareLine, source, scriptName, null)
        }
        Map<String, GanDefinition> result = new LinkedHashMap<>()
        for (String value : base.comparedValues) {
            Map<String, String> o = new LinkedHashMap<>(overrides)
            o.put(key, value)
            try {
                result.put(comparisonLabel(key, value), evaluateOnce(source, scriptName, o))
            } catch (ScriptException e) {
                ScriptError first = e.errors[0]
                String message = first.message.replaceFirst(/^--set [^:]*: /, '')
                String at = first.line > 0 && first.line != base.compareLine ? "line ${first.line}: ".toString() : ''
                throw atLine("compare ${key}: value ${value}: ${at}${message}".toString(), base.compareLine, source, scriptName, e)
            }
        }
        result
    }

    /** An error at a known line, with the line's text and a caret under its first word. */
    private static ScriptException atLine(String message, int line, String source, String scriptName, Throwable cause) {
        String sourceLine = lineAt(source.readLines(), line)
        int column = sourceLine == null ? 0 : firstColumn(sourceLine, null)
        new ScriptException([new ScriptError(scriptName, line, column, message, sourceLine)], cause)
    }

    /** How a compared run is labelled in the figure and named on disk: the loss's name, else KEY=VALUE. */
    static String comparisonLabel(String key, String value) {
        key == 'loss' ? value : "${key}=${value}".toString()
    }

    /**
     * Compiles and runs script text in a binding (the REPL keeps one binding for a whole session
     * and adds a customizer that keeps its top-level declarations in it).
     */
    Object run(String source, String scriptName, Binding binding, CompilationCustomizer... extra) {
        Script script
        try {
            CompilerConfiguration cc = configuration()
            cc.addCompilationCustomizers(extra)
            GroovyShell shell = new GroovyShell(ScriptRunner.classLoader, binding, cc)
            script = shell.parse(new GroovyCodeSource(source, scriptName, '/groovy/script'))
        } catch (MultipleCompilationErrorsException e) {
            throw compileErrors(e, source, scriptName)
        }
        try {
            return script.run()
        } catch (ScriptException e) {
            throw e
        } catch (RuntimeException | AssertionError e) {
            // a failed `assert` is an Error: located like any other, it does not end a REPL session
            throw located(e, source, scriptName)
        }
    }

    private static ScriptException compileErrors(MultipleCompilationErrorsException e, String source, String scriptName) {
        List<String> lines = source.readLines()
        List<ScriptError> errors = []
        e.errorCollector.errors.each { message ->
            if (message instanceof SyntaxErrorMessage) {
                SyntaxException s = ((SyntaxErrorMessage) message).cause
                String text = s.originalMessage.replaceAll(/\s*@ line \d+, column \d+\.?$/, '').trim()
                errors << new ScriptError(scriptName, s.line, s.startColumn, text, lineAt(lines, s.line))
            } else if (message instanceof ExceptionMessage) {
                errors << new ScriptError(scriptName, 0, 0, ((ExceptionMessage) message).cause.message, null)
            }
        }
        if (errors.isEmpty()) {
            errors << new ScriptError(scriptName, 0, 0, e.message, null)
        }
        new ScriptException(errors, e)
    }

    /** Turns a runtime failure into a located, plain-sentence error. */
    static ScriptException located(Throwable e, String source, String scriptName) {
        if (e instanceof ScriptException) {
            return (ScriptException) e
        }
        List<String> lines = source.readLines()
        int line = scriptLine(e, scriptName)
        String message = explain(e)
        if (line <= 0 && e instanceof DslException) {
            line = ((DslException) e).line
        }
        if (line <= 0) {
            // shape errors carry the layer's origin, "name.gan:14"
            def m = message =~ /\(${java.util.regex.Pattern.quote(scriptName)}:(\d+)\)/
            if (m.find()) {
                line = Integer.parseInt(m.group(1))
            }
        }
        String missing = missingName(e)
        if (line > 0 && missing != null) {
            line = lineNaming(lines, line, missing)
        }
        String sourceLine = lineAt(lines, line)
        if (missing in TrainBlock.TAKEN_BACK && sourceLine != null &&
                (sourceLine =~ /\bwithout\b[^;}]*(?<![\w'"])${missing}(?![\w'"])/).find()) { // the bare word is among without's
            message += "; to take it back, quote it: without '${missing}'"
        }
        int column = sourceLine == null ? 0 : firstColumn(sourceLine, e)
        new ScriptException([new ScriptError(scriptName, line, column, message, sourceLine)], e)
    }

    private static String explain(Throwable e) {
        if (e instanceof MissingMethodException) {
            MissingMethodException m = (MissingMethodException) e
            String name = m.method
            if (name in ALL_WORDS) {
                String given = m.arguments.collect { it == null ? 'null' : it.getClass().simpleName }.join(', ')
                return "'${name}' cannot take (${given}) here${usage(name)}".toString()
            }
            return "unknown word '${name}'${Words.didYouMean(name, ALL_WORDS)}".toString()
        }
        if (e instanceof MissingPropertyException) {
            String name = ((MissingPropertyException) e).property
            if (name in ALL_WORDS) {
                // `word -0.01` reads as the property `word` minus 0.01
                return "'${name}' needs a value here${usage(name)}; a negative value needs brackets: ${name}(-1)".toString()
            }
            return "unknown word '${name}'${Words.didYouMean(name, ALL_WORDS)}".toString()
        }
        if (e instanceof NumberFormatException) {
            // a --set value read with params.KEY.toInteger(): Java says only 'For input string: "half"'
            def m = e.message =~ /^For input string: (".*?")/
            if (m.find()) {
                return "${m.group(1)} is not a number".toString()
            }
        }
        if (e instanceof GanymedeException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e.message
        }
        if (e instanceof AssertionError) {
            return "assertion failed: ${e.message?.stripTrailing()}".toString()
        }
        "${e.getClass().simpleName}: ${e.message}".toString()
    }

    private static final Map<String, String> USAGE = [
            clipWeights    : 'clipWeights 0.01',
            gradientPenalty: 'gradientPenalty 10',
            r1             : 'r1 10',
            r2             : 'r2 10',
            instanceNoise  : 'instanceNoise 0.05, anneal: 10.epochs',
            flipLabels     : 'flipLabels 0.05',
            replay         : 'replay 50',
            ema            : 'ema 0.999',
            unrolled       : 'unrolled 5',
            clipGradients  : 'clipGradients 0.01  or  clipGradients norm: 1.0',
            conv     : 'conv 64, kernel: 4, stride: 2, padding: 1',
            convT    : 'convT 64, kernel: 4, stride: 2, padding: 1',
            linear   : 'linear 256',
            reshape  : 'reshape 256, 7, 7',
            latent   : 'latent 100  or  latent 100, uniform(-1, 1)',
            data     : "data 'digits'",
            loss     : "loss 'hinge'  or  loss 'lsgan', a: -1, b: 1, c: 0",
            compare  : "compare loss: ['bce', 'wasserstein', 'hinge']",
            dropout  : 'dropout 0.2',
            leakyRelu: 'leakyRelu 0.2',
            label    : 'label classes: 10',
            upsample : 'upsample 2',
            maxout   : 'maxout 200, pieces: 5',
            pack     : 'pack 2',
            minibatchDiscrimination: 'minibatchDiscrimination kernels: 50, dims: 5',
            every    : 'every(1.epoch) { samples 64 }',
            metrics  : 'metrics fd: 5000, keepBest: true',
            batch    : 'batch 64',
            epochs   : 'epochs 20',
            steps    : 'steps 1000',
    ]

    private static String usage(String word) {
        USAGE.containsKey(word) ? "; write it like: ${USAGE[word]}".toString() : ''
    }

    /** The script line a failure happened on, from the stack. */
    static int scriptLine(Throwable e, String scriptName) {
        Throwable t = e
        while (t != null) {
            for (StackTraceElement el : t.stackTrace) {
                if (el.fileName == scriptName && el.lineNumber > 0) {
                    return el.lineNumber
                }
            }
            t = t.cause
        }
        0
    }

    private static String lineAt(List<String> lines, int line) {
        line > 0 && line <= lines.size() ? lines[line - 1] : null
    }

    /** The unknown method's or property's name, for a failure that is one; else null. */
    private static String missingName(Throwable e) {
        e instanceof MissingMethodException ? ((MissingMethodException) e).method
                : e instanceof MissingPropertyException ? ((MissingPropertyException) e).property : null
    }

    /** A name as a whole word (not `size` inside `sizes`). */
    private static java.util.regex.Matcher wordIn(String text, String name) {
        text =~ /(?<![\w\$])${java.util.regex.Pattern.quote(name)}(?![\w\$])/
    }

    /**
     * The line that names the unknown word: the stack trace gives the first line of a statement,
     * and a statement spanning lines (an unclosed bracket) may name it further down.
     */
    private static int lineNaming(List<String> lines, int line, String name) {
        for (int i = line; i <= Math.min(lines.size(), line + 50); i++) {
            if (wordIn(lines[i - 1], name).find()) {
                return i
            }
        }
        line
    }

    /** The word a refusal's message opens with ("clipWeights takes a positive number"), if it is one of the language's. */
    private static String wordOpening(Throwable e) {
        def m = (e?.message ?: '') =~ /^(\w+)\b/
        m.find() && m.group(1) in ALL_WORDS ? m.group(1) : null
    }

    private static int firstColumn(String sourceLine, Throwable e) {
        String name = missingName(e) ?: (e instanceof DslException ? ((DslException) e).word : null)
        if (name != null) {
            def m = wordIn(sourceLine, name)
            if (m.find()) return m.start() + 1
        }
        String opening = wordOpening(e)
        if (opening != null) {
            // only a word written once outside quotes is surely the one that refused
            String code = sourceLine.replaceAll(/'[^']*'|"[^"]*"/) { String quoted -> ' ' * quoted.length() }
            def m = wordIn(code, opening)
            if (m.find()) {
                int at = m.start()
                if (!m.find()) return at + 1
            }
        }
        int i = 0
        while (i < sourceLine.length() && Character.isWhitespace(sourceLine.charAt(i))) i++
        i + 1
    }
}
