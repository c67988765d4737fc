package dev.ganymede.dsl

import dev.ganymede.engine.nn.Layer
import groovy.transform.CompileStatic

/** How to make one declared layer, and the script line that declared it. */
@CompileStatic
final class LayerRecipe {
    final Closure<? extends Layer> factory
    final String origin
    final String typeName

    LayerRecipe(Closure<? extends Layer> factory, String origin, String typeName) {
        this.factory = factory
        this.origin = origin
        this.typeName = typeName
    }

    Layer create() {
        Layer layer = factory.call()
        origin ? layer.origin(origin) : layer
    }
}
