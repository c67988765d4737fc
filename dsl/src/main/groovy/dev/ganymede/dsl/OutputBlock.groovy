package dev.ganymede.dsl

import dev.ganymede.engine.metrics.Evaluator
import groovy.transform.CompileStatic

/** The words inside {@code every(1.epoch) { }}: what to write while training. */
@CompileStatic
class OutputBlock {

    static final List<String> WORDS = ['samples', 'checkpoint', 'plots', 'metrics'].asImmutable()

    final OutputPlan plan

    OutputBlock(OutputPlan plan) {
        this.plan = plan
    }

    /** A grid of {@code n} samples from the fixed latent batch. */
    void samples(int n = 64) {
        if (n <= 0 || n > 1024) throw new IllegalArgumentException("samples takes 1 to 1024 images, got ${n}".toString())
        plan.samples = n
    }
    def getSamples() { samples(64); null }

    /** Saves both networks. */
    void checkpoint() { plan.checkpoint = true }
    def getCheckpoint() { checkpoint(); null }

    /** Redraws the loss and D-output plots. */
    void plots() { plan.plots = true }
    def getPlots() { plots(); null }

    /**
     * Measures the generator at each interval (and before the first step): FD of {@code fd:}
     * samples in the feature space of a classifier trained on the data, with the classifier score
     * and the class histogram's KL to uniform; {@code kid: true} adds KID, {@code prdc: true}
     * precision, recall, density and coverage; {@code keepBest: true} saves generator-best.params
     * whenever FD improves. On toy data {@code modes:} (2-D mixtures: modes captured, high-quality
     * fraction, reverse KL) or {@code w1:} (1-D Gaussian: mean, std, W1) gives the sample count
     * instead. The numbers go to evaluation.csv.
     */
    void metrics(Map args) {
        NamedArgs a = new NamedArgs('metrics', args, ['fd', 'modes', 'w1', 'kid', 'prdc', 'keepBest'])
        OutputPlan.MetricsPlan m = new OutputPlan.MetricsPlan()
        List<String> counts = ['fd', 'modes', 'w1'].findAll { a.has(it) }
        if (counts.size() > 1) {
            throw new IllegalArgumentException("metrics takes one of fd:, modes: and w1:, got ${counts.collect { it + ':' }.join(' and ')}".toString())
        }
        m.measure = counts ? counts[0] : null
        boolean toy = m.measure in ['modes', 'w1']
        m.samples = a.integer(m.measure ?: 'fd', toy ? 2500 : 5000)
        if (!Evaluator.acceptsSampleCount(m.samples)) {
            String usual = toy ? '2,500 is the PacGAN protocol' : '5,000 or 10,000 are usual'
            throw new IllegalArgumentException(String.format(Locale.ROOT, 'metrics %s: takes %,d to %,d samples (%s), got %d',
                    m.measure ?: 'fd', Evaluator.FEWEST_SAMPLES, Evaluator.MOST_SAMPLES, usual, m.samples))
        }
        m.kid = a.bool('kid', false)
        m.prdc = a.bool('prdc', false)
        m.keepBest = a.bool('keepBest', false)
        plan.metrics = m
    }
    def getMetrics() { metrics([:]); null }
}
