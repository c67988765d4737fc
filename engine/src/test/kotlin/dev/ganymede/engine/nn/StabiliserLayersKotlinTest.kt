package dev.ganymede.engine.nn

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * The stabiliser layers (spectral norm, maxout, packing, minibatch discrimination, minibatch
 * standard deviation, embedding, a normalised label embedding or minibatch tensor) from Kotlin: builder methods,
 * fluent layer settings and SpectralNorm.of keep their types, so no casts, `!!` or checked
 * exceptions are needed.
 */
class StabiliserLayersKotlinTest {

    @Test
    fun `a packed, spectrally normalised maxout discriminator with minibatch layers builds from Kotlin`() {
        val conv: Conv2d = SpectralNorm.of(Conv2d(64, 4).stride(2).padding(1))
        assertEquals(setOf("weight"), conv.reparametrizations().keys)

        Network.builder("D").input(2)
            .pack(2)
            .add(Maxout(200, 5).spectralNorm())
            .maxout(200, 5)
            .minibatchDiscrimination(50, 5)
            .minibatchStdDev()
            .add(SpectralNorm.of(Linear(1)))
            .sigmoid()
            .build().use { d ->
                // maxout (4 + 1)·1000 and (200 + 1)·1000, T 200·250, Linear (250 + 1 + 1)
                assertEquals(5_000L + 201_000 + 50_000 + 252, d.parameterCount())
                assertEquals(listOf(1L), d.outputShape().shape.toList())
            }

        Network.builder("E").input(3).embedding(10, 4).build().use { e ->
            assertEquals(40L, e.parameterCount())
        }

        // a conditional discriminator whose learned class table is normalised (10 × 10 table, then Linear(794 → 1))
        Network.builder("cD").input(784)
            .add(LabelConcat.embedding(10, 10).spectralNorm())
            .add(Linear(1).spectralNorm())
            .build().use { d ->
                assertEquals(100L + 795, d.parameterCount())
                assertEquals(setOf("weight"), d.body().layers()[0].reparametrizations().keys)
            }

        // minibatch discrimination with its tensor T normalised: T is 16 × (4·3), its buffers T_u and T_v
        Network.builder("mD").input(16)
            .add(MinibatchDiscrimination(4, 3).spectralNorm())
            .add(Linear(1))
            .build().use { d ->
                assertEquals(16L * 12 + (20 + 1), d.parameterCount())
                assertEquals(setOf("T"), d.body().layers()[0].reparametrizations().keys)
            }
    }
}
