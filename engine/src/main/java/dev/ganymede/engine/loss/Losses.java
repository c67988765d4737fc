package dev.ganymede.engine.loss;

/** Looks adversarial losses up by the names scripts and the command line use. */
public final class Losses {

    private Losses() {}

    public static AdversarialLoss named(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "bce":
            case "standard":
                return BinaryCrossEntropy.onProbabilities();
            case "bce-logits":
            case "bcewithlogits":
                return BinaryCrossEntropy.onLogits();
            case "minimax":
                return BinaryCrossEntropy.onProbabilities().minimax(true);
            default:
                throw new IllegalArgumentException("unknown loss '" + name + "': known losses are " + String.join(", ", names()));
        }
    }

    public static java.util.List<String> names() {
        return java.util.List.of("bce", "bce-logits", "minimax");
    }
}
