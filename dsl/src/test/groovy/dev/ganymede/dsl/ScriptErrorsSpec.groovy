package dev.ganymede.dsl

import ai.djl.Device
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Errors a person can act on: every mistake in a .gan script is located and explained")
@Narrative("""
A script error is reported as one message: `Error file.gan:line:column: what is wrong`, then the
offending line and a caret under the place. There is no Groovy stack trace (the `gan` command
shows one only with --stacktrace). Misspelt words get a "did you mean", wrong settings name the
setting, a missing section says what to add, shape mismatches name both layers and their shapes.
""")
class ScriptErrorsSpec extends Specification {

    static final String VALID = '''\
latent 8
generator {
    linear 16
    relu
    linear 2
}
discriminator {
    linear 16
    leakyRelu 0.2
    linear 1
}
'''

    def runner = new ScriptRunner()

    def "a valid script loads into a definition with both networks"() {
        when: "the minimal script is evaluated"
        def d = runner.evaluate(VALID, 'toy.gan')

        then: "it declared 8-dimensional noise, and the two networks with three layers each"
        d.latentShape == [8] as long[]
        d.generator.layers*.typeName == ['Linear', 'ReLU', 'Linear']
        d.discriminator.layers*.typeName == ['Linear', 'LeakyReLU', 'Linear']
    }

    def "#mistake is reported at line #line, column #column: #message"() {
        when: "a script with the mistake is evaluated"
        runner.evaluate(source, 'toy.gan')

        then: "one located error explains it"
        def e = thrown(ScriptException)
        e.errors.size() == 1
        with(e.errors[0]) {
            it.message == message
            it.line == line
            it.column == column
        }

        and: "the formatted error shows the place with a caret"
        e.errors[0].format().startsWith("Error ${e.errors[0].location()}: ${message}")
        e.errors[0].location() == (line > 0 ? "toy.gan:${line}:${column}" : 'toy.gan')

        where:
        mistake                  | source                                                        || line | column | message
        "a misspelt layer"       | VALID.replace('    linear 16\n    relu', '    desne 16\n    relu') || 3 | 5 | "unknown word 'desne' (did you mean dense?)"
        "a misspelt bare word"   | VALID.replace('    relu', '    rleu')                          || 4    | 5      | "unknown word 'rleu' (did you mean relu?)"
        "a word on a continued line" | VALID + "def widths = [16,\n    widht]\n"                   || 13   | 5      | "unknown word 'widht'"
        "a failed assert"        | VALID + "int width = 16\nassert width % 3 == 0\n"              || 13   | 1      | "assertion failed: assert width % 3 == 0\n       |     |   |\n       16    1   false"
        "a misspelt setting"     | VALID.replace('linear 2', 'conv 2, kernal: 4')                 || 5    | 5      | "conv does not take 'kernal:' (did you mean kernel?); it takes kernel:, stride:, padding:, bias:, spectralNorm:"
        "a missing kernel"       | VALID.replace('linear 2', 'conv 2, stride: 2')                 || 5    | 5      | "conv needs a kernel size, e.g. conv 64, kernel: 4, stride: 2, padding: 1"
        "a bad value"            | VALID.replace('leakyRelu 0.2', 'dropout 1.5')                  || 9    | 5      | "Dropout probability must be in [0, 1), got 1.5"
        "a wrong argument type"  | VALID.replace('linear 2', "linear 'two'")                      || 5    | 5      | "'linear' cannot take (String) here; write it like: linear 256"
        "an unknown loss"        | VALID + "loss 'wasserstien'\n"                               || 12   | 1      | "unknown loss 'wasserstien' (did you mean wasserstein?); known losses are bce, bce-logits, minimax, lsgan, hinge, wasserstein, kl, reverse-kl, js, pearson, hellinger, kl-wgan"
        "a bad value in a one-line block" | VALID + "train { batch 64; clipWeights(-0.01) }\n"   || 12   | 19     | 'clipWeights takes a positive number, got -0.01'
        "a refusal by a word written twice" | VALID + "train { generator adam(lr: 1e-4); discriminator adam(lr: 4e-4, beta: 0.9) }\n" || 12 | 1 | "adam does not take 'beta:' (did you mean betas?); it takes lr:, betas:, eps:, weightDecay:"
        "a word taken back that holds a value" | VALID + "train { batch 64; without 'batch' }\n" || 12 | 19   | "without 'batch': batch holds a value rather than adding to training; write batch again with the value you want"
        "no latent noise"        | VALID.replace('latent 8\n', '')                                || 0    | 0      | "the script declares no latent noise: add e.g. `latent 100` before the generator"
        "no discriminator"       | VALID.substring(0, VALID.indexOf('discriminator'))            || 0    | 0      | "the script declares no discriminator: add a `discriminator { ... }` block"
        "a generator twice"      | VALID + "generator {\n    linear 2\n}\n"                       || 12   | 1      | "the generator is declared twice (first at line 2)"
        "half a condition"       | VALID.replace('    linear 16\n    relu', '    label classes: 10\n    linear 16\n    relu') || 8 | 1 | "the generator reads a class label but the discriminator does not: a conditional GAN conditions both (add `label classes: N` to the discriminator)"
        "a condition and a pack" | VALID.replace('    linear 16\n    relu', '    label classes: 10\n    linear 16\n    relu').replace('    linear 16\n    leakyRelu', '    pack 2\n    linear 16\n    leakyRelu') || 8 | 1 | "the generator reads a class label but the discriminator does not: a conditional GAN conditions both (remove the generator's label, or remove `pack`: PacGAN packing of a conditional discriminator is not supported)"
    }

    def "several compile errors are reported at once, each with its line and column"() {
        given: "a script naming two classes that do not exist (Groovy's parser stops at the first syntax error, but collects these)"
        def source = 'latent 8\ndef a = new Generatr()\ngenerator {\n    linear 16\n}\ndef b = new Discriminatr()\n'

        when:
        runner.evaluate(source, 'broken.gan')

        then: "both are reported, in order"
        def e = thrown(ScriptException)
        e.errors*.line == [2, 6]
        e.errors*.column == [9, 9]
        e.errors*.message == ['unable to resolve class Generatr', 'unable to resolve class Discriminatr']
    }

    def "an unclosed block is a compile error at the end of the script"() {
        when:
        runner.evaluate('latent 8\ngenerator {\n    linear 16\n', 'open.gan')

        then:
        def e = thrown(ScriptException)
        e.errors[0].message.contains("Unexpected input: '{'")
        e.errors[0].line == 2
    }

    def "a shape mismatch names both layers, their shapes and the script line"() {
        given: "a generator that makes 2 values per sample and a discriminator that expects images"
        def source = VALID.replace('    linear 16\n    leakyRelu 0.2\n    linear 1', '    conv 8, kernel: 3\n    flatten\n    linear 1')

        when: "the networks are built"
        new GanSession(runner.evaluate(source, 'toy.gan'), source, Device.cpu())

        then: "the error points at the convolution's line"
        def e = thrown(ScriptException)
        e.errors[0].line == 8
        e.errors[0].message == "in discriminator: layer 0 Conv2d (toy.gan:8) cannot follow the input (2,): " +
                "Conv2d expects (channels, height, width), but its input is (2,)"
    }

    def "a missing data folder is reported at the data line with what to do"() {
        given:
        def source = "data '/nowhere/fashion'\n" + VALID
        def session = new GanSession(runner.evaluate(source, 'toy.gan'), source, Device.cpu())

        when: "the data is loaded"
        session.dataset()

        then:
        def e = thrown(ScriptException)
        e.errors[0].line == 1
        e.errors[0].message.contains('/nowhere/fashion')

        cleanup:
        session?.close()
    }

    def "--set #key=#value #outcome"() {
        when:
        def error = null
        def d = null
        try {
            d = runner.evaluate(VALID + "train { batch 64 }\n", 'toy.gan', [(key): value])
        } catch (ScriptException e) {
            error = e.errors[0].message
        }

        then:
        error == message
        d == null || check(d)

        where:
        key       | value           | outcome                          || message                                                                                   | check
        'batch'   | '16'            | 'overrides the batch size'       || null                                                                                      | { GanDefinition it -> it.batchSize == 16 }
        'steps'   | '500'           | 'sets the duration in steps'     || null                                                                                      | { GanDefinition it -> it.duration.toString() == '500 steps' }
        'data'    | 'fashion-mnist' | 'changes the data set'           || null                                                                                      | { GanDefinition it -> it.dataName == 'fashion-mnist' }
        'lr.g'    | '1e-4'          | "changes G's learning rate"      || null                                                                                      | { GanDefinition it -> it.generatorOptimizer.create().learningRate() == 1e-4 }
        'bacth'   | '16'            | 'is refused with a suggestion'   || "--set bacth=16: the script has no setting 'bacth' (did you mean batch?); --set understands data, batch, epochs, steps, seed, loss, dSteps, samples, lr.g, lr.d, updates and the params.* the script reads" | null
        'batch'   | 'many'          | 'is refused as not a number'     || '--set batch=many: batch must be a whole number'                                         | null
        'updates' | 'simultaneous'  | 'switches to simultaneous updates' || null                                                                                    | { GanDefinition it -> it.strategy().describe() == 'simultaneous updates' }
        'updates' | 'simultanous'   | 'is refused with a suggestion'   || "--set updates=simultanous: updates takes 'alternating' (D first, then G against the updated D; the default) or 'simultaneous' (both gradients at the same weights, then both steps), got 'simultanous' (did you mean simultaneous?)"                  | null
    }

    def "params are read-only: #change is refused at its line, whichever way the map is changed"() {
        given: "a script that reads params.width and then tries to change params on line 1"
        def source = change + '\n' + VALID.replace('linear 16\n    relu', "linear((params.width ?: '16') as int)\n    relu")

        when:
        runner.evaluate(source, 'toy.gan', [width: '32'])

        then: "the change is refused where it is written, since it would only alter a copy and be lost"
        def e = thrown(ScriptException)
        e.errors[0].line == 1
        e.errors[0].message == message

        where:
        change                                || message
        "params.width = '8'"                  || 'params are read-only: params.width comes from --set width=VALUE (gan run, gan bench, /load FILE --set ...)'
        "params.putAll(width: '8')"           || 'params are read-only: params.width comes from --set width=VALUE (gan run, gan bench, /load FILE --set ...)'
        "params.putIfAbsent('depth', '3')"    || 'params are read-only: params.depth comes from --set depth=VALUE (gan run, gan bench, /load FILE --set ...)'
        "params.remove('width')"              || 'params are read-only: they come from --set KEY=VALUE (gan run, gan bench, /load FILE --set ...)'
        "params.clear()"                      || 'params are read-only: they come from --set KEY=VALUE (gan run, gan bench, /load FILE --set ...)'
        "params.replaceAll { k, v -> v * 2 }" || 'params are read-only: they come from --set KEY=VALUE (gan run, gan bench, /load FILE --set ...)'
    }

    def "a script reads its own knobs from params, and --set fills them"() {
        given:
        def source = VALID.replace('linear 16\n    relu', "linear((params.width ?: '16') as int)\n    relu")

        expect:
        runner.evaluate(source, 'toy.gan', [width: '32']).generator.layers[0].create().outFeatures() == 32
        runner.evaluate(source, 'toy.gan').generator.layers[0].create().outFeatures() == 16
    }
}
