package dev.ganymede.dsl

import spock.lang.Specification
import spock.lang.Title
import spock.lang.Narrative

@Title("The code of a script, comments and layout aside")
@Narrative("""
Two versions of a `.gan` script whose code is the same train the same run, so `gan bench mixtures`
reuses a finished trial when only a comment, a blank line or the spacing of its script changed,
and trains it again when anything else did. Groovy's own lexer tells a comment from a string or a
slashy regex that holds `//`; a line break still ends a statement, so it still counts (once, however
many blank and comment lines it spans).
""")
class ScriptCodeSpec extends Specification {

    static final String SAME = 'the same code (a benchmark trial is reused)'
    static final String OTHER = 'other code (a benchmark trial is refused)'

    static final String SCRIPT = """\
data 'ring'
latent 2
train {
    batch 200
    steps 90000
}
"""

    def "#change: #verdict"() {
        expect:
        ScriptCode.sameCode(SCRIPT, edited) == (verdict == SAME)

        where:
        change                                      | edited                                                                 || verdict
        'nothing'                                   | SCRIPT                                                                 || SAME
        'a comment line added at the top'           | "// PacGAN2 on the ring\n" + SCRIPT                                    || SAME
        'a comment after a statement'               | SCRIPT.replace("latent 2", "latent 2   // 2-D noise")                  || SAME
        'a block comment and blank lines'           | SCRIPT.replace("train {", "/* the schedule */\n\n\ntrain {")           || SAME
        'spaces and indentation'                    | SCRIPT.replace("    batch 200", "  batch   200")                       || SAME
        'a number'                                  | SCRIPT.replace("steps 90000", "steps 80000")                           || OTHER
        'a string'                                  | SCRIPT.replace("'ring'", "'grid'")                                     || OTHER
        'a statement added'                         | SCRIPT.replace("latent 2", "latent 2\nseed 3")                         || OTHER
        'two lines joined with a semicolon'         | SCRIPT.replace("data 'ring'\nlatent 2", "data 'ring'; latent 2")      || OTHER
        'a // inside a string (not a comment)'      | SCRIPT.replace("'ring'", "'ring//x'")                                  || OTHER
    }

    def "a source Groovy cannot read is the same only as its own text"() {
        given: "a script with an unterminated string"
        String broken = "data 'ring\nlatent 2\n"

        expect:
        ScriptCode.tokens(broken) == null
        ScriptCode.sameCode(broken, broken)
        !ScriptCode.sameCode(broken, broken + "// note\n")
    }
}
