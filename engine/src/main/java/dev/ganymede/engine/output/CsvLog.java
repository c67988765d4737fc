package dev.ganymede.engine.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The training log as CSV: a header line ({@link StepRecord#CSV_HEADER}) and one line per
 * {@link StepRecord}, readable by pandas, R or a spreadsheet as well as by {@link #read(Path)}.
 *
 * <p>Numbers are written locale-independently with 7 significant digits (about float precision),
 * without trailing zeros: {@code 0.6931472}, {@code 1250}, {@code 3.2E-8}; non-finite values as
 * {@code NaN}, {@code Infinity} and {@code -Infinity}. Lines are buffered and flushed every
 * {@code flushEvery} records, at the latest {@value #FLUSH_SECONDS} seconds after the previous flush
 * (checked on each append), and on {@link #close()}, so a crashed run loses little.
 *
 * <p>Writing errors are thrown as {@link UncheckedIOException}, so a training loop can log without
 * catching; opening the file throws the plain {@link IOException}. Appending is thread-safe.
 */
public final class CsvLog implements AutoCloseable {

    /** Records between flushes unless told otherwise. */
    public static final int DEFAULT_FLUSH_EVERY = 50;

    /** Longest time in seconds that appended records stay in the buffer (checked when appending). */
    public static final int FLUSH_SECONDS = 5;

    private static final MathContext DIGITS = new MathContext(7);
    private static final String[] COLUMNS = StepRecord.CSV_HEADER.split(",");

    private final Path file;
    private final BufferedWriter out;
    private final int flushEvery;
    private int pending;
    private long lastFlush = System.nanoTime();
    private long written;
    private boolean closed;

    private CsvLog(Path file, BufferedWriter out, int flushEvery) {
        this.file = file;
        this.out = out;
        this.flushEvery = flushEvery;
    }

    /**
     * Opens {@code file} for appending, creating it (and its directories) with a header line if it is
     * missing or empty. An existing file must start with the same header; a resumed run then continues
     * the same log (an unfinished last line, left by a crash, is removed first).
     */
    public static CsvLog open(Path file) throws IOException {
        return open(file, DEFAULT_FLUSH_EVERY);
    }

    /** As {@link #open(Path)}, flushing every {@code flushEvery} records. */
    public static CsvLog open(Path file, int flushEvery) throws IOException {
        checkFlushEvery(flushEvery);
        Images.createParent(file);
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        boolean needsNewline = false;
        if (!fresh) {
            byte[] bytes = Files.readAllBytes(file);
            String existing = new String(bytes, StandardCharsets.UTF_8);
            String header = existing.lines().findFirst().orElse("").strip();
            if (!header.equals(StepRecord.CSV_HEADER)) {
                throw new IOException(file + " is not a step log: its first line is \"" + header
                        + "\", expected \"" + StepRecord.CSV_HEADER + "\"");
            }
            if (bytes[bytes.length - 1] != '\n') {
                int lastNewline = bytes.length - 1;
                while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
                    lastNewline--;
                }
                if (lastNewline < 0) {
                    needsNewline = true; // just the header
                } else {
                    // drop the half-written line a crashed run left behind
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.truncate(lastNewline + 1);
                    }
                }
            }
        }
        BufferedWriter out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (fresh || needsNewline) {
            if (fresh) {
                out.write(StepRecord.CSV_HEADER);
            }
            out.write('\n');
            out.flush();
        }
        return new CsvLog(file, out, flushEvery);
    }

    /** Starts a new log at {@code file}, replacing whatever was there. */
    public static CsvLog create(Path file) throws IOException {
        return create(file, DEFAULT_FLUSH_EVERY);
    }

    /** As {@link #create(Path)}, flushing every {@code flushEvery} records. */
    public static CsvLog create(Path file, int flushEvery) throws IOException {
        checkFlushEvery(flushEvery);
        Images.createParent(file);
        Files.deleteIfExists(file);
        return open(file, flushEvery);
    }

    /** Writes {@code records} to a new file at {@code file} in one go. */
    public static void write(Path file, Collection<StepRecord> records) throws IOException {
        try (CsvLog log = create(file, Integer.MAX_VALUE)) {
            for (StepRecord record : records) {
                log.append(record);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The file this log writes to. */
    public Path file() {
        return file;
    }

    /** How many records this log has appended since it was opened. */
    public synchronized long written() {
        return written;
    }

    /** Appends one line; flushes when {@code flushEvery} records are pending or the last flush is old. */
    public synchronized void append(StepRecord record) {
        if (closed) {
            throw new IllegalStateException("the log " + file + " is closed");
        }
        try {
            out.write(line(record));
            out.write('\n');
            written++;
            pending++;
            if (pending >= flushEvery || System.nanoTime() - lastFlush >= FLUSH_SECONDS * 1_000_000_000L) {
                flushNow();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file, e);
        }
    }

    /** Writes the pending lines to the file. */
    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            flushNow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file, e);
        }
    }

    /** Flushes and closes the file; closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private void flushNow() throws IOException {
        out.flush();
        pending = 0;
        lastFlush = System.nanoTime();
    }

    private static void checkFlushEvery(int flushEvery) {
        if (flushEvery < 1) {
            throw new IllegalArgumentException("flushEvery must be at least 1, got " + flushEvery);
        }
    }

    // ---------------------------------------------------------------- format

    /** One CSV line for {@code record}, without the line end. */
    static String line(StepRecord r) {
        return r.step() + "," + r.epoch() + "," + number(r.lossD()) + "," + number(r.lossG()) + ","
                + number(r.dReal()) + "," + number(r.dFake()) + "," + number(r.imagesPerSecond()) + ","
                + number(r.seconds());
    }

    /** {@code value} with 7 significant digits and no trailing zeros, independent of the locale. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(DIGITS).stripTrailingZeros();
        int magnitude = rounded.precision() - rounded.scale() - 1; // the decimal exponent
        return magnitude >= -5 && magnitude < 15 ? rounded.toPlainString() : rounded.toString();
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads a log written by this class (or any CSV with the same column names, in any order; extra
     * columns are ignored). Blank lines and an unfinished last line, as a crash leaves it, are
     * skipped; any other malformed line is an error naming its line number.
     */
    public static List<StepRecord> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        // text.split leaves "" after a final newline; a last line without one may be cut short
        boolean lastComplete = text.endsWith("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IOException(file + " is empty, expected the header \"" + StepRecord.CSV_HEADER + "\"");
        }
        int[] index = columnIndices(file, lines[0]);
        List<StepRecord> records = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean last = i == lines.length - 1;
            try {
                records.add(parse(line.split(",", -1), index));
            } catch (RuntimeException e) {
                if (last && !lastComplete) {
                    break; // the half-written line of an interrupted run
                }
                throw new IOException(file + ", line " + (i + 1) + ": cannot read \"" + line + "\": "
                        + e.getMessage(), e);
            }
        }
        return records;
    }

    private static int[] columnIndices(Path file, String headerLine) throws IOException {
        String[] header = headerLine.strip().split(",", -1);
        int[] index = new int[COLUMNS.length];
        for (int c = 0; c < COLUMNS.length; c++) {
            index[c] = -1;
            for (int h = 0; h < header.length; h++) {
                if (header[h].strip().equals(COLUMNS[c])) {
                    index[c] = h;
                }
            }
            if (index[c] < 0) {
                throw new IOException(file + " has no column \"" + COLUMNS[c] + "\"; its header is \""
                        + headerLine.strip() + "\"");
            }
        }
        return index;
    }

    private static StepRecord parse(String[] fields, int[] index) {
        for (int i : index) {
            if (i >= fields.length) {
                throw new IllegalArgumentException("too few fields");
            }
        }
        return new StepRecord(
                Long.parseLong(fields[index[0]].strip()),
                Integer.parseInt(fields[index[1]].strip()),
                decimal(fields[index[2]]),
                decimal(fields[index[3]]),
                decimal(fields[index[4]]),
                decimal(fields[index[5]]),
                decimal(fields[index[6]]),
                decimal(fields[index[7]]));
    }

    /** Java's number syntax, plus the {@code inf} and {@code nan} spellings of pandas and numpy. */
    private static double decimal(String field) {
        String s = field.strip();
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }
}
