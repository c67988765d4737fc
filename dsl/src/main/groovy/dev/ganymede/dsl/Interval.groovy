package dev.ganymede.dsl

import groovy.transform.CompileStatic
import groovy.transform.EqualsAndHashCode

/** A training duration or frequency as scripts write it: {@code 20.epochs}, {@code 500.steps}, {@code 1.epoch}. */
@CompileStatic
@EqualsAndHashCode
final class Interval {
    enum Unit { EPOCHS, STEPS }

    final long count
    final Unit unit

    Interval(long count, Unit unit) {
        if (count <= 0) {
            throw new IllegalArgumentException("a duration must be positive, got ${count} ${unit.name().toLowerCase()}")
        }
        this.count = count
        this.unit = unit
    }

    boolean isEpochs() { unit == Unit.EPOCHS }

    @Override
    String toString() {
        "${count} ${unit == Unit.EPOCHS ? (count == 1 ? 'epoch' : 'epochs') : (count == 1 ? 'step' : 'steps')}"
    }
}
