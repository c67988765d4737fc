package dev.ganymede.dsl

import ai.djl.Device
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.loss.FDivergence
import dev.ganymede.engine.loss.FGan
import dev.ganymede.engine.loss.KlWasserstein
import dev.ganymede.engine.loss.LeastSquares
import dev.ganymede.engine.output.CsvLog
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files

@Title("The loss word and compare: choosing the game, and training several to compare them")
@Narrative("""
`loss 'NAME', option: value` picks what the two players minimise: 'bce', 'bce-logits', 'minimax',
'lsgan' (with its targets a, b, c), 'hinge', 'wasserstein', the f-GAN divergences 'kl',
'reverse-kl', 'js', 'pearson', 'hellinger' and 'kl-wgan'. Only the BCE losses read probabilities,
and 'bce' follows the discriminator: after a final sigmoid it reads probabilities, without one it
reads logits (the same objective, computed stably). Every other loss reads D's raw score and refuses
a discriminator that ends in sigmoid, at load time, with the line to fix.

`compare KEY: [values]` trains the script once per value of any setting --set accepts, each run in
a sub-folder, and draws all their losses in one figure: seed 001's loss comparison is
`compare loss: ['bce', 'wasserstein', 'hinge']`.
""")
class LossWordSpec extends Specification {

    /** A toy GAN whose discriminator (line 8) ends in a raw score; a word appended comes on line 10. */
    static final String RAW = '''\
data 'gaussian-1d'
latent 4
generator {
    linear 8
    relu
    linear 1
}
discriminator { linear 8; leakyRelu 0.2; linear 1 }
train { batch 16 }
'''

    /** The same GAN with a final sigmoid, on line 9; a word appended comes on line 11. */
    static final String PROBABILITIES = RAW.replace('discriminator { linear 8; leakyRelu 0.2; linear 1 }',
            'discriminator { linear 8; leakyRelu 0.2; linear 1\n    sigmoid }')

    def runner = new ScriptRunner()

    def "#declaration on a D #ending gives the #expected loss"() {
        when:
        def loss = runner.evaluate(source + declaration + '\n', 'toy.gan').adversarialLoss()

        then:
        loss.name() == expected
        check(loss)

        where:
        declaration                          | source        || ending              | expected      | check
        ''                                   | PROBABILITIES || 'ending in sigmoid' | 'bce'         | { BinaryCrossEntropy b -> !b.isOnLogits() && !b.isMinimax() }
        ''                                   | RAW           || 'with a raw score'  | 'bce-logits'  | { BinaryCrossEntropy b -> b.isOnLogits() }
        "loss 'bce'"                         | RAW           || 'with a raw score'  | 'bce-logits'  | { BinaryCrossEntropy b -> b.isOnLogits() }
        "loss 'minimax'"                     | RAW           || 'with a raw score'  | 'bce-logits'  | { BinaryCrossEntropy b -> b.isOnLogits() && b.isMinimax() }
        "loss 'minimax'"                     | PROBABILITIES || 'ending in sigmoid' | 'bce'         | { BinaryCrossEntropy b -> !b.isOnLogits() && b.isMinimax() }
        "loss 'lsgan'"                       | RAW           || 'with a raw score'  | 'lsgan'       | { LeastSquares l -> [l.fakeTarget(), l.realTarget(), l.generatorTarget()] == [0d, 1d, 1d] }
        "loss 'least-squares', a: -1, c: 0"  | RAW           || 'with a raw score'  | 'lsgan'       | { LeastSquares l -> [l.fakeTarget(), l.realTarget(), l.generatorTarget()] == [-1d, 1d, 0d] }
        "loss 'hinge'"                       | RAW           || 'with a raw score'  | 'hinge'       | { it.describe() == 'D: E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]; G: −E[D(G(z))]' }
        "loss 'wgan'"                        | RAW           || 'with a raw score'  | 'wasserstein' | { it.describe().startsWith('D: E[D(G(z))] − E[D(x)]; G: −E[D(G(z))]') }
        "loss 'kl-gan'"                      | RAW           || 'with a raw score'  | 'kl'          | { FGan f -> f.divergence() == FDivergence.KL && !f.isSaturating() }
        "loss 'js', saturating: true"        | RAW           || 'with a raw score'  | 'js'          | { FGan f -> f.divergence() == FDivergence.JENSEN_SHANNON && f.isSaturating() }
        "loss 'kl-wgan', hinge: true"        | RAW           || 'with a raw score'  | 'kl-wgan'     | { KlWasserstein k -> k.isHinge() }
    }

    def "#mistake is reported at line #line, column #column: #message"() {
        when:
        runner.evaluate(source, 'toy.gan')

        then:
        def e = thrown(ScriptException)
        e.errors.size() == 1
        with(e.errors[0]) {
            it.message == message
            it.line == line
            it.column == column
        }

        where:
        mistake                        | source                                                   || line | column | message
        'a misspelt loss'              | RAW + "loss 'hingle'\n"                                  || 10   | 1      | "unknown loss 'hingle' (did you mean hinge?); known losses are bce, bce-logits, minimax, lsgan, hinge, wasserstein, kl, reverse-kl, js, pearson, hellinger, kl-wgan"
        'a misspelt option'            | RAW + "loss 'lsgan', b: 1, cc: 0\n"                      || 10   | 1      | "loss 'lsgan' does not take 'cc:' (did you mean c?); it takes a:, b:, c:"
        'an option of another loss'    | RAW + "loss 'hinge', realLabel: 0.9\n"                   || 10   | 1      | "loss 'hinge' takes no options, got realLabel:"
        'a word for a number'          | RAW + "loss 'lsgan', a: 'zero'\n"                        || 10   | 1      | "loss 'lsgan' a: must be a number, got 'zero'"
        'a number for a flag'          | RAW + "loss 'kl', saturating: 1\n"                       || 10   | 1      | "loss 'kl' saturating: must be true or false, got 1"
        'equal LSGAN targets'          | RAW + "loss 'lsgan', a: 1\n"                             || 10   | 1      | "the least-squares fake target a and real target b must differ (both are 1.0), or D cannot tell real from fake"
        'hinge after a sigmoid'        | PROBABILITIES + "loss 'hinge'\n"                         || 11   | 1      | "loss 'hinge' reads the discriminator's raw score, but the discriminator ends in sigmoid (line 9), which squashes it into (0, 1): remove that sigmoid"
        'an f-GAN after a sigmoid'     | PROBABILITIES + "loss 'pearson'\n"                       || 11   | 1      | "loss 'pearson' reads the discriminator's raw score, but the discriminator ends in sigmoid (line 9), which squashes it into (0, 1): remove that sigmoid"
        'two sigmoids'                 | PROBABILITIES + "loss 'bce-logits'\n"                    || 11   | 1      | "loss 'bce-logits' applies the sigmoid itself, but the discriminator already ends in sigmoid (line 9): remove that sigmoid, or use loss 'bce'"
    }

    def "--set loss=#value on a script declaring #declared #outcome"() {
        when:
        def error = null
        def d = null
        try {
            d = runner.evaluate(source + declared + '\n', 'toy.gan', [loss: value])
        } catch (ScriptException e) {
            error = e.errors[0]
        }

        then:
        (error == null ? null : "${error.line}: ${error.message}".toString()) == message
        d == null || d.adversarialLoss().describe() == describe

        where:
        declared                             | value            | source        | outcome                                       || message | describe
        "loss 'lsgan', a: -1, b: 1, c: 0"    | 'hinge'          | RAW           | 'drops the options of the other loss'        || null    | 'D: E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]; G: −E[D(G(z))]'
        "loss 'lsgan', a: -1, b: 1, c: 0"    | 'least-squares'  | RAW           | 'keeps the options of the same loss'         || null    | 'D: ½E[(D(x) − 1)²] + ½E[(D(G(z)) + 1)²]; G: ½E[D(G(z))²]'
        "loss 'bce'"                         | 'wasserstien'    | RAW           | 'is refused with a suggestion'               || "0: --set loss=wasserstien: unknown loss 'wasserstien' (did you mean wasserstein?); known losses are bce, bce-logits, minimax, lsgan, hinge, wasserstein, kl, reverse-kl, js, pearson, hellinger, kl-wgan" | null
        "loss 'bce'"                         | 'hinge'          | PROBABILITIES | 'is refused at the sigmoid it cannot read'   || "9: loss 'hinge' reads the discriminator's raw score, but the discriminator ends in sigmoid (line 9), which squashes it into (0, 1): remove that sigmoid" | null
    }

    def "compare loss: [...] makes one definition per loss, each the script with --set loss=VALUE"() {
        given:
        def source = RAW + "loss 'lsgan', a: -1, b: 1, c: 0\ncompare loss: ['bce', 'wasserstein', 'lsgan']\n"

        when:
        def d = runner.evaluate(source, 'toy.gan', [steps: '5'])

        then: "the script itself keeps its loss; each compared run has its own, and the other --set values"
        d.adversarialLoss().name() == 'lsgan'
        d.variants.keySet() as List == ['bce', 'wasserstein', 'lsgan']
        d.variants.values()*.adversarialLoss()*.name() == ['bce-logits', 'wasserstein', 'lsgan']
        d.variants.values().every { it.duration.toString() == '5 steps' }

        and: "the script's loss keeps its options only in the run of the same loss"
        d.variants['lsgan'].adversarialLoss().describe() == 'D: ½E[(D(x) − 1)²] + ½E[(D(G(z)) + 1)²]; G: ½E[D(G(z))²]'
    }

    def "compare works on any --set key, including the script's own params: #key"() {
        when:
        def d = runner.evaluate(source, 'toy.gan')

        then:
        d.variants.keySet() as List == labels
        d.variants.values().collect(check) == values

        where:
        key       | source                                                                                   || labels                         | check                                                         | values
        'lr.d'    | RAW + "compare 'lr.d': [1e-4, 4e-4]\n"                                                   || ['lr.d=0.0001', 'lr.d=0.0004'] | { GanDefinition it -> it.discriminatorOptimizer.create().learningRate() } | [1e-4, 4e-4]
        'width'   | RAW.replace('linear 8\n    relu', "linear((params.width ?: '8') as int)\n    relu") + "compare width: [8, 32]\n" || ['width=8', 'width=32'] | { GanDefinition it -> it.generator.layers[0].create().outFeatures() } | [8, 32]
    }

    def "a compare mistake is reported at the compare line: #message"() {
        when:
        runner.evaluate(RAW + declaration + '\n', 'toy.gan', overrides)

        then:
        def e = thrown(ScriptException)
        e.errors[0].line == 10
        e.errors[0].message == message

        where:
        declaration                                  | overrides       || message
        "compare loss: ['bce', 'wasserstien']"       | [:]             || "compare loss: value wasserstien: unknown loss 'wasserstien' (did you mean wasserstein?); known losses are bce, bce-logits, minimax, lsgan, hinge, wasserstein, kl, reverse-kl, js, pearson, hellinger, kl-wgan"
        "compare bacth: [16, 32]"                    | [:]             || "compare bacth: value 16: the script has no setting 'bacth' (did you mean batch?); --set understands data, batch, epochs, steps, seed, loss, dSteps, samples, lr.g, lr.d, updates and the params.* the script reads"
        "compare batch: [16, 'many']"                | [:]             || 'compare batch: value many: batch must be a whole number'
        "compare loss: ['hinge']"                    | [:]             || "compare loss: needs a list of two or more values, like compare loss: [a, b], got [hinge]"
        "compare loss: ['hinge', 'hinge']"           | [:]             || 'compare loss: the value hinge is listed twice'
        "compare loss: ['bce', 'hinge'], batch: [8]" | [:]             || 'compare takes one setting and its values, like compare loss: [\'bce\', \'hinge\'], got loss, batch'
        "compare loss: ['bce', 'hinge']"             | [loss: 'kl']    || 'compare loss: --set loss=kl would replace every compared value; leave it out, or remove the compare'
    }

    def "a comparison trains every run into its sub-folder, from the same initial weights, and plots them in one figure"() {
        given: "a toy GAN compared over three losses, 20 steps each"
        def source = RAW + "compare loss: ['bce', 'wasserstein', 'hinge']\n"
        def d = runner.evaluate(source, 'toy.gan', [steps: '20'])
        def folder = Files.createTempDirectory('ganymede-compare')

        when:
        def figure = new Comparison(d, source, Device.cpu()).run(folder)

        then: "one run folder per loss with 20 logged steps, and the figure beside them"
        ['bce', 'wasserstein', 'hinge'].every { CsvLog.read(folder.resolve(it).resolve('metrics.csv')).size() == 20 }
        figure == folder.resolve('loss-comparison.png')
        Files.size(figure) > 10_000

        and: "each run records the loss it trained with, and its formula"
        def settings = Files.readString(folder.resolve('hinge/settings.properties'))
        settings.contains('set.loss=hinge')
        settings.contains('loss.formula=D: E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]; G: −E[D(G(z))]')

        and: "every run started from the same networks and data: the Wasserstein and hinge runs report the same raw D(x) at step 1"
        CsvLog.read(folder.resolve('wasserstein/metrics.csv'))[0].dReal() == CsvLog.read(folder.resolve('hinge/metrics.csv'))[0].dReal()
    }

    def "gan run on a comparing script trains each run in turn, then names the figure; gan check lists the runs"() {
        given: "the toy GAN comparing two losses, in a file"
        def dir = Files.createTempDirectory('ganymede-compare-cli')
        def script = dir.resolve('toy.gan')
        Files.writeString(script, RAW + "compare loss: ['bce', 'hinge']\n")

        when:
        def run = gan('run', script.toString(), '--steps', '5', '--out', dir.resolve('run').toString())
        def check = gan('check', script.toString())

        then: "each run is announced with its loss's formulas, trained, and the figure written"
        run.code == 0
        run.out.contains('comparing loss: bce, hinge')
        run.out.contains('-- hinge: loss D: E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]; G: −E[D(G(z))]')
        run.out.contains("compared 2 runs | figure: ${dir.resolve('run/loss-comparison.png')}")
        Files.isRegularFile(dir.resolve('run/bce/metrics.csv'))

        and: "gan check says what gan run will do"
        check.code == 0
        check.out.contains('compares loss: bce, hinge (gan run trains one run each and plots loss-comparison.png)')
    }

    def "each run of a comparison is reopened as itself: gan eval and gan report on its folder (the #loss run)"() {
        given: "the toy GAN comparing two losses, trained 5 steps each"
        def dir = Files.createTempDirectory('ganymede-compare-reopen')
        def script = dir.resolve('toy.gan')
        Files.writeString(script, RAW + "compare loss: ['bce', 'hinge']\n")
        assert gan('run', script.toString(), '--steps', '5', '--out', dir.resolve('run').toString()).code == 0
        def folder = dir.resolve("run/${loss}")

        when: "the run's folder is measured and reported, as any run's"
        def eval = gan('eval', folder.toString(), '--n', '500')
        def report = gan('report', folder.toString())

        then: "both rebuild the run from its script and the loss it was trained with (evaluating the comparison again would refuse that setting)"
        eval.code == 0
        eval.out.contains('W1 to the data')
        Files.isRegularFile(folder.resolve('evaluation.json'))
        report.code == 0
        Files.isRegularFile(folder.resolve('report.html'))

        and: "the script read back with the run's settings is that run's definition"
        runner.loadRun(folder.resolve('script.gan'), [loss: loss]).lossName == loss

        where:
        loss << ['bce', 'hinge']
    }

    static Map gan(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = dev.ganymede.cli.GanCommand.execute(args, new PrintStream(out, true, 'UTF-8'), new PrintStream(err, true, 'UTF-8'))
        [code: code, out: out.toString('UTF-8'), err: err.toString('UTF-8')]
    }
}
