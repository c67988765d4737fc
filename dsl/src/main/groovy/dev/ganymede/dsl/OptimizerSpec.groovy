package dev.ganymede.dsl

import dev.ganymede.engine.optim.Adam
import dev.ganymede.engine.optim.Optimizer
import dev.ganymede.engine.optim.RmsProp
import dev.ganymede.engine.optim.Sgd
import groovy.transform.CompileStatic

/** An optimiser as a script declares it, e.g. adam(lr: 2e-4, betas: [0.5, 0.999]); made fresh for each run. */
@CompileStatic
final class OptimizerSpec {
    final String kind
    final Map<String, Object> args

    OptimizerSpec(String kind, Map args) {
        this.kind = kind
        this.args = new LinkedHashMap<String, Object>((Map<String, Object>) (args ?: [:]))
        create() // validate now, at the script line that wrote it
    }

    OptimizerSpec withLearningRate(double lr) {
        Map<String, Object> copy = new LinkedHashMap<>(args)
        copy.put('lr', lr)
        new OptimizerSpec(kind, copy)
    }

    Optimizer create() {
        switch (kind) {
            case 'adam':
                def a = new NamedArgs('adam', args, ['lr', 'betas', 'eps', 'weightDecay'])
                List<Number> betas = a.numbers('betas', [0.9d, 0.999d] as List<Number>, 2)
                return Adam.of(a.number('lr', 1e-3)).betas(betas[0].doubleValue(), betas[1].doubleValue())
                        .eps(a.number('eps', 1e-8)).weightDecay(a.number('weightDecay', 0))
            case 'sgd':
                def a = new NamedArgs('sgd', args, ['lr', 'momentum', 'weightDecay'])
                if (!a.has('lr')) throw new IllegalArgumentException('sgd needs a learning rate, e.g. sgd(lr: 0.01)')
                return Sgd.of(a.number('lr', 0)).momentum(a.number('momentum', 0)).weightDecay(a.number('weightDecay', 0))
            case 'rmsprop':
                def a = new NamedArgs('rmsprop', args, ['lr', 'alpha', 'eps', 'momentum'])
                return RmsProp.of(a.number('lr', 1e-2)).alpha(a.number('alpha', 0.99)).eps(a.number('eps', 1e-8))
                        .momentum(a.number('momentum', 0))
            default:
                throw new IllegalArgumentException("unknown optimiser '${kind}': use adam, sgd or rmsprop".toString())
        }
    }

    @Override
    String toString() { create().describe() }
}
