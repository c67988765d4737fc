package dev.ganymede.dsl

import groovy.transform.CompileStatic

/**
 * One mistake in a script, located: "Error dcgan.gan:12:5: unknown word 'desne' (did you mean
 * dense?)" followed by the line and a caret, as Nextflow and compilers print them.
 */
@CompileStatic
final class ScriptError {
    final String file
    final int line
    final int column
    final String message
    final String sourceLine

    ScriptError(String file, int line, int column, String message, String sourceLine) {
        this.file = file
        this.line = line
        this.column = column
        this.message = message
        this.sourceLine = sourceLine
    }

    String location() {
        line > 0 ? "${file}:${line}:${column}".toString() : file
    }

    /** The message with the offending line and a caret under the column. */
    String format() {
        StringBuilder sb = new StringBuilder("Error ${location()}: ${message}")
        if (line > 0 && sourceLine != null) {
            String number = String.valueOf(line)
            sb.append('\n').append(' ').append(number).append(' | ').append(sourceLine.replace('\t', ' '))
            sb.append('\n').append(' ').append(' ' * number.length()).append(' | ')
                    .append(' ' * Math.max(0, column - 1)).append('^')
        }
        sb.toString()
    }

    @Override
    String toString() { format() }
}
