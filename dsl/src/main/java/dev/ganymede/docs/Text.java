package dev.ganymede.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Markdown helpers: escaping prose, code spans, aligned tables, dedenting and sentences. */
final class Text {

    /** A Spock placeholder in a feature name or block description: #name, #name.property, #name.method(). */
    static final Pattern PLACEHOLDER =
            Pattern.compile("#[\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\.[\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\(\\))?)*");

    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9_]*(\\.[0-9_]+)?([eE][-+]?[0-9]+)?[a-zA-Z]?");

    private Text() {
    }

    /**
     * Prose from a spec or a script comment as Markdown: characters Markdown would take for
     * emphasis or HTML are escaped, `code spans` written by the author are kept, and (when
     * {@code placeholders}) Spock's #placeholders become code spans.
     */
    static String prose(String text, boolean placeholders) {
        return prose(text, placeholders, false);
    }

    /** The same for the text of a link: brackets are escaped too. */
    static String linkText(String text, boolean placeholders) {
        return prose(text, placeholders, true);
    }

    private static String prose(String text, boolean placeholders, boolean brackets) {
        StringBuilder out = new StringBuilder();
        Matcher code = CODE_SPAN.matcher(text);
        int at = 0;
        while (code.find()) {
            out.append(plain(text.substring(at, code.start()), placeholders, brackets));
            out.append(code.group());
            at = code.end();
        }
        out.append(plain(text.substring(at), placeholders, brackets));
        return out.toString();
    }

    private static String plain(String text, boolean placeholders, boolean brackets) {
        if (!placeholders) {
            return escape(text, brackets);
        }
        StringBuilder out = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            out.append(escape(text.substring(at, m.start()), brackets)).append('`').append(m.group()).append('`');
            at = m.end();
        }
        return out.append(escape(text.substring(at), brackets)).toString();
    }

    private static String escape(String text, boolean brackets) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char before = i > 0 ? text.charAt(i - 1) : ' ';
            char after = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            boolean escape = switch (c) {
                case '\\' -> true;
                case '*' -> !Character.isWhitespace(before) || !Character.isWhitespace(after);
                case '_' -> !Character.isLetterOrDigit(before) || !Character.isLetterOrDigit(after);
                case '<' -> Character.isLetter(after) || after == '/' || after == '!' || after == '?';
                case '#', '>' -> i == 0 || before == '\n';
                case '[', ']' -> brackets;
                default -> false;
            };
            if (escape) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Inline code for any text: the fence is longer than any run of backticks inside it. */
    static String code(String text) {
        int longest = 0;
        Matcher m = Pattern.compile("`+").matcher(text);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        String fence = "`".repeat(longest + 1);
        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + pad + text + pad + fence;
    }

    /** A fenced code block whose fence is longer than any backtick run in the code. */
    static String fenced(String language, String code) {
        int longest = 2;
        Matcher m = Pattern.compile("`{3,}").matcher(code);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        String fence = "`".repeat(longest + 1);
        return fence + language + "\n" + code.stripTrailing() + "\n" + fence + "\n";
    }

    static boolean isNumber(String text) {
        return NUMBER.matcher(text).matches();
    }

    /**
     * A Markdown table with its columns padded to a common width, so it reads well as plain text
     * too. Cells are Markdown already; pipes in them are escaped here. Right-aligned columns get
     * "--:" in the delimiter row.
     */
    static String table(List<String> header, List<List<String>> rows, boolean[] rightAligned) {
        int columns = header.size();
        int[] width = new int[columns];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        List<List<String>> escaped = new ArrayList<>();
        for (List<String> row : all) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                String cell = c < row.size() && row.get(c) != null ? row.get(c).replace("|", "\\|") : "";
                cells.add(cell);
                width[c] = Math.max(width[c], Math.max(3, length(cell)));
            }
            escaped.add(cells);
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < escaped.size(); r++) {
            out.append(row(escaped.get(r), width, rightAligned));
            if (r == 0) {
                List<String> delimiter = new ArrayList<>();
                for (int c = 0; c < columns; c++) {
                    delimiter.add(rightAligned[c] ? "-".repeat(width[c] - 1) + ":" : "-".repeat(width[c]));
                }
                out.append(row(delimiter, width, rightAligned));
            }
        }
        return out.toString();
    }

    private static String row(List<String> cells, int[] width, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder("|");
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - length(cell));
            line.append(' ').append(rightAligned[c] ? pad + cell : cell + pad).append(" |");
        }
        return line.append('\n').toString();
    }

    /** Width of a string in a monospaced font (code points; combining marks take no room). */
    static int length(String s) {
        return (int) s.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).count();
    }

    /** Removes the indentation all non-blank lines share, and trailing whitespace. */
    static List<String> dedent(List<String> lines) {
        int common = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                common = Math.min(common, indentation(line));
            }
        }
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            String stripped = line.isBlank() ? "" : line.substring(Math.min(common, line.length()));
            result.add(stripped.stripTrailing());
        }
        return result;
    }

    /**
     * Removes up to {@code columns} leading spaces or tabs from every line (code whose first line is
     * indented that far: lines of a multi-line string that start further left are left alone).
     */
    static List<String> dedent(List<String> lines, int columns) {
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            result.add(line.substring(Math.min(columns, indentation(line))).stripTrailing());
        }
        return result;
    }

    static int indentation(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The first sentence of a paragraph: up to the first . ! or ? followed by a space and a capital (or the end). */
    static String firstSentence(String paragraph) {
        String text = paragraph.replaceAll("\\s+", " ").strip();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == '"') {
                quoted = !quoted;
            }
            if (depth == 0 && !quoted && (c == '.' || c == '!' || c == '?')
                    && (i + 1 == text.length() || (text.charAt(i + 1) == ' ' && i + 2 < text.length()
                    && (Character.isUpperCase(text.charAt(i + 2)) || Character.isDigit(text.charAt(i + 2)))))) {
                return text.substring(0, i + 1);
            }
        }
        return text;
    }

    /**
     * Splits text (a narrative, a script's header comment) into paragraphs at blank lines, after
     * dedenting it; a paragraph is a list of lines.
     */
    static List<List<String>> paragraphs(String text) {
        List<List<String>> paragraphs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : dedent(List.of(text.replace("\r\n", "\n").split("\n", -1)))) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(line);
            }
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        return paragraphs;
    }

    /**
     * Paragraphs as Markdown: prose lines are escaped and kept as written (Markdown joins them);
     * indented lines (a list laid out with spaces, a formula) become a plain-text block so their
     * alignment survives.
     */
    static String paragraphsMarkdown(String text) {
        StringBuilder out = new StringBuilder();
        for (List<String> paragraph : paragraphs(text)) {
            List<String> run = new ArrayList<>();
            boolean indented = false;
            for (String line : paragraph) {
                boolean lineIndented = indentation(line) > 0;
                if (!run.isEmpty() && lineIndented != indented) {
                    out.append(block(run, indented)).append('\n');
                    run = new ArrayList<>();
                }
                indented = lineIndented;
                run.add(line);
            }
            out.append(block(run, indented)).append('\n');
        }
        return out.toString();
    }

    private static String block(List<String> lines, boolean indented) {
        if (indented) {
            return fenced("text", String.join("\n", dedent(lines)));
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(prose(line, false)).append('\n');
        }
        return out.toString();
    }

    /** True when the first paragraph of the text is prose (not an indented block). */
    static boolean startsWithProse(String text) {
        List<List<String>> paragraphs = paragraphs(text);
        return !paragraphs.isEmpty() && indentation(paragraphs.get(0).get(0)) == 0;
    }
}
