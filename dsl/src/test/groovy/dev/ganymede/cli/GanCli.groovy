package dev.ganymede.cli

/** The `gan` command run in the specs' own JVM: its exit code and what it printed. */
final class GanCli {

    private GanCli() {}

    /** Runs `gan ARGS...`; returns [code: exit code, out: standard output, err: standard error]. */
    static Map gan(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = GanCommand.execute(args, new PrintStream(out, true), new PrintStream(err, true))
        [code: code, out: out.toString(), err: err.toString()]
    }
}
