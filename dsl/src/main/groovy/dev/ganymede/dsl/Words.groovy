package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** "Did you mean ...?" for misspelt DSL words and named arguments. */
@CompileStatic
final class Words {
    private Words() {}

    static String suggestion(String word, Collection<String> known) {
        String best = null
        int bestDistance = Integer.MAX_VALUE
        for (String k : known) {
            int d = distance(word.toLowerCase(), k.toLowerCase())
            if (d < bestDistance) {
                bestDistance = d
                best = k
            }
        }
        int allowed = Math.max(1, word.length().intdiv(3) as int)
        bestDistance <= allowed ? best : null
    }

    static String didYouMean(String word, Collection<String> known) {
        String s = suggestion(word, known)
        s == null ? '' : " (did you mean ${s}?)".toString()
    }

    /** Damerau-free Levenshtein distance, plus adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1]
        for (int i = 0; i <= a.length(); i++) d[i][0] = i
        for (int j = 0; j <= b.length(); j++) d[0][j] = j
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost)
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1)
                }
                d[i][j] = v
            }
        }
        d[a.length()][b.length()]
    }
}
