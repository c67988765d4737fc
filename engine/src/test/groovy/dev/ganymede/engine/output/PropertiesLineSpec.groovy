package dev.ganymede.engine.output

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("A run folder's .properties lines read back as they were written")
@Narrative("""
settings.properties, run.properties and a checkpoint's trainer.properties are written line by line,
in an order meant for people, and read back with java.util.Properties (gan resume, /resume, gan
sample, the run report). A value from the command line can hold what that format treats as syntax
(a backslash, a leading blank, a line break, a separator in a key): each line escapes it.
""")
class PropertiesLineSpec extends Specification {

    def "#what comes back from java.util.Properties unchanged"() {
        when: "the entry is written as a line of a file, with another line after it, and read"
        def read = new Properties()
        read.load(new StringReader('# a comment first\n' + PropertiesLine.entry(key, value) + '\nnext=1\n'))

        then: "two entries: the key with the value written, and the next line's own"
        read.size() == 2
        read.getProperty(key) == value
        read.getProperty('next') == '1'

        where: "backslashes, blanks at either end, line ends and separators in keys are what the format reads as syntax"
        what                              | key            | value
        'a plain setting'                 | 'batch'        | '64'
        'a Windows path'                  | 'set.data'     | 'C:\\runs\\new'
        'a value starting with blanks'    | 'set.note'     | '  indented'
        'a value ending with blanks'      | 'set.note'     | 'trailing  '
        'a value of one blank'            | 'set.note'     | ' '
        'a value ending with a backslash' | 'set.note'     | 'C:\\'
        'a line break and a tab'          | 'set.note'     | 'one\ntwo\tthree\r'
        'separators inside a value'       | 'loss.formula' | 'D: -log D(x) = 0 # not a comment'
        'a key with separators'           | 'set.a:b=c d'  | 'x'
        'a key that looks like a comment' | '#key'         | '!value'
        'an empty value'                  | 'stabilisers'  | ''
    }

    def "a value's =, :, # and inner blanks stay as typed, so the line reads as text"() {
        expect:
        PropertiesLine.of('generator.1', 'Linear(in_features=2, out_features=400, bias=False)') ==
                'generator.1=Linear(in_features=2, out_features=400, bias=False)\n'
        PropertiesLine.of('loss.formula', 'D: max(0, 1 - D(x)) # hinge') == 'loss.formula=D: max(0, 1 - D(x)) # hinge\n'
    }
}
