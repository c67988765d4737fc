package dev.ganymede.repl

import dev.ganymede.dsl.ScriptRunner
import groovy.transform.CompileStatic
import org.jline.reader.Highlighter
import org.jline.reader.LineReader
import org.jline.utils.AttributedString
import org.jline.utils.AttributedStringBuilder
import org.jline.utils.AttributedStyle

import java.util.regex.Matcher
import java.util.regex.Pattern

/** Colours DSL words, Groovy keywords, strings, numbers, comments and slash commands. */
@CompileStatic
class ReplHighlighter implements Highlighter {

    static final Set<String> KEYWORDS = ['def', 'var', 'if', 'else', 'for', 'while', 'in', 'return', 'true', 'false',
                                         'null', 'new', 'class', 'import', 'each', 'times'] as Set<String>
    private static final Pattern TOKENS = ~/(\/\/.*$)|('[^']*'?|"[^"]*"?)|(\b\d[\d_.eE+-]*\b)|([A-Za-z_]\w*)|(\S)/

    @Override
    AttributedString highlight(LineReader reader, String buffer) {
        AttributedStringBuilder sb = new AttributedStringBuilder()
        if (buffer.startsWith('/')) {
            int end = buffer.indexOf(' ')
            end = end < 0 ? buffer.length() : end
            sb.styled(AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA), buffer.substring(0, end))
            sb.append(buffer.substring(end))
            return sb.toAttributedString()
        }
        Matcher m = TOKENS.matcher(buffer)
        int last = 0
        while (m.find()) {
            sb.append(buffer.substring(last, m.start()))
            String t = m.group()
            if (m.group(1) != null) {
                sb.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT), t)
            } else if (m.group(2) != null) {
                sb.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN), t)
            } else if (m.group(3) != null) {
                sb.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN), t)
            } else if (m.group(4) != null && t in ScriptRunner.ALL_WORDS) {
                sb.styled(AttributedStyle.BOLD.foreground(AttributedStyle.BLUE), t)
            } else if (m.group(4) != null && t in KEYWORDS) {
                sb.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW), t)
            } else {
                sb.append(t)
            }
            last = m.end()
        }
        sb.append(buffer.substring(last))
        sb.toAttributedString()
    }

    @Override
    void setErrorPattern(Pattern errorPattern) {}

    @Override
    void setErrorIndex(int errorIndex) {}
}
