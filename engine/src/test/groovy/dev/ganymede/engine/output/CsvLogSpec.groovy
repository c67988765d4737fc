package dev.ganymede.engine.output

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Title

import java.nio.file.Files
import java.nio.file.Path

@Title("CsvLog: the training log as a CSV file, written step by step and read back")
@Narrative("""
The training loop appends one StepRecord per step; the log buffers the lines and flushes them every
few records and on close. Numbers are written with 7 significant digits whatever the default
locale, so pandas and the plots read the same values back. A resumed run appends to the same file;
a crash's half-written last line is ignored.
""")
class CsvLogSpec extends Specification {

    @TempDir Path dir

    def "records survive the round trip through the file to 7 significant digits"() {
        given: "records with ordinary, tiny, huge, negative and non-finite figures"
        def records = [
                new StepRecord(0, 1, 0.6931471805599453, 0.6931471805599453, 0.5, 0.5, 1234.5678, 0.0123),
                new StepRecord(1, 1, 1.0e-9, 123456789.0, 0.999999, 1.0e-12, 0, 12.3456789),
                new StepRecord(937, 3, -3.14159265, -0.0001234567, -42.0, 17.25, 8.5e6, 3600.5),
                new StepRecord(9_000_000_000L, 250, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 1, 2)]

        when: "they are logged and read back"
        def file = dir.resolve("run/steps.csv")
        try (def log = CsvLog.create(file)) {
            records.each { log.append(it) }
        }
        def back = CsvLog.read(file)

        then: "the file starts with the header"
        Files.readAllLines(file)[0] == StepRecord.CSV_HEADER

        and: "every record comes back, steps and epochs exactly, the rest to a relative 1e-6"
        back.size() == records.size()
        [records, back].transpose().every { StepRecord a, StepRecord b ->
            a.step() == b.step() && a.epoch() == b.epoch() &&
                    close(a.lossD(), b.lossD()) && close(a.lossG(), b.lossG()) &&
                    close(a.dReal(), b.dReal()) && close(a.dFake(), b.dFake()) &&
                    close(a.imagesPerSecond(), b.imagesPerSecond()) && close(a.seconds(), b.seconds())
        }
    }

    def "#value is written as #text"() {
        expect:
        CsvLog.number(value) == text

        and: "finite values parse back to the same 7 digits"
        !Double.isFinite(value) || Math.abs(Double.parseDouble(text) - value) <= 5e-7 * Math.abs(value)

        where: "no trailing zeros, exponent notation only for very small or very large values"
        value                  || text
        0.6931471805599453     || "0.6931472"
        1250.0                 || "1250"
        -2.5                   || "-2.5"
        0.0                    || "0"
        3.2e-8                 || "3.2E-8"
        0.000123456789         || "0.0001234568"
        1e20                   || "1E+20"
        123456789.0            || "123456800"
        Double.NaN             || "NaN"
        Double.POSITIVE_INFINITY || "Infinity"
    }

    def "the numbers do not depend on the default locale"() {
        given: "a locale whose decimal separator is a comma"
        def saved = Locale.getDefault()
        Locale.setDefault(Locale.GERMANY)

        when:
        def line = CsvLog.line(new StepRecord(5, 1, 0.25, 1.5, 0.75, 0.125, 1024.5, 2.0))

        then:
        line == "5,1,0.25,1.5,0.75,0.125,1024.5,2"

        cleanup:
        Locale.setDefault(saved)
    }

    def "lines reach the file every flushEvery records, and all of them on close"() {
        given: "a log that flushes every 3 records"
        def file = dir.resolve("flush.csv")
        def log = CsvLog.create(file, 3)

        when: "two records are appended"
        2.times { log.append(record(it)) }

        then: "only the header is in the file"
        Files.readAllLines(file) == [StepRecord.CSV_HEADER]

        when: "the third one is appended"
        log.append(record(2))

        then: "all three are there"
        Files.readAllLines(file).size() == 4

        when: "one more is appended and the log closed"
        log.append(record(3))
        log.close()

        then: "nothing is lost, and the log counted them"
        CsvLog.read(file)*.step() == [0L, 1L, 2L, 3L]
        log.written() == 4

        when: "the closed log is used again"
        log.append(record(4))

        then:
        thrown(IllegalStateException)
    }

    def "a resumed run appends to the existing log without a second header"() {
        given: "a log of two steps"
        def file = dir.resolve("resume.csv")
        CsvLog.write(file, [record(0), record(1)])

        when: "it is opened again and two more steps are logged"
        try (def log = CsvLog.open(file)) {
            log.append(record(2))
            log.append(record(3))
        }

        then:
        Files.readAllLines(file).count { it == StepRecord.CSV_HEADER } == 1
        CsvLog.read(file)*.step() == [0L, 1L, 2L, 3L]
    }

    def "a half-written last line, as a crash leaves it, is ignored when reading and dropped when resuming"() {
        given: "a log whose last line stops in the middle of a number"
        def file = dir.resolve("crash.csv")
        CsvLog.write(file, [record(0), record(1)])
        file.toFile() << "2,1,0.69"

        expect: "reading skips it"
        CsvLog.read(file)*.step() == [0L, 1L]

        when: "the run resumes"
        try (def log = CsvLog.open(file)) {
            log.append(record(2))
        }

        then: "the broken line is gone and the new one follows the intact ones"
        CsvLog.read(file)*.step() == [0L, 1L, 2L]
        Files.readAllLines(file).size() == 4
    }

    def "columns are found by name, so reordered or extra columns are read too"() {
        given: "a CSV written by someone else, in another column order, with pandas' spellings"
        def file = dir.resolve("other.csv")
        Files.writeString(file, "epoch,step,note,seconds,images_per_second,d_fake,d_real,loss_g,loss_d\r\n" +
                "2,17,hello,1.5,100,0.25,0.75,inf,nan\r\n")

        when:
        def records = CsvLog.read(file)

        then:
        records.size() == 1
        with(records[0]) {
            step() == 17 && epoch() == 2 && seconds() == 1.5 && imagesPerSecond() == 100
            dFake() == 0.25 && dReal() == 0.75 && lossG() == Double.POSITIVE_INFINITY && lossD().naN
        }
    }

    def "#description is refused with a message naming the file"() {
        given:
        def file = dir.resolve("bad.csv")
        Files.writeString(file, content)

        when:
        action(file)

        then:
        def e = thrown(IOException)
        e.message.contains(message)

        where:
        description                        | content                                           | action                         || message
        "reading a file without a column"  | "step,epoch,loss_d\n1,1,0.5\n"                    | { Path f -> CsvLog.read(f) }   || "has no column \"loss_g\""
        "reading a malformed middle line"  | StepRecord.CSV_HEADER + "\n1,1,x,0,0,0,0,0\n2,1,0,0,0,0,0,0\n" | { Path f -> CsvLog.read(f) } || "line 2"
        "appending to a foreign file"      | "name,value\na,1\n"                               | { Path f -> CsvLog.open(f) }   || "is not a step log"
    }

    private static StepRecord record(long step) {
        new StepRecord(step, 1, 0.5 + step, 1.5 - step, 0.7, 0.3, 500, step * 0.1)
    }

    private static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isInfinite(a)) {
            return Double.compare(a, b) == 0
        }
        Math.abs(a - b) <= 1e-6 * Math.abs(a) + 1e-300
    }
}
