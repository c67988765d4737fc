package dev.ganymede.dsl

import ai.djl.Device
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Stabilisers in train { }: one word each, composable, recorded in the run's settings")
@Narrative("""
Each technique that fights instability or mode collapse is one word inside `train { }`, composes
with any loss and with the other words, and reaches the engine's trainer as a stabiliser (or, for
unrolling, feature matching and simultaneous updates, as the training strategy); `without 'ema'` takes
one back, as if it had not been written. The run folder's settings.properties lists them, so a result
can be traced to what made it.
""")
class StabiliserWordsSpec extends Specification {

    static final String GAN = '''\
data 'ring'
latent 2
generator { linear 16; relu; linear 2 }
discriminator { linear 16; leakyRelu 0.2; linear 1 }
loss 'bce-logits'
'''

    static GanSession session(String trainBlock) {
        def source = GAN + "train {\n    batch 100\n${trainBlock}\n}\n"
        new GanSession(new ScriptRunner().evaluate(source, 't.gan'), source, Device.cpu())
    }

    def "#words gives the trainer #described"() {
        given:
        def s = session(words)

        when:
        def trainer = s.trainer()

        then:
        trainer.stabilisers()*.describe() == described

        cleanup:
        s?.close()

        where: "the ring has 100,000 points: 1,000 steps an epoch at batch 100"
        words                                        || described
        "    clipWeights 0.01"                       || ['critic weights clipped to [-0.01, 0.01]']
        "    gradientPenalty 10"                     || ['gradient penalty 10.0 · (‖∇D‖ − 1.0)² at interpolates']
        "    gradientPenalty 1, at: 'real', target: 0" || ['gradient penalty 1.0 · (‖∇D‖ − 0.0)² at real']
        "    r1 10"                                  || ['gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real']
        "    r2 10"                                  || ['gradient penalty 5.0 · (‖∇D‖ − 0.0)² at fake']
        "    instanceNoise 0.05"                     || ['instance noise std 0.05']
        "    instanceNoise 0.05, anneal: 2.epochs"   || ['instance noise std 0.05, annealed to 0 over 2000 steps']
        "    instanceNoise 0.05, anneal: 500.steps"  || ['instance noise std 0.05, annealed to 0 over 500 steps']
        "    flipLabels 0.05"                        || ['labels flipped with probability 0.05']
        "    replay 50"                              || ['experience replay, pool of 50 fakes, replay probability 0.5']
        "    ema 0.999"                              || ['generator weights averaged, decay 0.999 (samples use the average)']
        "    replay 50\n    ema 0.99\n    r1 1"      || ['experience replay, pool of 50 fakes, replay probability 0.5',
                                                         'generator weights averaged, decay 0.99 (samples use the average)',
                                                         'gradient penalty 0.5 · (‖∇D‖ − 0.0)² at real']
        "    flipLabels 0.1\n    flipLabels 0.2"     || ['labels flipped with probability 0.2']
    }

    def "#words sets the strategy: #strategy"() {
        given:
        def s = session(words)

        expect:
        s.trainer().strategy().describe() == strategy

        cleanup:
        s?.close()

        where:
        words                                || strategy
        ""                                   || 'alternating updates'
        "    unrolled 5"                     || 'unrolled updates, 5 look-ahead discriminator steps'
        "    unrolled 5, secondOrder: true"  || 'unrolled updates, 5 look-ahead discriminator steps, generator gradient through them (second order)'
        "    unrolled 5, secondOrder: false" || 'unrolled updates, 5 look-ahead discriminator steps'
        "    featureMatching"                || 'alternating updates, generator by feature matching'
        "    featureMatching layers: 1"      || 'alternating updates, generator by feature matching'
        "    updates 'simultaneous'"         || 'simultaneous updates'
        "    updates 'alternating'"          || 'alternating updates'
    }

    def "without #taken takes back what an earlier train { } added: #left"() {
        given: "a GAN declared with two train blocks, the second taking words back"
        def source = GAN + "train {\n    batch 100\n${added}\n}\ntrain { without ${taken} }\n"
        def s = new GanSession(new ScriptRunner().evaluate(source, 't.gan'), source, Device.cpu())

        when:
        def trainer = s.trainer()

        then: "the strategy, the stabilisers, then the critic's and the generator's gradient clipping"
        ([trainer.strategy().describe()] + trainer.stabilisers()*.describe() +
                [trainer.discriminatorOptimizer().gradientClipping().toString(), trainer.generatorOptimizer().gradientClipping().toString()]) == left

        cleanup:
        s?.close()

        where:
        added                                          | taken                              || left
        "    ema 0.99\n    r1 10"                      | "'ema'"                            || ['alternating updates', 'gradient penalty 5.0 · (‖∇D‖ − 0.0)² at real', 'no gradient clipping', 'no gradient clipping']
        "    ema 0.99\n    r1 10"                      | "'ema', 'r1'"                      || ['alternating updates', 'no gradient clipping', 'no gradient clipping']
        "    unrolled 5, secondOrder: true\n    replay 50" | "'unrolled'"                    || ['alternating updates', 'experience replay, pool of 50 fakes, replay probability 0.5', 'no gradient clipping', 'no gradient clipping']
        "    featureMatching\n    clipGradients 0.01, of: 'both'" | "'featureMatching', 'clipGradients'" || ['alternating updates', 'no gradient clipping', 'no gradient clipping']
        "    updates 'simultaneous'"                   | "'updates'"                        || ['alternating updates', 'no gradient clipping', 'no gradient clipping']
    }

    def "without 'schedule' brings back the constant learning rate"() {
        given:
        def source = GAN + "train {\n    batch 100\n    schedule 'linear', hold: 100.steps, decay: 100.steps\n    without 'schedule'\n}\n"
        def definition = new ScriptRunner().evaluate(source, 't.gan')

        expect: "the plan a trainer is built from lists the constant schedule"
        definition.scheduleName == 'constant'
        definition.trainingPlan().contains('schedule constant')
    }

    def "second-order unrolling with weight clipping is refused when the trainer is made, at the unrolled line"() {
        given:
        def s = session("    clipWeights 0.01\n    unrolled 5, secondOrder: true")

        when:
        s.trainer()

        then: "the error names t.gan line 9 (after the 5 lines of the GAN, train {, batch and clipWeights) and says why: weight clipping edits the weights the look-ahead differentiates"
        def e = thrown(ScriptException)
        e.errors[0].line == 9
        e.errors[0].message == 'second-order unrolling cannot follow critic weights clipped to [-0.01, 0.01]: it changes the weights in place after each update (use first-order unrolling)'
        e.message.startsWith('Error t.gan:9:5: ')

        cleanup:
        s?.close()
    }

    def "#first then #second is refused when the trainer is made, at line 9 where the conflict is written: #message"() {
        given: "a train block whose lines 8 and 9 ask for two generator updates that exclude each other"
        def s = session("    ${first}\n    ${second}")

        when:
        s.trainer()

        then:
        def e = thrown(ScriptException)
        e.errors[0].message == message
        e.errors[0].line == 9

        cleanup:
        s?.close()

        where:
        first                    | second                   || message
        "updates 'simultaneous'" | 'unrolled 5'             || "updates 'simultaneous' with unrolled is not supported: the generator's update is either simultaneous or against the unrolled discriminator"
        'unrolled 5'             | "updates 'simultaneous'" || "updates 'simultaneous' with unrolled is not supported: the generator's update is either simultaneous or against the unrolled discriminator"
        "updates 'simultaneous'" | 'featureMatching'        || "updates 'simultaneous' with featureMatching is not supported: the generator's update is either simultaneous or by feature matching"
        'featureMatching'        | 'unrolled 5'             || 'an unrolled GAN with feature matching is not supported: choose one of unrolled and featureMatching'
    }

    def "clipGradients #words clips #which"() {
        given:
        def s = session("    clipGradients ${words}")
        def t = s.trainer()

        expect:
        t.discriminatorOptimizer().gradientClipping().toString() == d
        t.generatorOptimizer().gradientClipping().toString() == g

        cleanup:
        s?.close()

        where:
        words                    | which                || d                                 | g
        "0.01"                   | "the critic's values" || 'clip gradients by value 0.01'    | 'no gradient clipping'
        "norm: 1.0"              | "the critic's norm"   || 'clip gradients by norm 1.0'      | 'no gradient clipping'
        "norm: 5, of: 'both'"    | "both norms"          || 'clip gradients by norm 5.0'      | 'clip gradients by norm 5.0'
    }

    def "the run's settings list the strategy and every stabiliser"() {
        given:
        def s = session("    gradientPenalty 10\n    ema 0.999\n    unrolled 3")

        when:
        def settings = s.settings()

        then:
        settings.contains('strategy=unrolled updates, 3 look-ahead discriminator steps')
        settings.contains('stabiliser.1=gradient penalty 10.0 · (‖∇D‖ − 1.0)² at interpolates')
        settings.contains('stabiliser.2=generator weights averaged, decay 0.999 (samples use the average)')

        cleanup:
        s?.close()
    }

    /** The discriminator of the techniques that are words of train { } rather than layers. */
    static final String PLAIN_D = 'linear 16; leakyRelu 0.2; linear 1'

    /** Each technique as the discriminator it needs and the words of train { } that declare it. */
    static final Map<String, List<String>> TECHNIQUES = [
            'no technique'                         : [PLAIN_D, ''],
            'clipWeights 0.01'                     : [PLAIN_D, 'clipWeights 0.01'],
            'gradientPenalty 10'                   : [PLAIN_D, 'gradientPenalty 10'],
            'r1 10'                                : [PLAIN_D, 'r1 10'],
            'r2 10'                                : [PLAIN_D, 'r2 10'],
            'instanceNoise 0.05'                   : [PLAIN_D, 'instanceNoise 0.05, anneal: 2.steps'],
            'flipLabels 0.2'                       : [PLAIN_D, 'flipLabels 0.2'],
            'replay 8'                             : [PLAIN_D, 'replay 8'],
            'ema 0.9'                              : [PLAIN_D, 'ema 0.9'],
            'unrolled 2'                           : [PLAIN_D, 'unrolled 2'],
            'featureMatching'                      : [PLAIN_D, 'featureMatching'],
            'clipGradients 0.01'                   : [PLAIN_D, 'clipGradients 0.01'],
            'clipGradients norm: 1.0'              : [PLAIN_D, "clipGradients norm: 1.0, of: 'both'"],
            'TTUR (a learning rate per player)'    : [PLAIN_D, 'generator adam(lr: 1e-4, betas: [0.0, 0.9]); discriminator adam(lr: 4e-4, betas: [0.0, 0.9])'],
            "updates 'simultaneous'"               : [PLAIN_D, "updates 'simultaneous'"],
            'pack 2'                               : ['pack 2; ' + PLAIN_D, ''],
            'spectralNorm: true'                   : ['linear 16, spectralNorm: true; leakyRelu 0.2; linear 1, spectralNorm: true', ''],
            'maxout 16, pieces: 3'                 : ['maxout 16, pieces: 3; linear 1', ''],
            'minibatchDiscrimination'              : ['linear 16; leakyRelu 0.2; minibatchDiscrimination kernels: 4, dims: 3; linear 1', ''],
            'minibatchStd'                         : ['linear 16; leakyRelu 0.2; minibatchStd; linear 1', ''],
    ].asImmutable()

    def "#technique composes with loss '#loss': 4 steps train with finite losses"() {
        given: "a small GAN on the ring of 8 Gaussians with the loss and the technique"
        def source = """data 'ring'
latent 2
generator { linear 16; relu; linear 2 }
discriminator { ${TECHNIQUES[technique][0]} }
loss '${loss}'
train {
    batch 32
    ${TECHNIQUES[technique][1]}
}
"""
        def s = new GanSession(new ScriptRunner().evaluate(source, 'matrix.gan'), source, Device.cpu())

        when: "it trains 4 steps"
        s.train(new Interval(4, Interval.Unit.STEPS))

        then: "every step ran and both players' losses are numbers"
        s.trainer().step() == 4
        s.trainer().history().every { Double.isFinite(it.lossD()) && Double.isFinite(it.lossG()) }

        cleanup:
        s?.close()

        where: """every adversarial loss (bce, bce-logits, minimax, lsgan, hinge, wasserstein, kl, reverse-kl, js, pearson, hellinger,
        kl-wgan) with every technique: none, clipWeights, gradientPenalty, r1, r2, instanceNoise, flipLabels, replay, ema, unrolled,
        featureMatching, clipGradients by value and by norm, TTUR, simultaneous updates, and the discriminator layers pack,
        spectralNorm, maxout, minibatchDiscrimination and minibatchStd: 12 × 20 pairs"""
        [loss, technique] << [dev.ganymede.engine.loss.Losses.names(), TECHNIQUES.keySet()].combinations()
    }

    def "a WGAN-GP GAN with weight averaging trains, and samples come from the average"() {
        given:
        def s = session("    gradientPenalty 10\n    ema 0.9\n    flipLabels 0.05\n    instanceNoise 0.05\n    replay 20")

        when:
        s.train(new Interval(20, Interval.Unit.STEPS))

        then:
        s.trainer().step() == 20
        s.gan.samplesWithAveragedWeights()
        s.trainer().history().every { Double.isFinite(it.lossD()) && Double.isFinite(it.lossG()) }

        cleanup:
        s?.close()
    }

    def "#mistake is reported where it is written: #message"() {
        when:
        new ScriptRunner().evaluate(GAN + "train {\n    ${line}\n}\n", 'toy.gan')

        then:
        def e = thrown(ScriptException)
        e.errors[0].message == message
        e.errors[0].line == 7

        where:
        mistake                   | line                              || message
        "a negative clip"         | "clipWeights(-0.01)"              || 'clipWeights takes a positive number, got -0.01'
        "a bare minus sign"       | "clipWeights -0.01"               || "'clipWeights' needs a value here; write it like: clipWeights 0.01; a negative value needs brackets: clipWeights(-1)"
        "a penalty place typo"    | "gradientPenalty 10, at: 'reel'"  || "gradientPenalty at: 'reel' is not a place: use 'interpolates' (WGAN-GP), 'real' (R1) or 'fake' (R2) (did you mean real?)"
        "a probability of 1"      | "flipLabels 1"                    || 'flipLabels takes a probability between 0 and 1, got 1.0'
        "an EMA decay of 1"       | "ema 1"                           || 'ema takes a decay between 0 and 1 such as 0.999, got 1.0'
        "no look-ahead"           | "unrolled 0"                      || 'unrolled takes the number of look-ahead steps, at least 1, got 0'
        "an unrolled option typo" | "unrolled 5, secondOrdre: true"   || "unrolled does not take 'secondOrdre:' (did you mean secondOrder?); it takes secondOrder:"
        "an update kind typo"     | "updates 'simultanous'"           || "updates takes 'alternating' (D first, then G against the updated D; the default) or 'simultaneous' (both gradients at the same weights, then both steps), got 'simultanous' (did you mean simultaneous?)"
        "both clip kinds"         | "clipGradients 0.01, norm: 1"     || 'clipGradients takes either a value limit (clipGradients 0.01) or norm: (clipGradients norm: 1.0)'
        "a bad anneal"            | "instanceNoise 0.05, anneal: 'x'" || 'instanceNoise anneal: takes a length such as 10.epochs or 5000.steps, got \'x\''
        "a misspelt word"         | "gradientPenality 10"             || "unknown word 'gradientPenality' (did you mean gradientPenalty?)"
        "nothing to take back"    | "without()"                       || "without takes the words to take back, in quotes, e.g. without 'ema', 'r1': any of clipWeights, gradientPenalty, r1, r2, instanceNoise, flipLabels, replay, ema, unrolled, featureMatching, clipGradients, updates, schedule"
        "a setting taken back"    | "without 'batch'"                 || "without 'batch': batch holds a value rather than adding to training; write batch again with the value you want"
        "a word taken back unused" | "r1 10; without 'gradientPenalty'" || "without 'gradientPenalty': train { } has no gradientPenalty to take back; it has r1"
        "nothing added to take back" | "without 'ema'"                 || "without 'ema': train { } has no ema to take back; it adds nothing to plain training"
        "an optimiser taken back" | "without 'adam'"                   || "without 'adam': adam(...) is an optimiser, not a word of its own: write generator or discriminator again with the one you want"
        "a wrong value after without" | "r1 10; without 'r1'; replay 1.5" || "'replay' cannot take (BigDecimal) here; write it like: replay 50"
        "a bare word taken back"  | "unrolled 5; without ema"          || "'ema' needs a value here; write it like: ema 0.999; a negative value needs brackets: ema(-1); to take it back, quote it: without 'ema'"
        "a misspelt word taken back" | "without 'unroled'"            || "without 'unroled': not a word that adds to training (did you mean unrolled?); it takes back clipWeights, gradientPenalty, r1, r2, instanceNoise, flipLabels, replay, ema, unrolled, featureMatching, clipGradients, updates, schedule"
    }
}
