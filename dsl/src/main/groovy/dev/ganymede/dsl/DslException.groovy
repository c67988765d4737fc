package dev.ganymede.dsl

import dev.ganymede.engine.GanymedeException
import groovy.transform.CompileStatic

/** A mistake in a script, tied to the script line it was made on (line 0: no line known). */
@CompileStatic
class DslException extends GanymedeException {
    final int line

    DslException(String message, int line = 0, Throwable cause = null) {
        super(message, cause)
        this.line = line
    }
}
