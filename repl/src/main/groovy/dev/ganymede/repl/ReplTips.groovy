package dev.ganymede.repl

import dev.ganymede.dsl.LanguageHelp
import groovy.transform.CompileStatic
import org.jline.reader.Buffer
import org.jline.reader.LineReader
import org.jline.reader.Widget
import org.jline.widget.Widgets

import java.util.regex.Matcher

/**
 * Tips as you type, on JLine's tail-tip display (the grey text after the cursor that
 * {@code TailTipWidgets} uses): once a word of the language is typed and followed by a space or an
 * open bracket ({@code conv }, {@code gradientPenalty }, {@code adam(}), the rest of its help line
 * appears after the cursor — its arguments with example values, then what it does. The text is
 * {@link LanguageHelp}'s, as in /help and the docs. Where no word applies, the grey text is the
 * most recent matching input from the history instead (fish-style, as JLine's
 * {@code AutosuggestionWidgets}), which → or End accepts.
 *
 * <p>{@code TailTipWidgets} itself is made for shell commands (the first word of the whole buffer,
 * positional arguments, options starting with -); the language has words at any depth of a
 * multi-line input and Groovy named arguments, so these widgets find the word themselves with
 * {@link #tip}. They are installed on real terminals only: a dumb terminal or a pipe draws no
 * tail tips.
 */
@CompileStatic
class ReplTips extends Widgets {

    ReplTips(LineReader reader) {
        super(reader)
        addWidget('_gan-tip-self-insert', { -> edited(LineReader.SELF_INSERT) } as Widget)
        addWidget('_gan-tip-backward-delete-char', { -> edited(LineReader.BACKWARD_DELETE_CHAR) } as Widget)
        addWidget('_gan-tip-delete-char', { -> edited(LineReader.DELETE_CHAR) } as Widget)
        addWidget('_gan-tip-kill-whole-line', { -> edited(LineReader.KILL_WHOLE_LINE) } as Widget)
        addWidget('_gan-tip-backward-kill-line', { -> edited(LineReader.BACKWARD_KILL_LINE) } as Widget)
        addWidget('_gan-tip-backward-kill-word', { -> edited(LineReader.BACKWARD_KILL_WORD) } as Widget)
        addWidget('_gan-tip-kill-line', { -> edited(LineReader.KILL_LINE) } as Widget)
        addWidget('_gan-tip-complete', { -> edited(LineReader.EXPAND_OR_COMPLETE) } as Widget)
        addWidget('_gan-tip-accept-line', { -> accept() } as Widget)
        addWidget('_gan-tip-forward-char', { -> takeHistory(LineReader.FORWARD_CHAR) } as Widget)
        addWidget('_gan-tip-end-of-line', { -> takeHistory(LineReader.END_OF_LINE) } as Widget)
        aliasWidget('_gan-tip-self-insert', LineReader.SELF_INSERT)
        aliasWidget('_gan-tip-backward-delete-char', LineReader.BACKWARD_DELETE_CHAR)
        aliasWidget('_gan-tip-delete-char', LineReader.DELETE_CHAR)
        aliasWidget('_gan-tip-kill-whole-line', LineReader.KILL_WHOLE_LINE)
        aliasWidget('_gan-tip-backward-kill-line', LineReader.BACKWARD_KILL_LINE)
        aliasWidget('_gan-tip-backward-kill-word', LineReader.BACKWARD_KILL_WORD)
        aliasWidget('_gan-tip-kill-line', LineReader.KILL_LINE)
        aliasWidget('_gan-tip-complete', LineReader.EXPAND_OR_COMPLETE)
        aliasWidget('_gan-tip-accept-line', LineReader.ACCEPT_LINE)
        aliasWidget('_gan-tip-forward-char', LineReader.FORWARD_CHAR)
        aliasWidget('_gan-tip-end-of-line', LineReader.END_OF_LINE)
        setSuggestionType(LineReader.SuggestionType.HISTORY)
    }

    /** Runs the editing widget, then shows the tip of the word being typed, or a history suggestion. */
    private boolean edited(String widget) {
        callWidget(widget)
        Buffer b = buffer()
        String tip = b.cursor() == b.length() ? tip(b.toString(), b.cursor()) : null
        if (tip != null) {
            // JLine drops the first word of a tail tip when the cursor follows a non-space (it takes
            // it for the argument being typed), unless the tip starts with a space
            String shown = b.prevChar() == 32 ? tip : ' ' + tip
            int room = reader.terminal.width - column(b.toString()) - 3
            setSuggestionType(LineReader.SuggestionType.TAIL_TIP)
            setTailTip(room > 8 && shown.length() > room ? shown.substring(0, room - 1) + '…' : shown)
        } else {
            setTailTip('')
            setSuggestionType(LineReader.SuggestionType.HISTORY)
        }
        true
    }

    /**
     * The column the cursor is at: the prompt ('gan> ', or '  ...> ' on continuation lines) and the
     * last line of the input. A tip is cut to the rest of the screen line, as a wrapped tip would
     * be left on the screen after the input is accepted.
     */
    private static int column(String buffer) {
        int nl = buffer.lastIndexOf('\n')
        nl < 0 ? 'gan> '.length() + buffer.length() : '  ...> '.length() + buffer.length() - nl - 1
    }

    private boolean accept() {
        setTailTip('')
        setSuggestionType(LineReader.SuggestionType.HISTORY)
        callWidget(LineReader.ACCEPT_LINE)
        true
    }

    /** → or End at the end of the input takes the history suggestion; elsewhere they move as usual. */
    private boolean takeHistory(String widget) {
        Buffer b = buffer()
        String suggestion = tailTip()
        if (b.cursor() == b.length() && reader.autosuggestion == LineReader.SuggestionType.HISTORY && suggestion) {
            putString(suggestion)
        } else {
            callWidget(widget)
        }
        true
    }

    /**
     * The tip for input {@code buffer} with the cursor at {@code cursor}, or null. The word is the
     * one whose bracket is still open ({@code adam(lr: 1e-3, }), else the first word of the
     * current statement (after a newline, {@code ;} or <code>{</code>); it counts once a space or a
     * bracket follows it. Right after the word the tip is the rest of its help line; further on,
     * when arguments are being typed, the whole line, so the example stays readable. A slash
     * command followed by a space shows what it does, and a named-argument key with help
     * ({@code spectralNorm: }) shows its own line.
     */
    static String tip(String buffer, int cursor) {
        String head = buffer.substring(0, cursor)
        String line = head.substring(head.lastIndexOf('\n') + 1)
        if (line.startsWith('/')) {
            Matcher c = line =~ /^(\/\w+)\s+$/
            return c.find() ? GanRepl.COMMANDS[c.group(1)] : null
        }
        Matcher key = line =~ /\b([a-z][A-Za-z]*):\s*$/
        if (key.find() && LanguageHelp.of(key.group(1)) != null) {
            return LanguageHelp.of(key.group(1))
        }
        int open = unclosedParen(line)
        if (open >= 0) {
            Matcher w = line.substring(0, open) =~ /([A-Za-z_]\w*)\s*$/
            if (w.find()) {
                String help = helpIn(w.group(1), enclosingBlock(head))
                if (help != null) return rest(help, w.group(1), line.substring(open + 1))
            }
        }
        String statement = line.substring(Math.max(line.lastIndexOf(';'), line.lastIndexOf('{')) + 1)
        Matcher first = statement =~ /^\s*([A-Za-z_]\w*)(\s+|\()(.*)$/
        if (!first.find()) return null
        String help = helpIn(first.group(1), enclosingBlock(head))
        help == null ? null : rest(help, first.group(1), first.group(3))
    }

    /** A word's help, where generator and discriminator inside train { } are the optimisers. */
    private static String helpIn(String word, String block) {
        if (block == 'train' && (word == 'generator' || word == 'discriminator')) {
            return "${word} adam(lr: 2e-4, betas: [0.5, 0.999]) — the ${word}'s optimiser: adam, sgd or rmsprop".toString()
        }
        LanguageHelp.of(word)
    }

    /** The help after the word and its bracket when nothing is typed yet, else the whole help line. */
    private static String rest(String help, String word, String typed) {
        if (!typed.trim().isEmpty()) return '  ' + help
        String after = help.startsWith(word) ? help.substring(word.length()) : ' — ' + help
        after = after.startsWith('(') ? after.substring(1) : after
        after.trim()
    }

    /** The index of the innermost ( still open in the line, or -1. */
    private static int unclosedParen(String line) {
        int depth = 0
        for (int i = line.length() - 1; i >= 0; i--) {
            char ch = line.charAt(i)
            if (ch == (char) ')') depth++
            else if (ch == (char) '(') {
                if (depth == 0) return i
                depth--
            }
        }
        -1
    }

    /** The word before the innermost { still open in the input (train, generator...), or null. */
    private static String enclosingBlock(String head) {
        int depth = 0
        for (int i = head.length() - 1; i >= 0; i--) {
            char ch = head.charAt(i)
            if (ch == (char) '}') depth++
            else if (ch == (char) '{') {
                if (depth == 0) {
                    Matcher w = head.substring(0, i) =~ /([A-Za-z_]\w*)(?:\([^()]*\))?\s*$/
                    return w.find() ? w.group(1) : null
                }
                depth--
            }
        }
        null
    }
}
