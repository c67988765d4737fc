package dev.ganymede.dsl

import dev.ganymede.engine.GanymedeException
import groovy.transform.CompileStatic

/** A script could not be loaded or run: one or more located errors, and the original cause for --stacktrace. */
@CompileStatic
class ScriptException extends GanymedeException {
    final List<ScriptError> errors

    ScriptException(List<ScriptError> errors, Throwable cause) {
        super(errors.collect { it.format() }.join('\n'), cause)
        this.errors = errors.asImmutable()
    }
}
