package dev.ganymede.repl

import dev.ganymede.dsl.LanguageHelp
import dev.ganymede.dsl.ScriptRunner
import dev.ganymede.engine.data.Datasets
import dev.ganymede.engine.loss.Losses
import groovy.transform.CompileStatic
import org.jline.reader.Candidate
import org.jline.reader.Completer
import org.jline.reader.LineReader
import org.jline.reader.ParsedLine
import org.jline.reader.impl.completer.FileNameCompleter

import java.util.regex.Matcher

/**
 * Completes slash commands, DSL words, named-argument keys, the session's variables, loss, data
 * and other quoted names, and file paths after /load, /save, /sample and /resume.
 *
 * <p>Nothing here is a copy of the language: the words are the DSL's own lists
 * ({@link ScriptRunner#ALL_WORDS}, i.e. the top-level, layer, train-block and output words), the
 * named-argument keys and quoted names are read from the examples of {@link LanguageHelp}, the
 * losses from {@link Losses#names()} and the data sets from {@link Datasets#names()}. A new word
 * with a help line is therefore completed without touching the REPL.
 */
@CompileStatic
class ReplCompleter implements Completer {

    /** Every word of the language: the DSL's word lists, and help topics such as spectralNorm. */
    static final List<String> WORDS = (ScriptRunner.ALL_WORDS + LanguageHelp.WORDS.keySet()).unique().asImmutable()

    /**
     * Loss options the help line of loss does not spell out (it shows realLabel: and halve:);
     * the others come from the help examples.
     */
    private static final List<String> UNSHOWN_KEYS = ['fakeLabel', 'minimax']

    /** Named-argument keys ({@code kernel:}, {@code spectralNorm:}, {@code lr:}...), as the help examples write them. */
    static final List<String> NAMED_KEYS = namedKeys()

    /** Quoted names: losses, data sets, and the names the help examples quote ('dcgan', 'bilinear', 'step'...). */
    static final List<String> NAMES = quotedNames()

    private final GanRepl repl
    private final FileNameCompleter files = new FileNameCompleter()

    ReplCompleter(GanRepl repl) {
        this.repl = repl
    }

    private static List<String> namedKeys() {
        Set<String> keys = new TreeSet<>(UNSHOWN_KEYS)
        LanguageHelp.WORDS.each { String word, String text ->
            Matcher m = unquoted(text) =~ /\b([a-z][A-Za-z]*):(?=\s)/
            while (m.find()) keys << m.group(1)
        }
        keys.collect { it + ':' }.asImmutable()
    }

    private static List<String> quotedNames() {
        Set<String> names = new LinkedHashSet<>(Losses.names())
        Datasets.names().findAll { !it.contains('<') }.each { names << it }
        LanguageHelp.WORDS.values().each { String text ->
            Matcher m = text =~ /'([a-z][\w-]*)'/
            while (m.find()) names << m.group(1)
        }
        names.collect { "'${it}'".toString() }.asImmutable()
    }

    /** The text with quoted strings blanked, so 'folder:PATH' is not taken for a key. */
    private static String unquoted(String text) {
        text.replaceAll(/'[^']*'/, "''")
    }

    /** The short help shown beside a word in the completion list. */
    static String shortHelp(String word) {
        String help = LanguageHelp.of(word)
        if (help == null) return null
        int dash = help.indexOf(' — ')
        String s = dash > 0 ? help.substring(dash + 3) : help
        s.length() > 60 ? s.substring(0, 59) + '…' : s
    }

    @Override
    void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String buffer = line.line()
        if (buffer.trim().startsWith('/')) {
            if (line.wordIndex() == 0) {
                GanRepl.COMMANDS.each { name, help -> candidates << new Candidate(name, name, 'command', help, null, null, true) }
            } else if (line.words()[0] in ['/load', '/save', '/sample', '/resume']) {
                files.complete(reader, line, candidates)
            } else if (line.words()[0] == '/help') {
                (GanRepl.COMMANDS.keySet().collect { it.substring(1) } + WORDS).each {
                    candidates << new Candidate(it)
                }
            } else if (line.words()[0] == '/summary') {
                ['generator', 'discriminator'].each { candidates << new Candidate(it) }
            } else if (line.words()[0] == '/device') {
                ['cpu', 'gpu', 'auto'].each { candidates << new Candidate(it) }
            }
            return
        }
        ScriptRunner.ALL_WORDS.each { candidates << new Candidate(it, it, 'words', shortHelp(it), null, null, true) }
        NAMED_KEYS.each { candidates << new Candidate(it, it, 'settings', null, null, null, false) }
        NAMES.each { candidates << new Candidate(it, it, 'names', null, null, null, true) }
        repl.variableNames().each { candidates << new Candidate(it, it, 'variables', null, null, null, true) }
    }
}
