package dev.ganymede.dsl

import dev.ganymede.engine.GanymedeException
import groovy.transform.CompileStatic

/**
 * A mistake in a script, tied to the script line it was made on (line 0: no line known) and, when
 * known, the word on that line it is about, for the caret.
 */
@CompileStatic
class DslException extends GanymedeException {
    final int line
    String word

    DslException(String message, int line = 0, Throwable cause = null) {
        super(message, cause)
        this.line = line
    }

    /** The same exception, pointing at {@code word} on its line. */
    DslException at(String word) {
        this.word = word
        this
    }
}
