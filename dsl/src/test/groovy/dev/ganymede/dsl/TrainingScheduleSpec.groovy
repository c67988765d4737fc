package dev.ganymede.dsl

import ai.djl.Device
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("The train { } block: batch, duration, optimisers and learning-rate schedules")
@Narrative("""
What a script writes inside `train { }` reaches the engine's trainer unchanged: the batch size,
the number of discriminator steps per generator step, each player's optimiser with its settings,
and a learning-rate schedule that scales both optimisers' base rates by epoch, or by step when
its lengths are written as steps (`hold: 10000.steps`): the packed discriminators of PacGAN see
more samples per step, so their epochs are shorter and a schedule in epochs would decay sooner.
""")
class TrainingScheduleSpec extends Specification {

    static final String GAN = '''\
data 'gaussian-1d'
latent 4
generator { linear 8; relu; linear 1 }
discriminator { linear 8; leakyRelu 0.2; linear 1; sigmoid }
'''

    def "the declared optimisers reach the trainer with every setting"() {
        given:
        def source = GAN + '''train {
    batch 32
    dSteps 5
    generator rmsprop(lr: 5e-5)
    discriminator adam(lr: 1e-4, betas: [0.0, 0.9])
}'''
        def session = new GanSession(new ScriptRunner().evaluate(source, 't.gan'), source, Device.cpu())

        when:
        def trainer = session.trainer()

        then: "the WGAN-style settings are all there"
        trainer.settings().batchSize() == 32
        trainer.settings().discriminatorSteps() == 5
        trainer.generatorOptimizer().describe() == 'RMSprop(lr=5.0E-5, alpha=0.99, eps=1.0E-8, momentum=0.0)'
        trainer.discriminatorOptimizer().describe() == 'Adam(lr=1.0E-4, betas=(0.0, 0.9), eps=1.0E-8, weight_decay=0.0)'

        cleanup:
        session?.close()
    }

    def "schedule #declaration gives learning-rate factors #factors over epochs 0 to 4"() {
        given:
        def source = GAN + "train {\n    generator adam(lr: 1.0)\n    discriminator adam(lr: 1.0)\n    ${declaration}\n}\n"
        def session = new GanSession(new ScriptRunner().evaluate(source, 't.gan'), source, Device.cpu())
        def optimizer = session.trainer().generatorOptimizer()

        expect: "the factor at each epoch multiplies the base rate"
        (0..4).collect { int epoch -> optimizer.scheduleFor(0, epoch); optimizer.learningRate().round(4) } == factors

        cleanup:
        session?.close()

        where:
        declaration                               || factors
        "schedule 'constant'"                     || [1.0, 1.0, 1.0, 1.0, 1.0]
        "schedule 'step', every: 2, gamma: 0.5"   || [1.0, 1.0, 0.5, 0.5, 0.25]
        "schedule 'linear', hold: 2, decay: 3"    || [1.0, 1.0, 0.75, 0.5, 0.25]
        "schedule 'exponential', gamma: 0.9"      || [1.0, 0.9, 0.81, 0.729, 0.6561]
    }

    def "schedule #declaration counts steps: factors #factors at steps 0, 2, 4, 6 and 8 of epoch 0"() {
        given:
        def source = GAN + "train {\n    generator adam(lr: 1.0)\n    discriminator adam(lr: 1.0)\n    ${declaration}\n}\n"
        def session = new GanSession(new ScriptRunner().evaluate(source, 't.gan'), source, Device.cpu())
        def optimizer = session.trainer().generatorOptimizer()

        expect: "the epoch does not matter, the step does"
        [0, 2, 4, 6, 8].collect { int step -> optimizer.scheduleFor(step, 0); optimizer.learningRate().round(4) } == factors

        cleanup:
        session?.close()

        where:
        declaration                                         || factors
        "schedule 'step', every: 4.steps, gamma: 0.5"       || [1.0, 1.0, 0.5, 0.5, 0.25]
        "schedule 'linear', hold: 4.steps, decay: 3.steps"  || [1.0, 1.0, 0.75, 0.25, 0.0]
        "schedule 'linear', decay: 4.steps"                 || [0.8, 0.4, 0.0, 0.0, 0.0]
    }

    def "a linear schedule's hold and decay must count the same unit"() {
        when:
        new ScriptRunner().evaluate(GAN + "train { schedule 'linear', hold: 5, decay: 1000.steps }\n", 't.gan')

        then:
        def e = thrown(ScriptException)
        e.errors[0].message == "schedule 'linear' hold: 5 epochs and decay: 1000 steps must count the same unit (both epochs or both steps)"
        e.errors[0].line == 5
    }

    def "an unknown schedule is refused with the known ones"() {
        when:
        new ScriptRunner().evaluate(GAN + "train { schedule 'cosine' }\n", 't.gan')

        then:
        def e = thrown(ScriptException)
        e.errors[0].message == "unknown schedule 'cosine': use 'constant', 'step', 'linear' or 'exponential'"
        e.errors[0].line == 5
    }
}
