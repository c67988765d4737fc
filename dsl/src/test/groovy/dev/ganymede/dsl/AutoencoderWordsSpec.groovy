package dev.ganymede.dsl

import ai.djl.Device
import dev.ganymede.cli.GanCommand
import dev.ganymede.engine.loss.AutoencoderLoss
import dev.ganymede.engine.output.CsvLog
import dev.ganymede.engine.train.AutoencoderUpdates
import spock.lang.Narrative
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("Autoencoder words: encoder, decoder, loss 'mse' / 'vae', optimizer")
@Narrative("""
An autoencoder is written like a GAN with two other words: `encoder { }` (a sample to its code)
and `decoder { }` (the code to a sample), `latent 16` giving the size of the code. `loss 'mse'`
(the default, seed 003's MSELoss) or `loss 'l1'` trains a plain autoencoder; `loss 'vae'` a
variational one, whose encoder gives 2 × latent numbers (the mean and the log-variance of
q(z|x)), with `reconstruction: 'mse' | 'l1' | 'bce'` and `beta:` for the weight of the KL term.
Inside `train { }`, `optimizer adam(lr: 1e-4)` gives both networks the same setting (each its
own state); `encoder adam(...)` and `decoder adam(...)` set one each.

The script runs through the same `gan` command, REPL and Trainer loop as a GAN: the decoder is
the engine's generator and the encoder its discriminator, trained by AutoencoderUpdates. The
shapes x → encoder → code → decoder → x are checked at load time, and `gan check` prints the
encoder's table, then the decoder's. In the run, loss G is the reconstruction term, loss D the KL
term (0 for a plain autoencoder), and the D(x), D(G(z)) columns are NaN; reconstructions.png
shows 10 inputs above their reconstructions.
""")
class AutoencoderWordsSpec extends Specification {

    @Shared Path root = Path.of(System.getProperty('ganymede.root', '..')).toAbsolutePath().normalize()

    static final String SMALL = '''\
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
train {
    batch 32
    steps 5
    optimizer adam(lr: 1e-3)
}
'''

    def runner = new ScriptRunner()

    def "#script: loss '#word' with #options makes #expected"() {
        when:
        def d = runner.evaluate(SMALL.replace("loss 'vae'", line), 'small.gan')

        then: "the definition is an autoencoder trained by AutoencoderUpdates with the named objective"
        d.isAutoencoder()
        d.strategy() instanceof AutoencoderUpdates
        d.objective().name() == expected
        (d.objective() as AutoencoderLoss).isVariational() == variational

        where:
        script      | line                                             || expected               | variational
        'a VAE'     | "loss 'vae'"                                     || 'vae (mse + KL)'       | true
        'a VAE'     | "loss 'vae', reconstruction: 'bce', beta: 4"     || 'vae (bce + 4.0·KL)'   | true
        'a plain AE' | "loss 'mse'"                                    || 'mse'                  | false
        'a plain AE' | "loss 'l1'"                                     || 'l1'                   | false
        word = line.find(/'(\w+)'/) { it[1] }
        options = line.contains(',') ? line.substring(line.indexOf(',') + 2) : 'no options'
    }

    def "an autoencoder without a loss line trains with the mean squared error, as seed 003"() {
        when:
        def d = runner.evaluate(SMALL.replace("loss 'vae'\n", '').replace('linear 8', 'linear 4'), 'small.gan')

        then:
        d.lossName == 'mse'
        d.objective().name() == 'mse'
    }

    def "#mistake is reported at line #line: #message"() {
        when:
        runner.evaluate(source, 'small.gan')

        then:
        def e = thrown(ScriptException)
        e.errors.size() == 1
        e.errors[0].message == message
        e.errors[0].line == line

        where:
        mistake                        | source                                                             || line | message
        "a GAN word in an autoencoder" | SMALL.replace('encoder {', 'discriminator {')                       || 8    | "a decoder cannot go with the discriminator of line 2: a script declares either a GAN (generator and discriminator) or an autoencoder (encoder and decoder)"
        "an encoder twice"             | SMALL + "encoder {\n    flatten\n}\n"                              || 21   | "the encoder is declared twice (first at line 2)"
        "no decoder"                   | SMALL.substring(0, SMALL.indexOf('decoder')) + "loss 'vae'\n"      || 0    | "the script declares no decoder: add a `decoder { ... }` block (from the code to a sample)"
        "an adversarial loss"          | SMALL.replace("loss 'vae'", "loss 'bce'")                          || 15   | "an autoencoder trains with loss 'mse', 'l1' or 'vae', not the adversarial loss 'bce'"
        "a misspelt loss"              | SMALL.replace("loss 'vae'", "loss 'vea'")                          || 15   | "unknown loss 'vea' for an autoencoder (did you mean vae?): use 'mse', 'l1' or 'vae'"
        "a bad reconstruction"         | SMALL.replace("loss 'vae'", "loss 'vae', reconstruction: 'l2'")    || 15   | "loss 'vae' reconstruction: 'l2' is not a reconstruction error: use 'mse', 'l1' or 'bce' (did you mean l1?)"
        "a VAE option on a plain loss" | SMALL.replace("loss 'vae'", "loss 'mse', beta: 2")                 || 15   | "loss 'mse' takes no options, got beta: (reconstruction: and beta: belong to loss 'vae')"
        "a zero beta"                  | SMALL.replace("loss 'vae'", "loss 'vae', beta: 0")                 || 15   | "loss 'vae' beta: weighs the KL term and must be positive, got 0.0"
        "a GAN stabiliser"             | SMALL.replace('    steps 5', '    steps 5\n    gradientPenalty 10') || 0  | "gradientPenalty acts on a discriminator, which an autoencoder does not have: remove it from train { }"
        "an autoencoder loss in a GAN" | ScriptErrorsSpec.VALID + "loss 'mse'\n"                            || 12   | "loss 'mse' trains an autoencoder; a GAN needs an adversarial loss such as 'bce'"
    }

    def "a code of the wrong size is found when the networks are built, at the encoder's line: #why"() {
        given:
        def file = Files.createTempFile('small', '.gan')
        Files.writeString(file, source)

        when:
        GanSession.open(file, [:], Device.cpu())

        then:
        def e = thrown(ScriptException)
        e.errors[0].line == 2
        e.errors[0].message == message

        cleanup:
        Files.deleteIfExists(file)

        where:
        why                                      | source                                                     || message
        "a VAE's encoder gives only the code"    | SMALL.replace('linear 8', 'linear 4')                      || "the encoder produces (4,) but the VAE needs 2 × 4 = 8 numbers per sample (a mean and a log-variance per latent dimension)"
        "a plain encoder gives a mean and a log-variance" | SMALL.replace("loss 'vae'", "loss 'mse'")        || "the encoder produces (8,) but the autoencoder needs 4 numbers per sample (the latent code (4,)); for a VAE, whose encoder gives a mean and a log-variance, write loss 'vae'"
    }

    def "gan check prints the encoder's table, then the decoder's, then the code and the loss"() {
        given:
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()

        when:
        int code = GanCommand.execute(['check', root.resolve('scripts/vae.gan').toString()] as String[],
                new PrintStream(out, true, 'UTF-8'), new PrintStream(err, true, 'UTF-8'))
        String text = out.toString('UTF-8')

        then:
        code == 0
        text.indexOf('encoder') >= 0 && text.indexOf('encoder') < text.indexOf('decoder')
        text.contains('570,272') && text.contains('568,976')
        text.contains("latent code: N(0, 1) (16,); loss: vae (mse + KL)")
        text.trim().endsWith('vae.gan: OK')
    }

    def "a VAE run writes its reconstructions, samples decoded from the prior, and a log whose loss columns are KL and reconstruction"() {
        given:
        def file = Files.createTempFile('small', '.gan')
        Files.writeString(file, SMALL)
        def out = Files.createTempDirectory('ganymede-vae')
        def session = GanSession.open(file, [:], Device.cpu())

        when: "it trains its 5 steps"
        session.useRunFolder(out)
        session.train()
        def records = CsvLog.read(out.resolve('metrics.csv'))

        then: "loss D is the KL term (positive), loss G the reconstruction, and no discriminator outputs are logged"
        records.size() == 5
        records.every { it.lossD() > 0 && it.lossG() > 0 && Double.isNaN(it.dReal()) && Double.isNaN(it.dFake()) }

        and: "the run folder has the reconstructions, the prior's samples and the report"
        Files.size(out.resolve('reconstructions.png')) > 0
        Files.exists(out.resolve('samples/final.png'))
        Files.exists(out.resolve('interpolation.png'))
        Files.readString(out.resolve('report.html')).contains('Inputs and their reconstructions')
        Files.readString(out.resolve('settings.properties')).contains('strategy=autoencoder updates')

        and: "the loss curves are named KL and reconstruction, and there is no empty D(x) plot"
        Files.exists(out.resolve('losses.png'))
        !Files.exists(out.resolve('d-outputs.png'))
        Files.readString(out.resolve('run.properties')).contains('loss.d.name=KL')
        def report = Files.readString(out.resolve('report.html'))
        report.contains('<th class="num">Reconstruction</th>')
        !report.contains('d-outputs.png')

        cleanup:
        session?.close()
        Files.deleteIfExists(file)
    }
}
