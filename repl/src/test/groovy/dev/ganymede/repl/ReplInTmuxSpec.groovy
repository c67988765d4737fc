package dev.ganymede.repl

import spock.lang.Narrative
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("gan-repl in a real terminal: typing into the process inside tmux and reading the screen")
@Narrative("""
The other REPL specs drive the session object through a dumb terminal. This one starts the REPL's
main class as its own process in a real pseudo-terminal (tmux), types keys with `tmux send-keys`
— including TAB and Ctrl-C — and reads the screen with `tmux capture-pane`, as a person would see
it. It needs tmux (`apt-get install tmux`; CI installs it).
""")
@Requires(value = { ReplInTmuxSpec.tmuxAvailable() }, reason = 'tmux is not installed: apt-get install tmux')
class ReplInTmuxSpec extends Specification {

    @Shared String name = "gan-repl-spec-${ProcessHandle.current().pid()}"
    @Shared Path home = Files.createTempDirectory('gan-repl-tmux')

    static boolean tmuxAvailable() {
        try {
            return new ProcessBuilder('tmux', '-V').start().waitFor() == 0
        } catch (IOException ignored) {
            return false
        }
    }

    static String tmux(String... args) {
        def p = new ProcessBuilder((['tmux'] + (args as List)) as List<String>).redirectErrorStream(true).start()
        def text = p.inputStream.text
        p.waitFor()
        text
    }

    String screen() {
        tmux('capture-pane', '-t', name, '-p')
    }

    boolean waitFor(String text, int seconds = 60) {
        long end = System.currentTimeMillis() + seconds * 1000L
        while (System.currentTimeMillis() < end) {
            if (screen().contains(text)) return true
            sleep(200)
        }
        false
    }

    def setupSpec() {
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def launcher = home.resolve('gan-repl.sh')
        Files.writeString(launcher, "#!/bin/sh\nexec '${java}' -Duser.home='${home}' -Dai.djl.offline=true -cp '${System.getProperty('java.class.path')}' dev.ganymede.repl.ReplMain\n".toString())
        launcher.toFile().setExecutable(true)
        tmux('new-session', '-d', '-s', name, '-x', '150', '-y', '45', launcher.toString())
    }

    def cleanupSpec() {
        tmux('kill-session', '-t', name)
    }

    def "the banner names the version and the device, then the prompt waits"() {
        expect:
        waitFor('gan>')
        screen().contains('Ganymede 0.1.0-SNAPSHOT gan-repl | device cpu')
    }

    def "typing a GAN with TAB completion, then /summary, shows both networks"() {
        when: "the user types the 1D Gaussian GAN, completing 'leakyRe' with TAB"
        tmux('send-keys', '-t', name, "data 'gaussian-1d'", 'Enter', 'latent 8', 'Enter')
        tmux('send-keys', '-t', name, 'generator {', 'Enter', 'linear 16', 'Enter', 'relu', 'Enter', 'linear 1', 'Enter', '}', 'Enter')
        tmux('send-keys', '-t', name, 'discriminator {', 'Enter', 'linear 16', 'Enter', 'leakyRe', 'Tab', '0.2', 'Enter')
        tmux('send-keys', '-t', name, 'linear 1', 'Enter', 'sigmoid', 'Enter', '}', 'Enter')
        tmux('send-keys', '-t', name, '/summary', 'Enter')

        then: "the completed word and the summaries are on the screen"
        waitFor('latent: N(0, 1) (8,); loss: bce')
        screen().contains('leakyRelu 0.2')
        screen().contains('Total parameters: 161')
        screen().contains('Total parameters: 49')
    }

    def "Ctrl-C stops a long /train and returns to the prompt"() {
        when:
        tmux('send-keys', '-t', name, '/train 1000000', 'Enter')
        waitFor('training 1000000 steps (Ctrl-C stops)')
        sleep(3000)
        tmux('send-keys', '-t', name, 'C-c')

        then: "training stops and says that /train continues"
        waitFor('networks and optimiser state are kept, /train continues')
        screen().readLines().findAll { it.trim() }.last().startsWith('gan>')
    }
}
