package dev.ganymede.engine.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Looks adversarial losses up by the names scripts and the command line use, with their options.
 *
 * <table>
 *   <caption>Names, other names and options</caption>
 *   <tr><th>name</th><th>also</th><th>options</th><th>loss</th></tr>
 *   <tr><td>bce</td><td>standard</td><td>realLabel, fakeLabel, halve, minimax</td><td>{@link BinaryCrossEntropy#onProbabilities()}</td></tr>
 *   <tr><td>bce-logits</td><td>bcewithlogits</td><td>realLabel, fakeLabel, halve, minimax</td><td>{@link BinaryCrossEntropy#onLogits()}</td></tr>
 *   <tr><td>minimax</td><td></td><td>realLabel, fakeLabel, halve</td><td>BCE with G's saturating log(1 − D(G(z)))</td></tr>
 *   <tr><td>lsgan</td><td>least-squares</td><td>a, b, c</td><td>{@link LeastSquares}</td></tr>
 *   <tr><td>hinge</td><td></td><td></td><td>{@link Hinge}</td></tr>
 *   <tr><td>wasserstein</td><td>wgan</td><td></td><td>{@link Wasserstein}</td></tr>
 *   <tr><td>kl</td><td>kl-gan</td><td>saturating</td><td>{@link FGan} with {@link FDivergence#KL}</td></tr>
 *   <tr><td>reverse-kl</td><td>rkl</td><td>saturating</td><td>{@link FDivergence#REVERSE_KL}</td></tr>
 *   <tr><td>js</td><td>jensen-shannon</td><td>saturating</td><td>{@link FDivergence#JENSEN_SHANNON}</td></tr>
 *   <tr><td>pearson</td><td>pearson-chi2, chi2</td><td>saturating</td><td>{@link FDivergence#PEARSON}</td></tr>
 *   <tr><td>hellinger</td><td>squared-hellinger</td><td>saturating</td><td>{@link FDivergence#SQUARED_HELLINGER}</td></tr>
 *   <tr><td>kl-wgan</td><td>kl-wasserstein</td><td>hinge</td><td>{@link KlWasserstein}</td></tr>
 * </table>
 *
 * Names are matched ignoring case, with '_' and spaces read as '-'.
 */
public final class Losses {

    private static final List<String> NAMES = List.of("bce", "bce-logits", "minimax", "lsgan", "hinge", "wasserstein",
            "kl", "reverse-kl", "js", "pearson", "hellinger", "kl-wgan");

    private static final Map<String, String> ALIASES = new LinkedHashMap<>();
    private static final Map<String, List<String>> OPTIONS = new LinkedHashMap<>();

    static {
        alias("standard", "bce");
        alias("bcewithlogits", "bce-logits");
        alias("bce-with-logits", "bce-logits");
        alias("least-squares", "lsgan");
        alias("ls", "lsgan");
        alias("wgan", "wasserstein");
        alias("kl-gan", "kl");
        alias("kullback-leibler", "kl");
        alias("rkl", "reverse-kl");
        alias("jensen-shannon", "js");
        alias("pearson-chi2", "pearson");
        alias("chi2", "pearson");
        alias("squared-hellinger", "hellinger");
        alias("kl-wasserstein", "kl-wgan");
        List<String> bce = List.of("realLabel", "fakeLabel", "halve", "minimax");
        OPTIONS.put("bce", bce);
        OPTIONS.put("bce-logits", bce);
        OPTIONS.put("minimax", List.of("realLabel", "fakeLabel", "halve"));
        OPTIONS.put("lsgan", List.of("a", "b", "c"));
        for (FDivergence f : FDivergence.values()) {
            OPTIONS.put(f.lossName(), List.of("saturating"));
        }
        OPTIONS.put("kl-wgan", List.of("hinge"));
    }

    private Losses() {}

    private static void alias(String alias, String name) {
        ALIASES.put(alias, name);
    }

    /** The loss called {@code name} with its default settings. */
    public static AdversarialLoss named(String name) {
        return named(name, Map.of());
    }

    /**
     * The loss called {@code name} (or one of its other names), configured by {@code options}:
     * numbers for LSGAN's targets {@code a}, {@code b}, {@code c} and BCE's {@code realLabel} and
     * {@code fakeLabel}; true or false for {@code halve}, {@code minimax}, {@code saturating} and
     * {@code hinge}.
     *
     * @throws IllegalArgumentException for an unknown name, an option the loss does not take, or a
     *     value of the wrong kind
     */
    public static AdversarialLoss named(String name, Map<String, ?> options) {
        String canonical = canonicalName(name);
        if (canonical == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "': known losses are " + String.join(", ", NAMES));
        }
        Options o = new Options(canonical, options == null ? Map.of() : options);
        switch (canonical) {
            case "bce":
            case "bce-logits":
            case "minimax": {
                BinaryCrossEntropy bce = canonical.equals("bce-logits") ? BinaryCrossEntropy.onLogits() : BinaryCrossEntropy.onProbabilities();
                bce.minimax(canonical.equals("minimax") || o.flag("minimax", false));
                if (o.has("realLabel")) {
                    bce.realLabel(o.number("realLabel", 1));
                }
                if (o.has("fakeLabel")) {
                    bce.fakeLabel(o.number("fakeLabel", 0));
                }
                return bce.halveDiscriminator(o.flag("halve", false));
            }
            case "lsgan":
                return LeastSquares.targets(o.number("a", 0), o.number("b", 1), o.number("c", 1));
            case "hinge":
                return new Hinge();
            case "wasserstein":
                return new Wasserstein();
            case "kl-wgan":
                return new KlWasserstein().hinge(o.flag("hinge", false));
            default:
                for (FDivergence f : FDivergence.values()) {
                    if (f.lossName().equals(canonical)) {
                        return FGan.of(f).saturating(o.flag("saturating", false));
                    }
                }
                throw new IllegalStateException("no loss behind the name " + canonical);
        }
    }

    /** The losses' names, in the order help texts list them. */
    public static List<String> names() {
        return NAMES;
    }

    /** The name a loss is known by, for any of its names; null when no loss has that name. */
    public static String canonicalName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        if (NAMES.contains(n)) {
            return n;
        }
        return ALIASES.get(n);
    }

    /** The other names of a loss (empty when it has none). */
    public static List<String> aliases(String name) {
        String canonical = canonicalName(name);
        List<String> found = new ArrayList<>();
        ALIASES.forEach((alias, target) -> {
            if (target.equals(canonical)) {
                found.add(alias);
            }
        });
        return Collections.unmodifiableList(found);
    }

    /** Every name and other name, for "did you mean". */
    public static List<String> allNames() {
        List<String> all = new ArrayList<>(NAMES);
        all.addAll(ALIASES.keySet());
        return Collections.unmodifiableList(all);
    }

    /** The options a loss takes (empty for hinge and wasserstein). */
    public static List<String> options(String name) {
        String canonical = canonicalName(name);
        if (canonical == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "': known losses are " + String.join(", ", NAMES));
        }
        return OPTIONS.getOrDefault(canonical, List.of());
    }

    /** Reads a loss's options, refusing unknown keys and values of the wrong kind. */
    private static final class Options {
        private final String loss;
        private final Map<String, ?> values;

        Options(String loss, Map<String, ?> values) {
            this.loss = loss;
            this.values = values;
            List<String> allowed = OPTIONS.getOrDefault(loss, List.of());
            for (String key : values.keySet()) {
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException(allowed.isEmpty()
                            ? "loss '" + loss + "' takes no options, got " + String.join(", ", values.keySet())
                            : "loss '" + loss + "' does not take '" + key + "': it takes " + String.join(", ", allowed));
                }
            }
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        double number(String key, double fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Number) {
                return ((Number) v).doubleValue();
            }
            throw new IllegalArgumentException("loss '" + loss + "' " + key + ": must be a number, got " + show(v));
        }

        boolean flag(String key, boolean fallback) {
            Object v = values.get(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Boolean) {
                return (Boolean) v;
            }
            throw new IllegalArgumentException("loss '" + loss + "' " + key + ": must be true or false, got " + show(v));
        }

        private static String show(Object v) {
            return v instanceof CharSequence ? "'" + v + "'" : String.valueOf(v);
        }
    }
}
