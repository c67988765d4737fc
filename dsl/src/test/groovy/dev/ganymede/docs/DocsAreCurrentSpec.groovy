package dev.ganymede.docs

import java.nio.file.Files
import java.nio.file.Path
import picocli.CommandLine
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

@Title("docs/ is generated from the specs and the scripts, and the build fails when it is stale")
@Narrative("""
No page in docs/ is written by hand. DocsGenerator reads the Spock specs of every module without
running them (Groovy's own parser gives it each spec's @Title, @Narrative, feature names, block
labels and where: tables) and the scripts in scripts/ (their header comment and their source), and
lays them out as Markdown: a page per spec, an index of the specs, a page per script with the
sample grid its spec trained, and a home page.

After changing a spec or a script, regenerate the pages from the repository root with

  ./gan docs

and commit them with the change. The first feature fails the build while docs/ differs from what
the sources generate, and names the stale files. The other features build a small project in a
temporary folder and show what the generator makes of a spec and of a script.
""")
class DocsAreCurrentSpec extends Specification {

    @TempDir Path temp

    static final String DEMO_SPEC = '''\
package demo

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Discriminator: tells real samples from fakes")
@Narrative("""
The discriminator outputs the probability that its input is real. Training pushes it towards 1 on
real data and towards 0 on the generator's fakes.
""")
class DiscriminatorSpec extends Specification {

    def "D(#x) is #p"() {
        given: "a discriminator that has learnt the data"
        def d = { it }

        expect: "its output is the probability that x is real"
        d(x) == p

        where: "real data lies at 1"
        x   || p
        1.0 || 1.0   // a real sample
        0.0 || 0.0   // an obvious fake
    }

    static double helper() { 42 }
}
'''

    static final String DEMO_HELPER = '''\
package demo

class Noise {
    static double[] uniform(int n) { new double[n] }
}
'''

    static final String DEMO_SCRIPT = '''\
// A tiny GAN: the smallest script that trains.
// It reproduces nothing in particular.

latent 8
'''

    def "docs/ is what the current specs and scripts generate"() {
        given: "the repository this build runs in"
        Path root = DocsGenerator.findRoot(Path.of(System.getProperty("ganymede.root", "")))
        assert root != null

        when: "every page is generated again, in memory, and compared with the file in docs/"
        List<Path> stale = DocsGenerator.check(root)

        then: "none differs; otherwise the message lists the stale files and the command that regenerates them"
        assert stale.isEmpty(), DocsGenerator.staleMessage(stale)
    }

    def "a spec's title, narrative, blocks and where: table become its page"() {
        given: "a project with one spec and one helper class"
        write("engine/src/test/groovy/demo/DiscriminatorSpec.groovy", DEMO_SPEC)
        write("engine/src/test/groovy/demo/Noise.groovy", DEMO_HELPER)

        when: "its docs are generated"
        def pages = new DocsGenerator(temp, null).render()
        def page = pages["docs/specs/demo/DiscriminatorSpec.md"]

        then: "the spec has a page, the helper none"
        pages.keySet() == ["docs/README.md", "docs/language.md", "docs/specs/README.md", "docs/specs/demo/DiscriminatorSpec.md"] as Set

        and: "the title is the heading and the narrative follows it"
        page.contains("# Discriminator: tells real samples from fakes\n\nThe discriminator outputs the probability")

        and: "the feature is a section whose placeholders stay visible, with the name of its first run"
        page.contains("## D(`#x`) is `#p`\n")
        page.contains("so the first run is called “D(1.0) is 1.0”")

        and: "each block is a sentence"
        page.contains("**Given** a discriminator that has learnt the data\n")
        page.contains("**Expect** its output is the probability that x is real\n")

        and: "the where: table keeps its columns, the ‖ between inputs and expected values, and the row comments"
        page.contains('''\
**Where** real data lies at 1:

|   `x` | ‖   |   `p` |                 |
| ----: | --- | ----: | --------------- |
| `1.0` | ‖   | `1.0` | a real sample   |
| `0.0` | ‖   | `0.0` | an obvious fake |
''')

        and: "the index lists the spec under its module and package with the first sentence of its narrative"
        pages["docs/specs/README.md"].contains('''\
## Module `engine`

### `demo`

- [Discriminator: tells real samples from fakes](demo/DiscriminatorSpec.md) *(1 feature)*\\
  The discriminator outputs the probability that its input is real.
''')
    }

    def "a script's page shows what it reproduces, its source, and its sample grid when its spec made one"() {
        given: "a script, and the sample grid a spec trained it for"
        write("scripts/tiny.gan", DEMO_SCRIPT)
        write("dsl/target/script-samples/tiny.png", "not really a PNG")
        write("dsl/target/script-samples/tiny.properties", "steps=50\n")

        when: "the docs are generated"
        new DocsGenerator(temp, null).write()
        def page = read("docs/scripts/tiny.md")

        then: "the header comment says what the script reproduces, and the whole source follows"
        page.contains("## What it reproduces\n\nA tiny GAN: the smallest script that trains.\nIt reproduces nothing in particular.\n")
        page.contains("```groovy\n" + DEMO_SCRIPT + "```\n")

        and: "the grid is copied beside the page and shown with the number of steps behind it"
        read("docs/scripts/tiny.png") == "not really a PNG"
        page.contains("![Samples from the generator of tiny.gan](tiny.png)")
        page.contains("*(sample grid from 50 training steps in its spec)*")

        and: "the home page links the script with its first sentence"
        read("docs/README.md").contains("[tiny.gan](scripts/tiny.md) | A tiny GAN: the smallest script that trains.")

        when: "the docs are generated again without a fresh grid"
        Files.walk(temp.resolve("dsl")).sorted(Comparator.reverseOrder()).forEach { Files.delete(it) }
        new DocsGenerator(temp, null).write()

        then: "the grid already in docs/ is kept, and so is the page"
        read("docs/scripts/tiny.png") == "not really a PNG"
        read("docs/scripts/tiny.md") == page

        when: "a script has no grid at all"
        write("scripts/other.gan", DEMO_SCRIPT)
        new DocsGenerator(temp, null).write()

        then: "its page has no image and no caption"
        !read("docs/scripts/other.md").contains("sample grid")
        !read("docs/scripts/other.md").contains("![")
    }

    def "a script's page links the hand-written benchmark pages that run it, and the home page lists them all"() {
        given: "two scripts, and a benchmark page whose command names one of them"
        write("scripts/tiny.gan", DEMO_SCRIPT)
        write("scripts/other.gan", DEMO_SCRIPT)
        write("docs/benchmarks/coverage.md", "```sh\n# a shell comment is not the title\n```\n\n# Mode coverage of tiny GANs\n\n./gan bench mixtures --variants scripts/tiny.gan\n")

        when: "the docs are generated"
        new DocsGenerator(temp, null).write()

        then: "the script it runs links it by its title (its first heading outside code), under Measured"
        read("docs/scripts/tiny.md").contains("## Measured\n\nBenchmark pages that run it, with their commands and results:\n\n"
                + "- [Mode coverage of tiny GANs](../benchmarks/coverage.md)\n")

        and: "the script it does not name has no such section"
        !read("docs/scripts/other.md").contains("## Measured")

        and: "the home page lists the benchmark, and the hand-written page is left as it was"
        read("docs/README.md").contains("- [Mode coverage of tiny GANs](benchmarks/coverage.md)\n")
        read("docs/benchmarks/coverage.md").startsWith("```sh\n# a shell comment is not the title")
    }

    def "the check lists the pages that changed, are missing or are no longer generated, but not the images"() {
        given: "a project whose docs were just generated"
        write("engine/src/test/groovy/demo/DiscriminatorSpec.groovy", DEMO_SPEC)
        write("scripts/tiny.gan", DEMO_SCRIPT)
        write("dsl/target/script-samples/tiny.png", "a grid")
        def generator = new DocsGenerator(temp, null)
        generator.write()

        expect: "generating is deterministic: right afterwards nothing is stale"
        generator.stale() == []

        when: "a page is edited by hand, one is deleted, one no source makes is added, and a grid changes"
        write("docs/README.md", read("docs/README.md") + "\nA hand-written line.\n")
        Files.delete(temp.resolve("docs/scripts/tiny.md"))
        write("docs/specs/demo/RemovedSpec.md", "# a spec that is gone\n")
        write("docs/scripts/tiny.png", "another grid")

        then: "exactly the three pages are stale, sorted, and the image is not compared"
        generator.stale()*.toString()*.replace('\\', '/') == ["docs/README.md", "docs/scripts/tiny.md", "docs/specs/demo/RemovedSpec.md"]

        and: "the message names them and the command that regenerates docs/"
        def message = DocsGenerator.staleMessage(generator.stale())
        message.contains("  docs/scripts/tiny.md\n")
        message.contains(DocsGenerator.COMMAND)

        when: "the docs are generated again"
        generator.write()

        then: "the obsolete page is gone and nothing is stale"
        !Files.exists(temp.resolve("docs/specs/demo/RemovedSpec.md"))
        generator.stale() == []
    }

    def "gan docs --check changes nothing and exits with 1 while docs/ is stale"() {
        given: "a project whose docs were never generated"
        write("engine/src/test/groovy/demo/DiscriminatorSpec.groovy", DEMO_SPEC)
        write("scripts/tiny.gan", DEMO_SCRIPT)

        when: "the check runs"
        def (int code, String out, String err) = docs("--check", "--root", temp.toString())

        then: "it fails naming the missing pages, and writes none"
        code == 1
        err.contains("docs/specs/demo/DiscriminatorSpec.md")
        !Files.exists(temp.resolve("docs"))

        when: "the docs are generated, then checked"
        def generated = docs("--root", temp.toString())
        def checked = docs("--check", "--root", temp.toString())

        then: "both succeed"
        generated[0] == 0
        checked[0] == 0
        checked[1].contains("docs/ is current")
    }

    private void write(String path, String text) {
        Path file = temp.resolve(path)
        Files.createDirectories(file.parent)
        Files.writeString(file, text)
    }

    private String read(String path) {
        Files.readString(temp.resolve(path))
    }

    private static List docs(String... args) {
        def out = new StringWriter()
        def err = new StringWriter()
        def cl = new CommandLine(new DocsCommand())
        cl.out = new PrintWriter(out, true)
        cl.err = new PrintWriter(err, true)
        int code = cl.execute(args)
        [code, out.toString(), err.toString()]
    }
}
