package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** Checks a DSL word's named arguments: unknown keys and wrong types get a sentence, not a stack trace. */
@CompileStatic
final class NamedArgs {
    private final String word
    private final Map<String, Object> args

    NamedArgs(String word, Map args, Collection<String> allowed) {
        this.word = word
        this.args = (Map<String, Object>) (args ?: [:])
        for (Object key : this.args.keySet()) {
            String k = key.toString()
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("${word} does not take '${k}:'${Words.didYouMean(k, allowed)}; it takes ${allowed.collect { it + ':' }.join(', ')}".toString())
            }
        }
    }

    boolean has(String key) { args.containsKey(key) }

    int integer(String key, int fallback) {
        if (!args.containsKey(key)) return fallback
        Object v = args.get(key)
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).intValue()
        throw new IllegalArgumentException("${word} ${key}: must be a whole number, got ${describe(v)}".toString())
    }

    double number(String key, double fallback) {
        if (!args.containsKey(key)) return fallback
        Object v = args.get(key)
        if (v instanceof Number) return ((Number) v).doubleValue()
        throw new IllegalArgumentException("${word} ${key}: must be a number, got ${describe(v)}".toString())
    }

    boolean bool(String key, boolean fallback) {
        if (!args.containsKey(key)) return fallback
        Object v = args.get(key)
        if (v instanceof Boolean) return (Boolean) v
        throw new IllegalArgumentException("${word} ${key}: must be true or false, got ${describe(v)}".toString())
    }

    String text(String key, String fallback) {
        args.containsKey(key) ? String.valueOf(args.get(key)) : fallback
    }

    List<Number> numbers(String key, List<Number> fallback, int size) {
        if (!args.containsKey(key)) return fallback
        Object v = args.get(key)
        if (v instanceof List && ((List) v).size() == size && ((List) v).every { it instanceof Number }) {
            return (List<Number>) v
        }
        throw new IllegalArgumentException("${word} ${key}: must be a list of ${size} numbers like [0.5, 0.999], got ${describe(v)}".toString())
    }

    static String describe(Object v) {
        v instanceof CharSequence ? "'${v}'".toString() : String.valueOf(v)
    }
}
