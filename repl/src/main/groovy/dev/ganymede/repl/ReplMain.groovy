package dev.ganymede.repl

import dev.ganymede.engine.Backend
import groovy.transform.CompileStatic
import org.jline.terminal.Terminal
import org.jline.terminal.TerminalBuilder

import java.nio.file.Path

/**
 * `gan-repl [FILE.gan] [-e CODE] [--device cpu|gpu|auto]`: loads FILE first, or evaluates CODE and
 * exits; with piped input it reads commands without a terminal.
 */
@CompileStatic
class ReplMain {

    static void main(String[] args) {
        System.exit(run(args))
    }

    static int run(String[] args) {
        String file = null
        String code = null
        String deviceChoice = 'auto'
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case '-e': case '--eval':
                    if (i + 1 >= args.length) { System.err.println('-e needs code: gan-repl -e "latent 100"'); return 2 }
                    code = args[++i]; break
                case '--device':
                    if (i + 1 >= args.length) { System.err.println('--device needs cpu, gpu or auto'); return 2 }
                    deviceChoice = args[++i]; break
                case '-h': case '--help':
                    println('usage: gan-repl [FILE.gan] [-e CODE] [--device cpu|gpu|auto]'); return 0
                case '--version':
                    println("Ganymede ${Backend.version()} gan-repl"); return 0
                default:
                    if (args[i].startsWith('-')) { System.err.println("unknown option ${args[i]}; gan-repl --help"); return 2 }
                    file = args[i]
            }
        }
        def device
        try {
            device = Backend.device(Backend.DeviceChoice.parse(deviceChoice))
        } catch (RuntimeException e) {
            System.err.println(e.message)
            return 2
        }
        boolean interactive = System.console() != null
        Terminal terminal = TerminalBuilder.builder().system(true).dumb(!interactive).name('gan-repl').build()
        GanRepl repl = new GanRepl(terminal, Path.of(System.getProperty('user.home')), device)
        try {
            if (code != null) {
                repl.handle(code)
                repl.shutdown()
                return 0
            }
            if (interactive) repl.banner()
            if (file != null) repl.handle("/load ${file}")
            return repl.loop()
        } finally {
            terminal.close()
        }
    }
}
