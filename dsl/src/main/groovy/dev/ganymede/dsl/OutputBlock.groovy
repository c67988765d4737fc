package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** The words inside {@code every(1.epoch) { }}: what to write while training. */
@CompileStatic
class OutputBlock {

    static final List<String> WORDS = ['samples', 'checkpoint', 'plots'].asImmutable()

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
}
