package dev.ganymede.repl

import ai.djl.Device
import dev.ganymede.cli.RunFolder
import dev.ganymede.cli.GanCommand
import dev.ganymede.dsl.LanguageHelp
import dev.ganymede.engine.loss.Losses
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
stops it at the next step with networks and optimiser state kept, and /report writes the run's
report.html. On a real terminal the help line of the word being typed appears after the cursor.
Most examples below drive a whole session through a dumb terminal with piped keystrokes, as a user
would type them; ReplInTmuxSpec types into the real gan-repl.
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

    static final String VAE = '''\
data 'digits'
latent 4
encoder {
    flatten
    linear 32
    relu
    linear 8
}
decoder {
    linear 32
    relu
    linear 784
    tanh
    reshape 1, 28, 28
}
loss 'vae'
train { batch 32 }
'''

    /** Where the /load --set table saves its session. */
    static final String SAVED = Files.createTempDirectory('gan-repl-save').resolve('knob-saved.gan').toString()

    @Shared Path home = Files.createTempDirectory('gan-repl-home')
    @Shared Path runs = Files.createTempDirectory('gan-repl-runs')

    /** Runs a session on typed input; returns the screen text and the REPL. */
    Map session(String typed) {
        def out = new ByteArrayOutputStream()
        def terminal = new DumbTerminal('spec', 'xterm', new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)
        terminal.setSize(new Size(160, 40))
        def repl = new GanRepl(terminal, home, Device.cpu())
        repl.runsFolder = runs
        repl.loop()
        terminal.close()
        [screen: out.toString(StandardCharsets.UTF_8), repl: repl]
    }

    def "TAB completes a DSL word: #typed becomes #word"() {
        when: "the user types the start of a word, TAB, and the rest of the line"
        def s = session(typed + '\t' + rest + '\n/exit\n')

        then: "the completed input was evaluated"
        check(s.repl.definition)

        where: "the words come from the DSL's own lists, so stabilisers, new layers and option keys complete too"
        typed                              | rest                 || word                      | check
        'late'                             | ' 8'                 || 'latent'                  | { it.latentShape == [8] as long[] }
        'discri'                           | ' { linear 1 }'      || 'discriminator'           | { it.discriminator.layers*.typeName == ['Linear'] }
        'discriminator { linear 4; minibatchSt' | ' }'            || 'minibatchStd'            | { it.discriminator.layers*.typeName == ['Linear', 'MinibatchStdDev'] }
        'discriminator { maxo'             | ' 4, pieces: 2 }'    || 'maxout'                  | { it.discriminator.layers*.typeName == ['Maxout'] }
        'train { gradientPe'               | ' 10 }'              || 'gradientPenalty'         | { it.stabilisers.keySet() == ['gradientPenalty'] as Set }
        'train { clipW'                    | ' 0.01 }'            || 'clipWeights'             | { it.stabilisers.keySet() == ['clipWeights'] as Set }
        'generator { linear 4, spectralN'  | ' true }'            || 'spectralNorm:'           | { it.generator.layers[0].create().reparametrizations().values()*.class*.simpleName == ['SpectralNorm'] }
    }

    def "TAB offers what the language knows: #what"() {
        expect:
        offered.every { it in list }

        where: "each list is read from the DSL and engine, not copied into the REPL"
        what                                  | list                     | offered
        'the train-block stabilisers'         | ReplCompleter.WORDS      | ['clipWeights', 'gradientPenalty', 'r1', 'r2', 'instanceNoise', 'flipLabels', 'replay', 'ema', 'unrolled', 'featureMatching', 'clipGradients']
        'the new layers'                      | ReplCompleter.WORDS      | ['maxout', 'pack', 'minibatchDiscrimination', 'minibatchStd']
        'keys from the help examples'         | ReplCompleter.NAMED_KEYS | ['spectralNorm:', 'kernel:', 'pieces:', 'kernels:', 'dims:', 'anneal:', 'probability:', 'at:', 'target:', 'lr:', 'betas:', 'fakeLabel:']
        'every loss of the engine, quoted'    | ReplCompleter.NAMES      | Losses.names().collect { "'${it}'".toString() }
        'data sets and other quoted names'    | ReplCompleter.NAMES      | ["'digits'", "'ring'", "'dcgan'", "'bilinear'", "'exponential'"]
    }

    def "no text that is not a key becomes a key: 'folder:PATH' is a data name, not folder:"() {
        expect:
        !('folder:' in ReplCompleter.NAMED_KEYS)
        ReplCompleter.NAMED_KEYS.every { it ==~ /[a-z][A-Za-z]*:/ }
    }

    def "a tip follows the cursor once a word is typed: #typed"() {
        expect: "the tip is the rest of the word's help line, the same text as /help and the docs"
        ReplTips.tip(typed, typed.length()) == expected

        where:
        typed                                      || expected
        'conv '                                    || '64, kernel: 4, stride: 2, padding: 1, bias: false — a 2-d convolution; spectralNorm: true as in SNGAN'
        'generator {\n    relu '                   || '— max(0, x)'
        'train {\n    gradientPenalty '            || LanguageHelp.of('gradientPenalty').substring('gradientPenalty '.length())
        'train { batch 64; ema '                   || LanguageHelp.of('ema').substring('ema '.length())
        'adam('                                    || 'lr: 2e-4, betas: [0.5, 0.999], weightDecay: 0)'
        'train {\n    generator '                  || "adam(lr: 2e-4, betas: [0.5, 0.999]) — the generator's optimiser: adam, sgd or rmsprop"
        'train { discriminator rmsprop(lr: 5e-5, ' || '  ' + LanguageHelp.of('rmsprop')
        'conv 64, '                                || '  ' + LanguageHelp.of('conv')
        'linear 256, spectralNorm: '               || LanguageHelp.of('spectralNorm')
        '/train '                                  || GanRepl.COMMANDS['/train']
        'conv'                                     || null
        'width = 3 '                               || null
        '/nothing '                                || null
    }

    def "tips are for terminals that draw them: a dumb terminal or a pipe gets none"() {
        when:
        def s = session('/exit\n')

        then:
        !s.repl.hasTips()
    }

    def "/report writes the run's report.html and prints where it is"() {
        given: "a session that asks for a report before training, trains 20 steps, and asks again after the report file is gone"
        def typed = GAUSSIAN + '/report\n/train 20\n' +
                "java.nio.file.Files.delete(session.runFolder().resolve('report.html'))\n" + '/report\n/exit\n'

        when:
        def s = session(typed)
        def report = s.repl.session.runFolder().resolve('report.html').toAbsolutePath().normalize()

        then: "before training there is no run to report on"
        s.screen.contains('Error /report: no run yet: the report is made from the run folder, which /train creates')

        and: "after it, /report wrote the page again, inside the session's run folder, and printed its path"
        s.repl.session.runFolder().startsWith(runs)
        s.screen.contains("wrote ${report}")
        Files.isRegularFile(report)

        and: "the page is the run's: 20 steps of the 1D Gaussian GAN"
        def html = Files.readString(report)
        html.contains('<dt>Steps</dt><dd class="value">20</dd>')
        html.contains('gaussian-1d')

        cleanup:
        s?.repl?.shutdown()
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

    /** A GAN on the ring typed as four inputs; the spec below adds the fifth. */
    static final List<String> RING_INPUTS = ["data 'ring'", 'latent 2', 'generator { linear 16; relu; linear 2 }',
                                             'discriminator { linear 16; leakyRelu 0.2; linear 1 }']

    def "a mistake found later, at #command, is located in the input that made it: #what"() {
        when: "a GAN is typed input by input, one of them with the mistake, and #command builds what the inputs declared"
        def s = session((inputs + [command, '/exit']).join('\n') + '\n')

        then: "the error names that input, the line in it and the column, and shows that line, as for a mistake in a script file"
        s.screen.contains(error)
        s.screen.contains(shown)
        !s.screen.contains('\tat ')

        where: """refusals that need the whole declaration (the training strategy, the networks' shapes, the loss against the last
        layer), which gan run reports at the script's line; before, gan-repl printed them without a place ("Error /train: ...")"""
        what                                        | inputs                                                                                          | command    || error                                                                                                                                | shown
        'unrolled with feature matching'            | RING_INPUTS + ['train {\nbatch 32\nunrolled 5\nfeatureMatching\n}']                             | '/train 1' || 'Error input 5:4:5: an unrolled GAN with feature matching is not supported: choose one of unrolled and featureMatching'              | ' 4 |     featureMatching'
        'second-order unrolling after clipping'     | RING_INPUTS + ['train { batch 32; clipWeights 0.01; unrolled 5, secondOrder: true }']           | '/train 1' || 'Error input 5:1:37: second-order unrolling cannot follow critic weights clipped to [-0.01, 0.01]'                                   | ' 1 | train { batch 32; clipWeights 0.01; unrolled 5, secondOrder: true'
        'a layer that cannot follow the one before' | RING_INPUTS.take(2) + ['generator {\nlinear 16\nconv 3, kernel: 3\n}'] + RING_INPUTS.drop(3)    | '/check'   || 'Error input 3:3:5: in generator: layer 1 Conv2d (input 3:3) cannot follow'                                                          | ' 3 |     conv 3, kernel: 3'
        'a sigmoid before a loss on logits'         | RING_INPUTS.take(3) + ['discriminator {\nlinear 16\nlinear 1\nsigmoid\n}', "loss 'bce-logits'"] | '/check'   || "Error input 5:1:1: loss 'bce-logits' applies the sigmoid itself, but the discriminator already ends in sigmoid (line 4 of input 4)" | " 1 | loss 'bce-logits'"
    }

    def "a train block changed after training began applies from the next step, keeping the weights, the step count and the moments"() {
        when: "the GAN trains 2 steps, train { } asks for R1 and unrolling, /train runs twice, then the generator's optimiser becomes SGD"
        def s = session((RING_INPUTS + ['train { batch 32 }', '/train 2', 'train { batch 32; r1 10; unrolled 3 }', '/train 1', '/train 1',
                                        'train { batch 32; r1 10; unrolled 3; generator sgd(lr: 0.01) }', '/train 1', '/exit']).join('\n') + '\n')
        String first = "note: train { } changed after training began (it asks for unrolled updates, 3 look-ahead discriminator steps instead of " +
                "alternating updates; it adds gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real): it applies from step 3; " +
                "the weights, the step count and the optimisers' moments are kept"
        String second = "note: train { } changed after training began (it asks for generator sgd instead of generator adam(betas: [0.5, 0.999]); " +
                "the generator's learning rate 0.0002 becomes 0.01): " +
                "it applies from step 5; the weights, the step count and the discriminator's moments are kept; the generator's SGD " +
                "(it replaces Adam) starts from zero state"
        def trainer = s.repl.@session.trainer()

        then: "the first /train after each change says what changed and from which step it applies"
        s.screen.contains(first)
        s.screen.contains(second)

        and: "each change is said once: /train again with the same block says nothing more"
        s.screen.count('note: train { } changed') == 2

        and: "the trainer unrolls 3 steps with R1, trained all 6 steps, and its SGD made the last step's update"
        trainer.strategy().describe() == 'unrolled updates, 3 look-ahead discriminator steps'
        trainer.stabilisers()*.describe() == ['gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real']
        trainer.step() == 5
        trainer.generatorOptimizer().name() == 'SGD'
        trainer.generatorOptimizer().steps() == 1

        and: "the discriminator's Adam went on counting its updates: 2 before the changes, 3 after (the look-ahead updates are undone)"
        trainer.discriminatorOptimizer().steps() == 5

        and: "the run folder's settings say at which step each change came"
        def settings = Files.readAllLines(s.repl.@session.runFolder().resolve('settings.properties'))
        settings.findAll { it.startsWith('change.') }*.replaceAll(/: .*/, '') == ['change.1=at step 2', 'change.2=at step 4']

        and: "its script.gan is the declaration as it trains now, which a resumed run rebuilds"
        Files.readString(s.repl.@session.runFolder().resolve('script.gan')).readLines().last().startsWith('train { batch 32; r1 10; unrolled 3; generator sgd(lr: 0.01)')
    }

    def "without takes back what a train block added: a trained GAN goes on without it and samples from its own weights"() {
        when: "the ring GAN trains 2 steps unrolled with a weight average, then train { without 'ema', 'unrolled' } and /train 1"
        def s = session((RING_INPUTS + ['train { batch 32; ema 0.99; unrolled 2 }', '/train 2', "train { without 'ema', 'unrolled' }",
                                        '/train 1', '/exit']).join('\n') + '\n')
        def trainer = s.repl.@session.trainer()

        then: "the note names what was dropped and from which step"
        s.screen.contains("note: train { } changed after training began (it asks for alternating updates instead of unrolled updates, " +
                "2 look-ahead discriminator steps; it drops generator weights averaged, decay 0.99 (samples use the average)): it applies from step 3; " +
                "the weights, the step count and the optimisers' moments are kept")

        and: "the trainer alternates without stabilisers, trained 3 steps, and samples come from the trained weights again"
        trainer.strategy().describe() == 'alternating updates'
        trainer.stabilisers().isEmpty()
        trainer.step() == 3
        !s.repl.@session.gan.samplesWithAveragedWeights()
    }

    def "a train block changed before the first step is followed from the first step, without claiming training began"() {
        when: "an input asks for the trainer (its step, 0), then train { } adds R1 before any /train"
        def s = session((RING_INPUTS + ['train { batch 32 }', '/check', 'session.trainer().step()', 'train { batch 32; r1 10 }', '/train 1', '/exit']).join('\n') + '\n')

        then:
        s.screen.contains('note: train { } changed before the first step (it adds gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real): the trainer trains with it from step 1')
        !s.screen.contains('after training began')
        s.repl.@session.trainer().stabilisers()*.describe() == ['gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real']
    }

    def "a learning rate changed after training began applies from the next step and is noted in the run folder"() {
        when: "the ring GAN trains 2 steps with Adam 2e-4, then train { } gives the generator 1e-3, and /train 1"
        def s = session((RING_INPUTS + ['train { batch 32 }', '/train 2', 'train { batch 32; generator adam(lr: 1e-3, betas: [0.5, 0.999]) }',
                                        '/train 1', '/train 1', '/exit']).join('\n') + '\n')
        def trainer = s.repl.@session.trainer()
        def folder = s.repl.@session.runFolder()

        then: "the note says which rate became what, once, and from which step"
        s.screen.contains("note: train { } changed after training began (the generator's learning rate 0.0002 becomes 0.001): it applies " +
                "from step 3; the weights, the step count and the optimisers' moments are kept")
        s.screen.count('note: train { } changed') == 1

        and: "the generator's Adam kept its 2 updates and went on at 1e-3; the discriminator's stayed at 2e-4"
        trainer.generatorOptimizer().baseLearningRate() == 1e-3
        trainer.generatorOptimizer().steps() == 4
        trainer.discriminatorOptimizer().baseLearningRate() == 2e-4

        and: "the run folder says at which step the rate changed, and its script.gan, which a resumed run rebuilds, has the new rate"
        Files.readAllLines(folder.resolve('settings.properties')).contains("change.1=at step 2: the generator's learning rate 0.0002 becomes 0.001")
        Files.readString(folder.resolve('script.gan')).contains('generator adam(lr: 1e-3, betas: [0.5, 0.999])')
    }

    def "a setting typed after /load FILE --set replaces the --set: what trains, /save and a resume agree"() {
        given: "a script file loaded with --set updates=simultaneous"
        def file = Files.createTempFile('loaded', '.gan')
        Files.writeString(file, GAUSSIAN)
        def saved = Files.createTempDirectory('gan-repl-replaced').resolve('replaced.gan')

        when: "it trains 2 steps, an input asks for alternating updates, it trains 1 more and the session is saved"
        def s = session(["/load ${file} --set updates=simultaneous", '/train 2', "train { batch 32; updates 'alternating' }", '/train 1',
                         "/save ${saved}", '/exit'].join('\n') + '\n')
        def folder = s.repl.@session.runFolder()

        then: "the input is said to replace the --set, and the trainer alternates from step 3"
        s.screen.contains("note: input 1 changes updates, which /load's --set updates=simultaneous set: that --set is dropped, " +
                "so /save and a resumed run use input 1's value")
        s.screen.contains('it applies from step 3')
        s.repl.@session.trainer().strategy().describe() == 'alternating updates'

        and: "the run folder keeps no set.updates, so gan resume rebuilds alternating updates"
        RunFolder.overrides(folder).isEmpty()
        Files.readString(folder.resolve('settings.properties')).contains('change.1=at step 2: ')

        and: "the saved script does not tell to run it with --set updates=simultaneous"
        !Files.readString(saved).contains('--set')
    }

    def "a train block that fails part-way changes nothing: #input"() {
        when: "the ring GAN trains 1 step, then #input fails, and /train goes on"
        def s = session((RING_INPUTS + ['train { batch 32 }', '/train 1', input, '/train 1', 'session.trainer().stabilisers().size()',
                                        'session.trainer().strategy().describe()', '/exit']).join('\n') + '\n')

        then: "the error says what is wrong, and the trainer alternates without stabilisers as before"
        s.screen.contains(error)
        !s.screen.contains('note: train { } changed')

        and: "the block put its words back itself, so there was nothing left to undo and no note says so"
        !s.screen.contains('changes nothing')
        s.screen.contains('=> 0')
        s.screen.contains('=> alternating updates')

        where: "the words before the mistake are not kept either"
        input                                 || error
        'train { batch 32; r1 10; ema 1.5 }'  || 'ema takes a decay between 0 and 1 such as 0.999, got 1.5'
        'train { unrolled 3; without ema }'   || "to take it back, quote it: without 'ema'"
        'train { without featureMatching }'   || "without takes the words"
        "train { r1 10; without 'r2' }"       || "without 'r2': train { } has no r2 to take back; it has r1"
    }

    def "an input that fails part-way keeps none of its words: #input"() {
        when: "the ring GAN is typed, then #input fails after its first words, and the session is saved"
        def saved = Files.createTempDirectory('failed-input').resolve('saved.gan')
        def s = session((RING_INPUTS + [input, "/save ${saved}", "[gan.dataName, gan.seed, gan.lossName, gan.generator.layers.size()]", '/exit']).join('\n') + '\n')

        then: "the error is shown, with a note that the words before the mistake are undone, and the GAN is the ring GAN as typed before it"
        s.screen.contains('Error input 5')
        s.screen.contains('note: input 5 changes nothing: the words before its mistake are undone too')
        s.screen.contains('=> [ring, 1, bce, 3]')

        and: "so what trains is what /save writes: the 4 inputs before the failed one"
        s.screen.contains("saved the session to ${saved} (4 inputs)")
        !Files.readString(saved).contains(input)

        where: "top-level words run in order, so each took effect before the mistake"
        input << ["seed 7; data 'grid'; assert false",
                  "loss 'hinge'; Integer.parseInt('x')",
                  'generator { linear 8; relu; linear 4; relu; linear 2 }; latent(-1)']
    }

    def "an input refused before it changed the GAN has nothing to undo, and no note says so: #input"() {
        when:
        def s = session(setup + '\n' + input + '\n/exit\n')

        then: "the error, and no note"
        s.screen.contains(error)
        !s.screen.contains('changes nothing')

        where: "a refused loss puts the previous one back itself, for a GAN and for an autoencoder"
        setup                  | input                     || error
        RING_INPUTS.join('\n') | 'typo()'                  || "unknown word 'typo'"
        RING_INPUTS.join('\n') | "loss 'hinge', margin: 2" || "loss 'hinge' takes no options"
        VAE                    | "loss 'vae', beta: -1"    || "loss 'vae' beta: weighs the KL term and must be positive"
    }

    def "a /load that fails keeps nothing of the file or of its --set values: #what"() {
        given: "a file that declares the grid GAN with hinge loss"
        def file = Files.createTempDirectory('failed-load').resolve('grid.gan')
        Files.writeString(file, "data 'grid'\nloss 'hinge'\ngenerator { linear 8; relu; linear 2 }\n" + fileEnd)

        when: "the ring GAN is typed, then the file is loaded with #sets and fails"
        def s = session((RING_INPUTS + ["/load ${file} ${sets}", '/save ' + file.resolveSibling('saved.gan'),
                                        "[gan.dataName, gan.lossName, gan.generator.layers.size(), gan.overrides.size(), gan.outputs.samples]", '/exit']).join('\n') + '\n')

        then: "the error names the file, and the session is the ring GAN with no --set values (64 samples a grid, the default)"
        s.screen.contains(error)
        s.screen.contains('=> [ring, bce, 3, 0, 64]')
        !s.screen.contains('loaded ')

        and: "/save writes the four typed inputs"
        s.screen.contains('(4 inputs)')

        where:
        what                                 | fileEnd        | sets                              || error
        'a --set value that is not a number' | ''             | '--set batch=many'                || 'Error grid.gan: --set batch=many: batch must be a whole number'
        'a --set key the file does not read' | ''             | '--set bacth=64'                  || "Error grid.gan: --set bacth=64: the script has no setting 'bacth'"
        'a bad --set after a good one'       | ''             | '--set samples=16 --set bacth=64' || "Error grid.gan: --set bacth=64: the script has no setting 'bacth'"
        'a mistake at the file\'s end'       | 'assert false' | '--set batch=64'                  || 'assertion failed'
    }

    def "an every block that fails part-way keeps the outputs declared before it"() {
        when: "every epoch writes 16 samples and a checkpoint; then an every block with a negative sample count fails"
        def s = session((RING_INPUTS + ['train { batch 32 }', 'every(1.epoch) { samples 16; checkpoint }', '/check',
                                        'every(2.epochs) { plots; samples(-1) }',
                                        '[session.definition.outputs.every, session.definition.outputs.samples, session.definition.outputs.checkpoint]',
                                        '/exit']).join('\n') + '\n')

        then: "the error is shown, and the plan is still every epoch, 16 samples, with checkpoints"
        s.screen.contains('Error input 7')
        s.screen.contains('=> [1 epoch, 16, true]')
    }

    def "a GAN that has trained keeps its weights when #what changes, and a new trainer starts: #change"() {
        when: "the ring GAN trains 3 steps, a generator weight is kept in a variable, then #change is typed and the session rebuilt"
        def s = session((RING_INPUTS + ['train { batch 32 }', '/train 3', 'w = session.gan.generator().trainableParameters()[0].value().toFloatArray().toList()',
                                        change, '/check', 'session.gan.generator().trainableParameters()[0].value().toFloatArray().toList() == w',
                                        'session.trainer().step()', '/exit']).join('\n') + '\n')

        then: "the note says what changed and what starts afresh"
        s.screen.contains("note: ${what} changed after training began: a new trainer starts from the trained weights at step 0 " +
                '(optimiser moments and stabilisers afresh, a new run folder at the next /train); to start from new weights, /save FILE, /reset and /load FILE')

        and: "the generator's weights are those trained, and the new trainer is at step 0"
        s.screen.contains('=> true')
        s.screen.contains('=> 0')

        and: "no new networks were built"
        s.screen.count('built generator') == 1

        where: "the settings a running trainer cannot take"
        what                  | change
        'batch'               | 'train { batch 16 }'
        'loss'                | "loss 'hinge'"
        'dSteps'              | 'train { batch 32; dSteps 2 }'
        'loss and freshNoise' | "loss 'lsgan'\ntrain { batch 32; freshNoise }"
    }

    def "a run whose training changed keeps a checkpoint of the change, which /resume takes up as changed"() {
        when: "a ring GAN keeping checkpoints trains 2 steps, then adds R1 and instance noise annealed over an epoch, and trains 1 more"
        def s = session((RING_INPUTS + ['train { batch 32 }', 'every(1.epoch) { checkpoint }', '/train 2',
                                        'train { batch 32; r1 10; instanceNoise 0.1, anneal: 1.epochs }', '/train 1', '/exit']).join('\n') + '\n')
        def run = s.repl.@session.runFolder()

        then: "the note says that the annealing counts the run's steps from its start"
        s.screen.contains('(it adds gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real and instance noise std 0.1, annealed to 0 over 1 epoch): it applies from step 3; ' +
                "the weights, the step count and the optimisers' moments are kept; schedules and annealing count the run's steps from its start")

        when: "a new session resumes the run, then shows its stabilisers and step"
        def resumed = session("/resume ${run}\nsession.trainer().stabilisers()*.describe()\nsession.trainer().step()\n/exit\n")

        then: "it takes up the checkpoint of step 2, saved when the training changed, with the changed training"
        resumed.screen.contains("resumed ${run} at step 2")
        resumed.screen.contains('=> [gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real, instance noise std 0.1, annealed to 0 over 3125 steps]')
        resumed.screen.contains('=> 2')
    }

    def "a change of train { } that the running trainer cannot take is refused at its input, and training goes on as before"() {
        when: "a GAN clipping its critic's weights trains 2 steps, then train { } asks for second-order unrolling, and /train 1 runs"
        def s = session((RING_INPUTS + ['train { batch 32; clipWeights 0.01 }', '/train 2',
                                        'train { batch 32; clipWeights 0.01; unrolled 5, secondOrder: true }', '/train 1', '/exit']).join('\n') + '\n')
        def trainer = s.repl.@session.trainer()

        then: "the error is located at the word in the input that asked for it"
        s.screen.contains('Error input 6:1:37: second-order unrolling cannot follow critic weights clipped to [-0.01, 0.01]')

        and: "the trainer still alternates with its clipping, at step 2: the refused /train trained nothing"
        trainer.strategy().describe() == 'alternating updates'
        trainer.stabilisers()*.describe() == ['critic weights clipped to [-0.01, 0.01]']
        trainer.step() == 2
    }

    def "the session's own variable `session` is the built GAN's session, not the class the inputs compile to"() {
        when: "the ring GAN is built, then its generator's size is asked through `session`"
        def s = session((RING_INPUTS + ['/check', 'session.gan.generator().parameterCount()', '/exit']).join('\n') + '\n')

        then: "2 → 16 → 2 has 82 parameters"
        s.screen.contains('=> 82')
    }

    def "a GAN word after an autoencoder's names the input it goes against"() {
        when: "a decoder is declared, then a generator"
        def s = session('decoder { linear 8 }\ngenerator { linear 8 }\n/exit\n')

        then: "the error says which input declared the decoder (it said 'line -1' before)"
        s.screen.contains('Error input 2:1:1: a generator cannot go with the decoder of input 1: a script declares either a GAN (generator and discriminator) or an autoencoder (encoder and decoder)')
    }

    def "a declaration keeps its variable for the next inputs, its value converted to the declared type: #declaration"() {
        when: "a variable is declared as the mixture scripts do, then used by the next inputs"
        def s = session("${declaration}\nmixture * 2\nmixture.getClass().simpleName\n/vars\n/exit\n")

        then: "the next input sees it with the declared type's value, and /vars lists it"
        s.screen.contains("=> ${twice}")
        s.screen.contains("=> ${type}")
        s.screen.contains("mixture = ${value}")

        where: "the declared type converts the value as it would in a script: an int 1 declared double is 1.0"
        declaration                              || value  | twice      | type
        "def mixture = 'ring'"                   || 'ring' | 'ringring' | 'String'
        "String mixture = params.data ?: 'grid'" || 'grid' | 'gridgrid' | 'String'
        "final String mixture = 'ring'"          || 'ring' | 'ringring' | 'String'
        "int mixture = 21"                       || '21'   | '42'       | 'Integer'
        "double mixture = 1"                     || '1.0'  | '2.0'      | 'Double'
        "String mixture = 1 + 2"                 || '3'    | '33'       | 'String'
        "List<Integer> mixture = [1]"            || '[1]'  | '[1, 1]'   | 'ArrayList'
        "  long mixture = 4; int other = 1"      || '4'    | '8'        | 'Long'
        "int mixture"                            || '0'    | '0'        | 'Integer'
        "def (mixture, other) = ['ring', 1]"     || 'ring' | 'ringring' | 'String'
    }

    def "a declaration of a name the session needs stays local to its input: #declaration"() {
        when: "the name is declared, then the next input declares data"
        def s = session("${declaration}\ndata 'grid'\n/exit\n")

        then: "the session's GAN still hears the script's words"
        !s.screen.contains('Error')
        s.repl.definition.dataName == 'grid'

        where: "gan and params are the script's own properties, session is the REPL's"
        declaration << ["def gan = 1", "Map params = [:]", "String session = 'x'"]
    }

    def "a declaration inside a block stays local to it, as in a script file"() {
        when:
        def s = session("if (true) { int inner = 1 }\ninner\n/exit\n")

        then: "the next input does not know it"
        s.screen.contains("unknown word 'inner'")
    }

    def "a final variable stays final for the rest of the session: #inputs"() {
        when: "a variable is declared final, then the next inputs use it"
        def s = session(inputs.join('\n') + '\n/vars\n/exit\n')

        then: "an assignment of it is refused where it is typed (and nothing else is), and /vars shows what the variable holds"
        error ? s.screen.contains(error) : !s.screen.contains('Error')
        s.screen.contains(listed)

        where: "declaring the name again replaces it, as a redefinition does in a REPL"
        inputs                                                        || error                                                                      | listed
        ['final rate = 1e-4', 'rate = 3e-4']                          || "Error input 2:1:1: rate is final (declared `final rate` in input 1)"  | 'rate = 0.0001  (final BigDecimal)'
        ['final double rate = 1', 'rate += 1']                        || 'Error input 2:1:1: rate is final'                                       | 'rate = 1.0  (final Double)'
        ['final rate = 1', 'if (true) { rate++ }']                    || 'Error input 2:1:13: rate is final'                                      | 'rate = 1  (final Integer)'
        ['final rate = 1; rate = 2']                                  || "Error input 1:1:17: rate is final (declared `final rate` in this input)" | 'no variables yet.'
        ['final rate = 1', 'def (rate, other) = [5, 6]']              || ''                                                                       | 'rate = 5  (Integer)'
        ['final rate = 1', 'def rate = 2', 'rate = 3']                || ''                                                                       | 'rate = 3  (Integer)'
        ['final rate = 1', 'final rate = 2']                          || ''                                                                       | 'rate = 2  (final Integer)'
        ['final rate = 1', '[1, 2].each { rate -> rate = 0 }']        || ''                                                                       | 'rate = 1  (final Integer)'
        ['final rate = 1', 'def f() { int rate = 0; rate = 5 }; f()'] || ''                                                                       | 'rate = 1  (final Integer)'
        ['final rate = 1', 'rate = 2', '/reset', 'rate = 4']          || 'rate is final'                                                          | 'rate = 4  (Integer)'
        ['rate = 1; final rate = 2; rate * 2']                        || ''                                                                       | 'rate = 2  (final Integer)'
        ['final rate = 1', 'rate = 4; def rate = 2']                  || 'Error input 2:1:1: rate is final'                                       | 'rate = 1  (final Integer)'
        ['final rate = 1', '(other, rate) = [1, 2]']                  || 'Error input 2:1:9: rate is final'                                       | 'rate = 1  (final Integer)'
    }

    def "an input that fails while running leaves the final variables as they were: #inputs"() {
        when: "the second input declares rate and then fails, or fails before its declaration"
        def s = session(inputs.join('\n') + '\nrate = 4\n/vars\n/exit\n')

        then: "the third input is judged by the finals of the first"
        s.screen.contains('assertion failed: assert false')
        s.screen.contains('rate is final') == refused
        s.screen.contains(listed)

        where: "a failed input is not saved either, so a /save and /load give the same session"
        inputs                                           || refused | listed
        ['def rate = 1', 'assert false; final rate = 3'] || false   | 'rate = 4  (Integer)'
        ['final rate = 1', 'def rate = 3; assert false'] || true    | 'rate = 3  (final Integer)'
    }

    def "a final declaration that fails to compile leaves the session as it was"() {
        when: "the second input does not compile (no class Rate), so its final rate never ran"
        def s = session("def rate = 1\nfinal Rate rate = 1\nrate = 2\n/vars\n/exit\n")

        then: "rate is still an ordinary variable"
        s.screen.contains('unable to resolve class Rate')
        s.screen.contains('rate = 2  (Integer)')
    }

    def "an error in a declaration points at the column the user typed: #problem"() {
        when:
        def s = session("${declaration}\n/exit\n")

        then:
        s.screen.contains(error)
        s.screen.contains(" 1 | ${declaration}")

        where:
        problem                     | declaration                || error
        'a word the language lacks' | 'double rate = nosuch * 2' || "Error input 1:1:15: unknown word 'nosuch'"
        'a type Groovy cannot find' | 'Rate rate = 2'            || 'Error input 1:1:1: unable to resolve class Rate'
        'the same, with no value'   | 'Rate rate'                || 'Error input 1:1:1: unable to resolve class Rate'
        'a class in an untyped one' | 'def rate = new Rate()'    || 'Error input 1:1:12: unable to resolve class Rate'
    }

    def "the mixture script typed line by line: String mixture = ... then data mixture"() {
        when:
        def s = session("String mixture = params.data ?: 'grid'\ndata mixture\n/exit\n")

        then: "the data word sees the variable of the input before"
        !s.screen.contains('Error')
        s.repl.definition.dataName == 'grid'
    }

    def "/summary prints the table of the declared networks"() {
        when:
        def s = session(GAUSSIAN + '/summary generator\n/exit\n')

        then: "layers, output shapes and parameter counts (G: 8·16 + 16 = 144 and 16 + 1 = 17; D: 16 + 16 and 17)"
        s.screen.contains('built generator (161 parameters) and discriminator (49 parameters)')
        s.screen.contains('0 Linear  [-1, 16]               144')
        s.screen.contains('Total parameters: 161')
    }

    def "an autoencoder in the REPL is named as one: encoder and decoder built, reconstruction and KL in the progress line"() {
        when: "a small VAE trains 5 steps: encoder 784 - 32 - 8 (the mean and log-variance of a 4-d code), decoder 4 - 32 - 784"
        def s = session(VAE + '/train 5\n/exit\n')

        then: "encoder 784·32 + 32 + 32·8 + 8 = 25,384 and decoder 4·32 + 32 + 32·784 + 784 = 26,032 parameters"
        s.screen.contains('built encoder (25,384 parameters) and decoder (26,032 parameters)')

        and: "the progress line names the two terms of the loss, and shows no D(x)"
        s.screen =~ /step 5\/5 \| epoch 1 \| reconstruction [0-9.]+ \| KL [0-9.]+ \| [0-9]+ img\/s/
        !s.screen.contains('D(x)')
    }

    def "/plot writes the curves of the training so far: #written"() {
        when: "#what trains 5 steps and /plot is typed"
        def s = session(script + '/train 5\n/plot\n/exit\n')

        then: "the files the run folder gets at an epoch's end: losses.png, and d-outputs.png when a discriminator judged samples"
        s.screen =~ written

        where:
        what           | script   || written
        'the 1-D GAN'  | GAUSSIAN || /wrote \S+losses\.png and \S+d-outputs\.png/
        'a small VAE'  | VAE      || /wrote \S+losses\.png\n/
    }

    def "/eval measures the generator as gan eval does, beside the floor and the ceiling"() {
        when: "the 1-D Gaussian GAN trains 200 steps and is measured with 1,000 samples"
        def s = session(GAUSSIAN + '/train 200\n/eval 1000\n/eval 10\n/exit\n')
        println s.screen

        then: "the toy metrics of N(4, 1.25²): mean, std and W1, for the generator, real points and the untrained generator"
        s.screen.contains('/eval: 1,000 samples of N(4.0, 1.25²) (seed 1)')
        s.screen =~ /W1 to the data +[0-9.]+ +[0-9.]+ +[0-9.]+ +lower/
        s.screen.contains('floor: held-out real')
        s.screen.contains('ceiling: untrained G')

        and: "the numbers are written into the session's run folder"
        s.screen =~ /wrote .*repl-[0-9-]+.evaluation\.json/

        and: "a sample count out of range is refused"
        s.screen.contains('Error: /eval takes 100 to 50,000 samples, got 10')
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

    def "/resume takes up a stopped run from its checkpoint; /train trains the steps left"() {
        given: "a run of a small ring GAN (100 steps an epoch) trained 250 steps by gan run --checkpoint, made to look killed after step 250"
        def script = Files.createTempFile('ring-epochs', '.gan')
        Files.writeString(script, "data 'ring'\nlatent 2\ngenerator { linear 16; relu; linear 2 }\n"
                + "discriminator { linear 16; leakyRelu 0.2; linear 1 }\nloss 'bce-logits'\ntrain { batch 1000; steps 250 }\n")
        def run = runs.resolve('stopped-ring')
        assert GanCommand.execute(['run', script.toString(), '--checkpoint', '--out', run.toString()] as String[],
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())) == 0
        def properties = run.resolve('run.properties')
        Files.write(properties, Files.readAllLines(properties).findAll { !it.startsWith('finished=') })

        when: "the REPL resumes it and trains"
        def s = session("/resume ${run}\n/train\n/exit\n")

        then: "it loaded the run's script, restored the checkpoint of epoch 2 and trained the 50 steps after it"
        s.screen.contains("resumed ${run} at step 200 of 250 (checkpoint of epoch 2): /train trains the 50 steps left")
        s.screen.contains('training 50 steps')
        s.screen.contains('step 250/250 | epoch 3 |') // the progress line counts the run's steps
        s.screen.contains('done: the run is at step 250')
        s.repl.session.trainer().history()*.step() == (1L..250L).toList()

        when: "the finished run is resumed again, then a folder that is not a run, then a run trained without checkpoints"
        def plain = runs.resolve('plain-ring')
        assert GanCommand.execute(['run', script.toString(), '--steps', '30', '--out', plain.toString()] as String[],
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())) == 0
        def refused = session("/resume ${run}\n/resume ${runs}\n/resume ${plain}\n/exit\n")

        then: "each is refused, saying why, and the finished run is left as it was"
        refused.screen.contains("${run} finished its training (250 of 250 steps): nothing to resume")
        refused.screen.contains("${runs} is not a run folder: it has no script.gan (written by gan run)")
        refused.screen.contains("${plain} has no checkpoint to resume from")
        Files.readString(properties).contains('finished=')

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

    def "/load FILE --set KEY=VALUE works as gan run --set: #what"() {
        given: "a script with a knob of its own, as fgan.gan's divergence"
        def file = Files.createTempFile('knob', '.gan')
        Files.writeString(file, GAUSSIAN.replace("train { batch 32 }", "loss(params.divergence ?: 'bce')\ntrain { batch 32 }"))

        when:
        def screen = session("/load ${file} ${sets}\n${then}\n/exit\n").screen

        then:
        screen.contains(expected.replace('FILE', file.fileName.toString()))

        where:
        what                                          | sets                       | then                            || expected
        'the file reads params.divergence'            | '--set divergence=js'      | 'gan.lossName'                  || '=> js'
        'and says what it was given'                  | '--set divergence=js'      | ''                              || 'with divergence=js'
        "gan run's own settings apply after the file" | '--set batch=16'           | 'gan.batchSize'                 || '=> 16'
        'a key nothing reads is refused'              | '--set divergance=js'      | ''                              || "Error FILE: --set divergance=js: the script has no setting 'divergance'"
        'a value without --set is refused'            | 'divergence=js'            | ''                              || "/load takes a file, then --set KEY=VALUE for each setting (as gan run): unexpected 'divergence=js'"
        'params cannot be assigned in the session'    | '--set divergence=js'      | "params.divergence = 'kl'"      || 'params are read-only: params.divergence comes from --set divergence=VALUE'
        '/save says how to run the file with them'    | '--set divergence=js'      | "/save ${SAVED}"                || "loaded with --set divergence=js: gan run ${SAVED} --set divergence=js trains the same GAN"
    }

    def "/help explains commands, words and techniques by name: /help #topic"() {
        expect:
        session("/help ${topic}\n/exit\n").screen.contains(expected)

        where:
        topic          || expected
        'conv'         || 'conv 64, kernel: 4, stride: 2, padding: 1, bias: false'
        'train'        || '/train: train: /train (the declared duration)'
        'report'       || '/report: write report.html of the run so far'
        'spectralNorm' || 'spectralNorm: true — an option of linear, conv, convT, maxout, minibatchDiscrimination and a learned label embedding'
        'TTUR'         || 'TTUR, two time-scale update rule (Heusel et al. 2017): a learning rate per player'
        'lable'        || "no help on 'lable' (did you mean label?)"
        'wgan-pg'      || "no help on 'wgan-pg' (did you mean wgan-gp?)"
    }

    def "an unknown command suggests the right one"() {
        expect:
        session('/sumary\n/exit\n').screen.contains('unknown command /sumary (did you mean /summary?)')
    }
}
