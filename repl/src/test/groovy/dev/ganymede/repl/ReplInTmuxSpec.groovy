package dev.ganymede.repl

import spock.lang.Narrative
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("gan-repl in a real terminal: typing into ./gan-repl inside tmux and reading the screen")
@Narrative("""
The other REPL specs drive the session object through a dumb terminal. This one starts the real
`./gan-repl` launcher of the repository in a real pseudo-terminal (tmux), types keys with `tmux
send-keys` — including TAB and Ctrl-C — and reads the screen with `tmux capture-pane`, as a person
would see it: the banner, the help line that follows the cursor after a word, completion, summaries,
and a long /train stopped by Ctrl-C.

Outside the tests, `./gan-repl` builds Ganymede with Maven when the jars are missing or older than
the sources. Under `mvn test` the classes are already compiled, so the spec hands the test classpath
to the launcher in GANYMEDE_CLASSPATH and nothing is built (and nothing is downloaded). The spec
needs tmux (`apt-get install tmux`; CI installs it). Every wait polls the screen for up to minutes,
as a loaded machine may take long to start the JVM and PyTorch; none is a fixed sleep.
""")
@Stepwise
@Requires(value = { ReplInTmuxSpec.tmuxAvailable() }, reason = 'tmux is not installed: apt-get install tmux')
@Requires(value = { Files.isExecutable(ReplInTmuxSpec.launcher()) },
        reason = 'the gan-repl launcher was not found: run the specs from the repository (ganymede.root)')
class ReplInTmuxSpec extends Specification {

    @Shared String name = "gan-repl-spec-${ProcessHandle.current().pid()}"
    @Shared Path home = Files.createTempDirectory('gan-repl-tmux')

    static Path launcher() {
        Path.of(System.getProperty('ganymede.root', '..')).toAbsolutePath().normalize().resolve('gan-repl')
    }

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

    static String quoted(String s) {
        "'" + s.replace("'", "'\\''") + "'"
    }

    String screen() {
        tmux('capture-pane', '-t', name, '-p')
    }

    /** The last line with text on the screen. */
    String lastLine() {
        screen().readLines().findAll { it.trim() }.with { it ? it.last() : '' }
    }

    /** Polls the screen until the condition holds; false after the time is up. */
    boolean waitUntil(int seconds = 180, Closure<Boolean> condition) {
        long end = System.currentTimeMillis() + seconds * 1000L
        while (System.currentTimeMillis() < end) {
            if (condition.call()) return true
            sleep(250)
        }
        false
    }

    boolean waitFor(String text, int seconds = 180) {
        waitUntil(seconds) { screen().contains(text) }
    }

    def setupSpec() {
        Path work = Files.createDirectories(home.resolve('work')) // /train writes runs/ here
        String command = ['env',
                          'GANYMEDE_CLASSPATH=' + System.getProperty('java.class.path'),
                          "GANYMEDE_JAVA_OPTS=-Xmx1g -Duser.home=${home}".toString(),
                          launcher().toString()].collect { quoted(it) }.join(' ')
        tmux('new-session', '-d', '-s', name, '-x', '150', '-y', '45', '-c', work.toString(), command)
    }

    def cleanupSpec() {
        tmux('kill-session', '-t', name)
    }

    def "the banner names the version and the device, then the prompt waits"() {
        expect:
        waitFor('gan>')
        screen().contains('Ganymede 0.1.0-SNAPSHOT gan-repl | device cpu')
    }

    def "after a word and a space, its help line follows the cursor; Ctrl-U takes both away"() {
        when: "the user types 'conv '"
        tmux('send-keys', '-t', name, 'conv ')

        then: "the rest of the line from /help conv appears after the cursor"
        waitFor('gan> conv 64, kernel: 4, stride: 2, padding: 1, bias: false — a 2-d convolution')

        when: "the line is cleared"
        tmux('send-keys', '-t', name, 'C-u')

        then:
        waitUntil { lastLine().trim() == 'gan>' }
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
        when: "a long training shows its live progress line, and the user presses Ctrl-C"
        tmux('send-keys', '-t', name, '/train 1000000', 'Enter')
        waitFor('training 1000000 steps (Ctrl-C stops)')
        waitUntil { screen() =~ /step \d+\/1000000/ }
        tmux('send-keys', '-t', name, 'C-c')

        then: "training stops, says that /train continues, and the prompt is back"
        waitFor('networks and optimiser state are kept, /train continues')
        waitUntil { lastLine().startsWith('gan>') }
    }

    def "/report writes the page of the run just stopped and prints its path"() {
        when:
        tmux('send-keys', '-t', name, '/report', 'Enter')

        then:
        waitUntil { screen() =~ /wrote \S+\/runs\/repl-[\d-]+\/report\.html/ }
    }
}
