package dev.ganymede.repl

import ai.djl.Device
import dev.ganymede.cli.GanCommand
import org.jline.terminal.Size
import org.jline.terminal.impl.DumbTerminal
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

@Title("gan-repl: declaring and training a GAN one input at a time")
@Narrative("""
The REPL runs the .gan language with one Groovy binding for the whole session, so variables and
networks survive between inputs. Unclosed brackets continue on the next line, TAB completes words,
errors are located and the session goes on, /train runs in the background of the prompt and Ctrl-C
stops it at the next step with networks and optimiser state kept. Each example below drives a
whole session through a dumb terminal with piped keystrokes, as a user would type them.
""")
class GanReplSpec extends Specification {

    static final String GAUSSIAN = '''\
data 'gaussian-1d'
latent 8
generator {
    linear 16
    relu
    linear 1
}
discriminator {
    linear 16
    leakyRelu 0.2
    linear 1
    sigmoid
}
train { batch 32 }
'''

    @Shared Path home = Files.createTempDirectory('gan-repl-home')

    /** Runs a session on typed input; returns the screen text and the REPL. */
    Map session(String typed) {
        def out = new ByteArrayOutputStream()
        def terminal = new DumbTerminal('spec', 'xterm', new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)
        terminal.setSize(new Size(160, 40))
        def repl = new GanRepl(terminal, home, Device.cpu())
        repl.loop()
        terminal.close()
        [screen: out.toString(StandardCharsets.UTF_8), repl: repl]
    }

    def "TAB completes a DSL word: #typed becomes #word"() {
        when: "the user types the start of a word, TAB, and the rest of the line"
        def s = session(typed + '\t' + rest + '\n/exit\n')

        then: "the completed input was evaluated"
        check(s.repl.definition)

        where:
        typed   | rest            || word       | check
        'late'  | ' 8'            || 'latent'   | { it.latentShape == [8] as long[] }
        'discri'| ' { linear 1 }' || 'discriminator' | { it.discriminator.layers*.typeName == ['Linear'] }
    }

    def "an unclosed brace continues on the next lines until it closes"() {
        when: "a generator is typed over four lines (the REPL indents continuation lines itself)"
        def s = session('latent 4\ngenerator {\nlinear 8\nrelu\n}\n/exit\n')

        then: "it is one input with two layers"
        s.repl.definition.generator.layers*.typeName == ['Linear', 'ReLU']
    }

    def "an error is located in its input, and the session goes on with its variables"() {
        when:
        def s = session('width = 32\ngenerator {\ndesne width\n}\nwidth * 2\n/exit\n')

        then: "the error names the input, the line in it and the column, without a stack trace"
        s.screen.contains("Error input 2:2:5: unknown word 'desne' (did you mean dense?)")
        s.screen.contains(' 2 |     desne width')
        !s.screen.contains('\tat ')

        and: "the next input still sees the variable"
        s.screen.contains('=> 64')
    }

    def "/summary prints the table of the declared networks"() {
        when:
        def s = session(GAUSSIAN + '/summary generator\n/exit\n')

        then: "layers, output shapes and parameter counts (G: 8·16 + 16 = 144 and 16 + 1 = 17; D: 16 + 16 and 17)"
        s.screen.contains('built generator (161 parameters) and discriminator (49 parameters)')
        s.screen.contains('0 Linear  [-1, 16]               144')
        s.screen.contains('Total parameters: 161')
    }

    def "Ctrl-C stops /train at the next step; /train then continues from there"() {
        given: "a long /train interrupted by Ctrl-C, then a short one"
        def typed = GAUSSIAN + '/train 1000000\n\u0003/train 25\n/exit\n'

        when:
        def s = session(typed)
        def trainer = s.repl.session.trainer()
        def steps = trainer.history()*.step()

        then: "the first run stopped early and the second ran 25 more steps on the same networks and optimisers"
        s.screen.contains('stopped at step')
        s.screen.contains('/train continues')
        steps.size() < 1_000_000
        steps == (1L..steps.size()).toList()
        trainer.step() == steps.size()
        s.screen.contains("done: ${trainer.step()} steps trained in this session")

        cleanup:
        s?.repl?.shutdown()
    }

    def "/save writes the session as a script that gan check accepts"() {
        given:
        def file = Files.createTempFile('session', '.gan')

        when: "a session declares a GAN, redefines its generator, and saves"
        def s = session(GAUSSIAN + 'generator {\n    linear 32\n    relu\n    linear 1\n}\n' + "/save ${file}\n/exit\n")

        then: "the file holds the latest generator only"
        def text = Files.readString(file)
        text.count('generator {') == 1
        text.contains('linear 32')

        and: "gan check accepts it"
        GanCommand.execute(['check', file.toString()] as String[], new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())) == 0
    }

    def "/help explains commands and words: /help #topic"() {
        expect:
        session("/help ${topic}\n/exit\n").screen.contains(expected)

        where:
        topic    || expected
        'conv'   || 'conv 64, kernel: 4, stride: 2, padding: 1, bias: false'
        'train'  || '/train: train: /train (the declared duration)'
        'lable'  || "no help on 'lable' (did you mean label?)"
    }

    def "an unknown command suggests the right one"() {
        expect:
        session('/sumary\n/exit\n').screen.contains('unknown command /sumary (did you mean /summary?)')
    }
}
