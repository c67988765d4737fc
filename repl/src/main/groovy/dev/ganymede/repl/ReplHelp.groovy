package dev.ganymede.repl

import dev.ganymede.dsl.LanguageHelp
import dev.ganymede.dsl.ScriptRunner
import groovy.transform.CompileStatic

/** The help text of /help: commands, and each word of the language with an example. */
@CompileStatic
final class ReplHelp {
    private ReplHelp() {}



    static String text(String topic) {
        if (topic == null) {
            StringBuilder sb = new StringBuilder('Commands:\n')
            GanRepl.COMMANDS.each { k, v -> sb.append(String.format('  %-9s %s%n', k, v)) }
            sb.append('\nWords of the language (/help WORD for one):\n  ')
            sb.append(ScriptRunner.ALL_WORDS.join(', ')).append('\n')
            sb.append('\nTechniques by name (/help ttur: the words that declare it):\n  ')
            sb.append(LanguageHelp.TECHNIQUES.keySet().join(', ')).append('\n')
            sb.append('\nAnything else is Groovy: variables, loops and functions persist for the session.\n')
            return sb.toString()
        }
        String t = topic.startsWith('/') ? topic : topic
        if (GanRepl.COMMANDS.containsKey('/' + t) || GanRepl.COMMANDS.containsKey(t)) {
            String k = t.startsWith('/') ? t : '/' + t
            return "${k}: ${GanRepl.COMMANDS[k]}\n".toString()
        }
        if (LanguageHelp.of(t) != null) {
            return LanguageHelp.of(t) + '\n'
        }
        "no help on '${topic}'${LanguageHelp.didYouMean(topic, GanRepl.COMMANDS.keySet())}\n".toString()
    }
}
