package dev.ganymede.engine.metrics;

/**
 * The Inception score's analogue with the feature network as classifier (Salimans et al. 2016):
 *
 * <pre>
 *   score = exp( E_x KL( p(y|x) || p(y) ) ),   p(y) = E_x p(y|x)
 * </pre>
 *
 * High when each sample is classified confidently (p(y|x) peaked) and the classes are used evenly
 * (p(y) flat): between 1 (every sample gets the same class distribution, e.g. a single class) and
 * the number of classes (perfectly confident predictions spread evenly over every class). It looks
 * at generated samples only, never at real ones, so it misses samples that are confident but
 * unlike the data. As torchmetrics, the samples are cut into {@code splits} equal parts (10 by
 * default; a remainder is left out), the score is computed on each, and the mean and the standard
 * deviation (Bessel-corrected) over the parts are reported.
 *
 * @param mean the average score over the splits
 * @param std its standard deviation over the splits (0 with one split)
 * @param splits the number of parts
 */
public record ClassifierScore(double mean, double std, int splits) {

    /** torchmetrics' and the Inception score's usual number of splits. */
    public static final int DEFAULT_SPLITS = 10;

    /** The score of the class probabilities of {@code features} over 10 splits. */
    public static ClassifierScore of(Features features) {
        return of(features, DEFAULT_SPLITS);
    }

    /** The score over {@code splits} consecutive parts of the samples. */
    public static ClassifierScore of(Features features, int splits) {
        if (!features.hasProbabilities()) {
            throw new IllegalArgumentException("the classifier score needs class probabilities");
        }
        int n = features.count();
        int classes = features.classes();
        if (splits < 1 || splits > n) {
            throw new IllegalArgumentException("splits must be between 1 and the number of samples (" + n
                    + "), got " + splits);
        }
        float[] p = features.probabilityArray();
        int part = n / splits;
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int from = s * part;
            double[] marginal = new double[classes];
            for (int i = from; i < from + part; i++) {
                for (int c = 0; c < classes; c++) {
                    marginal[c] += p[i * classes + c];
                }
            }
            for (int c = 0; c < classes; c++) {
                marginal[c] /= part;
            }
            double kl = 0;
            for (int i = from; i < from + part; i++) {
                for (int c = 0; c < classes; c++) {
                    double pc = p[i * classes + c];
                    if (pc > 0) {
                        kl += pc * (Math.log(pc) - Math.log(marginal[c]));
                    }
                }
            }
            scores[s] = Math.exp(kl / part);
        }
        double mean = 0;
        for (double v : scores) {
            mean += v;
        }
        mean /= splits;
        double var = 0;
        for (double v : scores) {
            var += (v - mean) * (v - mean);
        }
        return new ClassifierScore(mean, splits > 1 ? Math.sqrt(var / (splits - 1)) : 0, splits);
    }
}
