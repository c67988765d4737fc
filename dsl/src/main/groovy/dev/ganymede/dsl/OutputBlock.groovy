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
     * whenever FD improves. The numbers go to evaluation.csv.
     */
    void metrics(Map args) {
        NamedArgs a = new NamedArgs('metrics', args, ['fd', 'kid', 'prdc', 'keepBest'])
        OutputPlan.MetricsPlan m = new OutputPlan.MetricsPlan()
        m.samples = a.integer('fd', 5000)
        if (!Evaluator.acceptsSampleCount(m.samples)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, 'metrics fd: takes %,d to %,d samples (5,000 or 10,000 are usual), got %d',
                    Evaluator.FEWEST_SAMPLES, Evaluator.MOST_SAMPLES, m.samples))
        }
        m.kid = a.bool('kid', false)
        m.prdc = a.bool('prdc', false)
        m.keepBest = a.bool('keepBest', false)
        plan.metrics = m
    }
    def getMetrics() { metrics([:]); null }
}
