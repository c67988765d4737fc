package dev.ganymede.dsl

import groovy.transform.CompileStatic

/** Lets scripts write 20.epochs, 1.epoch, 500.steps (a Groovy extension module, no meta-class tricks). */
@CompileStatic
class IntervalExtension {
    static Interval getEpochs(Number self) { new Interval(self.longValue(), Interval.Unit.EPOCHS) }
    static Interval getEpoch(Number self) { new Interval(self.longValue(), Interval.Unit.EPOCHS) }
    static Interval getSteps(Number self) { new Interval(self.longValue(), Interval.Unit.STEPS) }
    static Interval getStep(Number self) { new Interval(self.longValue(), Interval.Unit.STEPS) }
}
