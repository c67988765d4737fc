package dev.ganymede.docs;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gan docs [--check]}: regenerates docs/ from the Spock specs and the scripts, or checks that it is current. */
@Command(name = "docs",
        description = {"Regenerate docs/ from the Spock specs (titles, narratives, blocks, where: tables) and scripts/*.gan.",
                "With --check, change nothing: list the stale pages and exit with 1 if there are any."})
public final class DocsCommand implements Callable<Integer> {

    @Option(names = "--check", description = "only check that docs/ is current; exit code 1 when it is not")
    boolean check;

    @Option(names = "--root", paramLabel = "DIR", description = "the repository root (default: found from the working directory)")
    Path root;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "where the script-samples spec left its PNG grids (default: " + DocsGenerator.DEFAULT_SAMPLES + ")")
    Path samples;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        java.io.ByteArrayOutputStream outBytes = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(outBytes, true, java.nio.charset.StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(errBytes, true, java.nio.charset.StandardCharsets.UTF_8)) {
            code = DocsGenerator.run(root == null ? DocsGenerator.findRoot() : root, samples, check, o, e);
        }
        if (spec != null) {
            spec.commandLine().getOut().print(outBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().print(errBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getErr().flush();
        } else {
            out.print(outBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            err.print(errBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return code;
    }

    /** Runs the command on its own: {@code java dev.ganymede.docs.DocsCommand [--check]}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DocsCommand()).execute(args));
    }
}
