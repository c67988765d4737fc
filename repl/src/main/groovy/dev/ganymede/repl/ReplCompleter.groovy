package dev.ganymede.repl

import dev.ganymede.dsl.ScriptRunner
import groovy.transform.CompileStatic
import org.jline.reader.Candidate
import org.jline.reader.Completer
import org.jline.reader.LineReader
import org.jline.reader.ParsedLine
import org.jline.reader.impl.completer.FileNameCompleter

/**
 * Completes slash commands, DSL words, named-argument keys, the session's variables, loss and
 * optimiser names, and file paths after /load and /save.
 */
@CompileStatic
class ReplCompleter implements Completer {

    static final List<String> NAMED_KEYS = ['kernel:', 'stride:', 'padding:', 'outputPadding:', 'bias:', 'momentum:',
                                            'eps:', 'affine:', 'classes:', 'embedding:', 'mode:', 'lr:', 'betas:',
                                            'weightDecay:', 'alpha:', 'realLabel:', 'fakeLabel:', 'halve:', 'minimax:'].asImmutable()
    static final List<String> NAMES = ["'bce'", "'bce-logits'", "'minimax'", "'digits'", "'fashion-mnist'",
                                       "'gaussian-1d'", "'ring'", "'grid'", "'dcgan'", "'pytorch'", "'xavier'", "'kaiming'"].asImmutable()

    private final GanRepl repl
    private final FileNameCompleter files = new FileNameCompleter()

    ReplCompleter(GanRepl repl) {
        this.repl = repl
    }

    @Override
    void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String buffer = line.line()
        if (buffer.trim().startsWith('/')) {
            if (line.wordIndex() == 0) {
                GanRepl.COMMANDS.each { name, help -> candidates << new Candidate(name, name, 'command', help, null, null, true) }
            } else if (line.words()[0] in ['/load', '/save', '/sample']) {
                files.complete(reader, line, candidates)
            } else if (line.words()[0] == '/help') {
                (GanRepl.COMMANDS.keySet().collect { it.substring(1) } + ScriptRunner.ALL_WORDS).each {
                    candidates << new Candidate(it)
                }
            } else if (line.words()[0] == '/summary') {
                ['generator', 'discriminator'].each { candidates << new Candidate(it) }
            } else if (line.words()[0] == '/device') {
                ['cpu', 'gpu', 'auto'].each { candidates << new Candidate(it) }
            }
            return
        }
        ScriptRunner.ALL_WORDS.each { candidates << new Candidate(it, it, 'words', null, null, null, true) }
        NAMED_KEYS.each { candidates << new Candidate(it, it, 'settings', null, null, null, false) }
        NAMES.each { candidates << new Candidate(it, it, 'names', null, null, null, true) }
        repl.variableNames().each { candidates << new Candidate(it, it, 'variables', null, null, null, true) }
    }
}
