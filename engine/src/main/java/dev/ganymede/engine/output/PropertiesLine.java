package dev.ganymede.engine.output;

/**
 * One {@code key=value} line of a .properties file, escaped so that {@link java.util.Properties#load(java.io.Reader)}
 * reads back exactly the key and value written: a {@code --set} value such as {@code C:\runs}, one with a
 * leading blank or a line break, or a key with {@code =} or {@code :} in it. The run folder's files are
 * written line by line in a fixed order (which {@code Properties.store} does not keep) and read as UTF-8.
 */
public final class PropertiesLine {

    private PropertiesLine() {}

    /** {@code key=value} with its line end. */
    public static String of(String key, Object value) {
        return entry(key, value) + '\n';
    }

    /** {@code key=value} without a line end, for a list of lines (a value's trailing blanks are part of it). */
    public static String entry(String key, Object value) {
        return escape(key, true) + '=' + escape(String.valueOf(value), false);
    }

    private static String escape(String text, boolean key) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                // a value's blanks count from its first character on; a key ends at a blank
                case ' ' -> sb.append(key || i == 0 ? "\\ " : " ");
                case '=', ':' -> sb.append(key ? "\\" + c : String.valueOf(c));
                // a line starting with # or ! is a comment
                case '#', '!' -> sb.append(key && i == 0 ? "\\" + c : String.valueOf(c));
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
