package dev.ganymede.dsl;

import groovyjarjarantlr4.v4.runtime.ANTLRErrorListener;
import groovyjarjarantlr4.v4.runtime.CharStreams;
import groovyjarjarantlr4.v4.runtime.RecognitionException;
import groovyjarjarantlr4.v4.runtime.Recognizer;
import groovyjarjarantlr4.v4.runtime.Token;
import java.util.ArrayList;
import java.util.List;
import org.apache.groovy.parser.antlr4.GroovyLangLexer;
import org.apache.groovy.parser.antlr4.GroovyLexer;
import org.apache.groovy.parser.antlr4.GroovySyntaxError;

/**
 * The code of a script without its comments and layout: two versions of a script whose code is the
 * same train the same run, so the benchmark can reuse a trial after a comment was edited. Read with
 * Groovy's own lexer (a {@code //} inside a string or a slashy regex is not a comment); a line break
 * still ends a statement, so runs of blank and comment lines count as one break.
 */
public final class ScriptCode {

    private ScriptCode() {
    }

    /** Whether the two sources differ only in comments, blank lines and spaces; a source Groovy cannot read is compared as text. */
    public static boolean sameCode(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        List<String> ta = tokens(a);
        List<String> tb = tokens(b);
        return ta != null && ta.equals(tb);
    }

    /** The code's tokens (a line break as one "NL", however many lines and comments it spans), or null when Groovy cannot read it. */
    public static List<String> tokens(String source) {
        List<String> out = new ArrayList<>();
        try {
            GroovyLangLexer lexer = new GroovyLangLexer(CharStreams.fromString(source));
            lexer.removeErrorListeners();
            lexer.addErrorListener(REFUSAL);
            for (Token t : lexer.getAllTokens()) {
                if (t.getChannel() != Token.DEFAULT_CHANNEL) {
                    continue; // block comments between tokens
                }
                if (t.getType() == GroovyLexer.NL) {
                    if (!out.isEmpty() && !out.get(out.size() - 1).equals("NL")) {
                        out.add("NL");
                    }
                } else {
                    out.add(t.getType() + ":" + t.getText());
                }
            }
        } catch (RuntimeException | GroovySyntaxError e) {
            return null; // a lexing error (Groovy's lexer throws an Error for some): only the same text is the same code
        }
        while (!out.isEmpty() && out.get(out.size() - 1).equals("NL")) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Lexing errors end the reading: the lexer would otherwise skip what it cannot read. */
    private static final ANTLRErrorListener<Integer> REFUSAL = new ANTLRErrorListener<>() {
        @Override
        public <T extends Integer> void syntaxError(Recognizer<T, ?> recognizer, T symbol, int line, int column,
                String message, RecognitionException e) {
            throw new IllegalArgumentException("line " + line + ": " + message);
        }
    };
}
