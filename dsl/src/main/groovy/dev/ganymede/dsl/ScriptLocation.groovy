package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** Finds the script line a DSL call came from, by looking for the script's frame on the stack. */
@CompileStatic
final class ScriptLocation {
    private ScriptLocation() {}

    /** "dcgan.gan:14", or null when the call did not come from a script. */
    static String caller(String scriptName) {
        int line = callerLine(scriptName)
        line > 0 ? "${scriptName}:${line}".toString() : null
    }

    static int callerLine(String scriptName) {
        if (scriptName == null) {
            return -1
        }
        for (StackTraceElement e : new Throwable().stackTrace) {
            if (e.fileName == scriptName && e.lineNumber > 0) {
                return e.lineNumber
            }
        }
        -1
    }
}
