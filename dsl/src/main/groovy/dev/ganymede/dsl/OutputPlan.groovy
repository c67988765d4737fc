package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** What to write and how often (from {@code every(...) { }}); sample grids every epoch by default. */
@CompileStatic
class OutputPlan {
    Interval every = new Interval(1, Interval.Unit.EPOCHS)
    int samples = 64
    boolean checkpoint
    boolean plots = true
    /** The metrics to track ({@code metrics fd: 5000}), or null when none were asked for. */
    MetricsPlan metrics
    /** The line of the {@code every} word, 0 when the plan is the default. */
    int line

    /** This plan with another sample count (--set samples=N): a new plan, as every { } makes one. */
    OutputPlan withSamples(int count) {
        new OutputPlan(every: every, samples: count, checkpoint: checkpoint, plots: plots, metrics: metrics, line: line)
    }

    /** What {@code metrics fd: 5000, kid: true, prdc: true, keepBest: true} asks for. */
    @CompileStatic
    static class MetricsPlan {
        /** The word that gave the sample count: 'fd', 'modes' or 'w1'; null for a bare {@code metrics}. */
        String measure
        int samples = 5000
        boolean kid
        boolean prdc
        boolean keepBest
    }
}
