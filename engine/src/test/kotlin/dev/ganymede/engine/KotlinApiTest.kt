package dev.ganymede.engine

import dev.ganymede.engine.data.Gaussian1D
import dev.ganymede.engine.loss.BinaryCrossEntropy
import dev.ganymede.engine.nn.Network
import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.optim.GradientClipping
import dev.ganymede.engine.stabilise.GradientPenalty
import dev.ganymede.engine.stabilise.WeightAverage
import dev.ganymede.engine.train.UnrolledUpdates
import dev.ganymede.engine.output.StepRecord
import dev.ganymede.engine.train.Gan
import dev.ganymede.engine.train.LatentNoise
import dev.ganymede.engine.train.Trainer
import dev.ganymede.engine.train.TrainingListener
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The engine is written in Java but meant to be used from Kotlin as well: this builds and trains
 * a tiny GAN through the public Java API exactly as a Kotlin user would, with no casts, no `!!`
 * and no try/catch for checked exceptions. If this file needs any of those to compile, the Java
 * API has a Kotlin wart.
 */
class KotlinApiTest {

    @Test
    fun `a tiny GAN learning a 1D Gaussian builds and trains from Kotlin`() {
        Backend.seed(11)
        val generator = Network.builder("generator").input(8)
            .linear(16).relu()
            .linear(1)
            .build()
        val discriminator = Network.builder("discriminator").input(1)
            .linear(16).leakyRelu(0.2)
            .linear(1).sigmoid()
            .build()
        assertEquals(16L * 8 + 16 + 16 + 1, generator.parameterCount())
        assertEquals(16L + 16 + 16 + 1, discriminator.parameterCount())

        val seen = mutableListOf<StepRecord>()
        Gan(generator, discriminator, LatentNoise.normal(8), BinaryCrossEntropy.onProbabilities(), 0).use { gan ->
            val trainer = Trainer.builder(gan, Gaussian1D.standard(1_000, 11))
                .batchSize(32)
                .seed(11)
                .generatorOptimizer(Adam.of(2e-4))
                .discriminatorOptimizer(Adam.of(2e-4).betas(0.5, 0.999))
                .listener(object : TrainingListener {
                    override fun onStep(trainer: Trainer, record: StepRecord) {
                        seen += record
                    }
                })
                .build()
            trainer.use {
                val finished = it.trainSteps(60)

                assertTrue(finished, "the run was not stopped")
                assertEquals(60L, it.step())
                assertEquals(60, it.history().size)
                assertEquals(it.history(), seen)
                assertTrue(it.history().all { r -> r.lossD().isFinite() && r.lossG().isFinite() },
                    "every loss is a finite number")
                assertTrue(it.history().all { r -> r.dReal() in 0.0..1.0 && r.dFake() in 0.0..1.0 },
                    "D(x) and D(G(z)) are probabilities")

                val last = it.history().last()
                println("Kotlin tiny GAN after ${it.step()} steps: loss D ${"%.4f".format(last.lossD())}, " +
                    "loss G ${"%.4f".format(last.lossG())}, D(x) ${"%.3f".format(last.dReal())}, " +
                    "D(G(z)) ${"%.3f".format(last.dFake())}")
            }

            Backend.engine().newBaseManager().use { scope ->
                val samples: FloatArray = gan.generate(gan.latent().fixedBatch(100, 5), null, 100, scope)
                assertEquals(100, samples.size)
                assertTrue(samples.all { v -> v.isFinite() })
            }
        }
    }

    @Test
    fun `stabilisers and a training strategy compose from Kotlin`() {
        Backend.seed(12)
        val generator = Network.builder("generator").input(4).linear(16).relu().linear(1).build()
        val critic = Network.builder("critic").input(1).linear(16).leakyRelu(0.2).linear(1).build()
        Gan(generator, critic, LatentNoise.normal(4), BinaryCrossEntropy.onLogits(), 0).use { gan ->
            Trainer.builder(gan, Gaussian1D.standard(1_000, 12))
                .batchSize(32)
                .strategy(UnrolledUpdates(2))
                .stabiliser(GradientPenalty.wganGp(10.0))
                .stabiliser(WeightAverage(0.9))
                .discriminatorOptimizer(Adam.of(1e-4).betas(0.0, 0.9).clipGradients(GradientClipping.byNorm(1.0)))
                .build()
                .use {
                    assertTrue(it.trainSteps(10))
                    assertEquals(listOf("gradient penalty 10.0 · (‖∇D‖ − 1.0)² at interpolates",
                        "generator weights averaged, decay 0.9 (samples use the average)"),
                        it.stabilisers().map { s -> s.describe() })
                    assertTrue(gan.samplesWithAveragedWeights())
                }
        }
    }

    @Test
    fun `training changes between runs from Kotlin, keeping the step count`() {
        Backend.seed(13)
        val generator = Network.builder("generator").input(4).linear(16).relu().linear(1).build()
        val critic = Network.builder("critic").input(1).linear(16).leakyRelu(0.2).linear(1).build()
        Gan(generator, critic, LatentNoise.normal(4), BinaryCrossEntropy.onLogits(), 0).use { gan ->
            Trainer.builder(gan, Gaussian1D.standard(1_000, 13)).batchSize(32).build().use {
                assertTrue(it.trainSteps(5))
                it.changeTraining(UnrolledUpdates(2), listOf(GradientPenalty.r1(10.0)), Adam.of(2e-4), Adam.of(2e-4))
                assertTrue(it.trainSteps(5))
                assertEquals(10L, it.step())
                assertEquals(10L, it.discriminatorOptimizer().steps(), "the new Adam took over 5 updates and made 5 (look-ahead updates are undone)")
                assertEquals("unrolled updates, 2 look-ahead discriminator steps", it.strategy().describe())
            }
        }
    }
}
