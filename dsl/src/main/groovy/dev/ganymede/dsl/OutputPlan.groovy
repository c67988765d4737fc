package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** What to write and how often (from {@code every(...) { }}); sample grids every epoch by default. */
@CompileStatic
class OutputPlan {
    Interval every = new Interval(1, Interval.Unit.EPOCHS)
    int samples = 64
    boolean checkpoint
    boolean plots = true
}
