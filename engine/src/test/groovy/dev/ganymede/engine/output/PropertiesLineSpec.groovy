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
        when: "the line is written and read"
        def read = new Properties()
        read.load(new StringReader('# a comment first\n' + PropertiesLine.of(key, value)))

        then: "one entry, with the key and value written"
        read.size() == 1
        read.getProperty(key) == value

        where:
        what                             | key          | value
        'a plain setting'                | 'batch'      | '64'
        'a Windows path'                 | 'set.data'   | 'C:\\runs\\new'
        'a value starting with blanks'   | 'set.note'   | '  indented'
        'a value ending with blanks'     | 'set.note'   | 'trailing  '
        'a line break and a tab'         | 'set.note'   | 'one\ntwo\tthree\r'
        'separators inside a value'      | 'loss.formula' | 'D: -log D(x) = 0 # not a comment'
        'a key with separators'          | 'set.a:b=c d'  | 'x'
        'a key that looks like a comment'| '#key'       | '!value'
        'letters beyond ASCII'           | 'set.titel'  | 'naïve Gauß, 生成'
        'an empty value'                 | 'stabilisers' | ''
    }

    def "the line ends with a line break and keeps '=' as its only separator"() {
        expect:
        PropertiesLine.of('generator.1', 'Linear(in_features=2, out_features=400, bias=False)') ==
                'generator.1=Linear(in_features=2, out_features=400, bias=False)\n'
    }
}
