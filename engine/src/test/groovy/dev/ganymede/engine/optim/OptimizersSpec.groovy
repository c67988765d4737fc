package dev.ganymede.engine.optim

import ai.djl.Device
import ai.djl.ndarray.NDManager
import dev.ganymede.engine.Backend
import dev.ganymede.engine.nn.Autograd
import dev.ganymede.engine.nn.ForwardContext
import dev.ganymede.engine.nn.Network
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Optimisers follow PyTorch's update rules exactly")
@Narrative("""
Each optimiser is checked over five steps on a single weight w with loss w·g for a known gradient
g, against the update rule of PyTorch's documentation computed here in doubles: Adam (with bias
correction and ε outside the square root of the corrected second moment), SGD with momentum
(buffer = gradient on the first step), and RMSprop, which DJL's PyTorch engine does not offer.
Every 50 updates, state values below 1e-30 are set to 0: they move no weight, and left alone the
moments of a weight whose gradient stays 0 would sink into float32's subnormal range, where a CPU
computes many times slower.
""")
class OptimizersSpec extends Specification {

    /** Runs five steps of an optimiser on Linear(1 -> 1, no bias) with gradient g: returns the weights. */
    static List<Double> trajectory(Optimizer optimizer, List<Double> gradients) {
        def net = Network.builder('w').input(1).add(new dev.ganymede.engine.nn.Linear(1).bias(false)).build(Device.cpu())
        def w = net.namedParameters()['0.weight']
        w.value().set([1f] as float[])
        def out = []
        NDManager root = Backend.engine().newBaseManager()
        gradients.each { g ->
            def scope = root.newSubManager()
            try (def rec = Autograd.record()) {
                // d(w·x)/dw = x, so feeding x = g gives the gradient g
                def y = net.forward(scope.create([[g as float]] as float[][]), new ForwardContext(scope, true))
                net.zeroGradients()
                Autograd.backward(y.sum())
            }
            optimizer.step(net, scope)
            scope.close()
            out << (double) w.value().getFloat(0, 0)
        }
        optimizer.close()
        net.close()
        root.close()
        out
    }

    static final List<Double> GRADS = [0.5d, -1.0d, 2.0d, 0.1d, -0.3d]

    static List<Double> adamReference(double lr, double b1, double b2, double eps) {
        double w = 1, m = 0, v = 0
        def out = []
        GRADS.eachWithIndex { double g, int i ->
            int t = i + 1
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            double mHat = m / (1 - Math.pow(b1, t))
            double vHat = v / (1 - Math.pow(b2, t))
            w -= lr * mHat / (Math.sqrt(vHat) + eps)
            out << w
        }
        out
    }

    static List<Double> sgdReference(double lr, double mu) {
        double w = 1, buf = 0
        def out = []
        GRADS.eachWithIndex { double g, int i ->
            buf = i == 0 ? g : mu * buf + g
            w -= lr * (mu == 0 ? g : buf)
            out << w
        }
        out
    }

    static List<Double> rmspropReference(double lr, double alpha, double eps) {
        double w = 1, v = 0
        def out = []
        GRADS.each { double g ->
            v = alpha * v + (1 - alpha) * g * g
            w -= lr * g / (Math.sqrt(v) + eps)
            out << w
        }
        out
    }

    def "#name matches PyTorch's rule over five steps"() {
        when:
        def actual = trajectory(optimizer, GRADS)

        then:
        [actual, expected].transpose().every { a, e -> Math.abs(a - e) < 1e-5 }

        where:
        name                                    | optimizer                                     || expected
        'Adam(lr 2e-4, betas 0.5/0.999)'        | Adam.of(2e-4).betas(0.5, 0.999)               || adamReference(2e-4, 0.5, 0.999, 1e-8)
        'Adam(lr 0.1, default betas)'           | Adam.of(0.1)                                  || adamReference(0.1, 0.9, 0.999, 1e-8)
        'SGD(lr 0.1)'                           | Sgd.of(0.1)                                   || sgdReference(0.1, 0)
        'SGD(lr 0.1, momentum 0.9)'             | Sgd.of(0.1).momentum(0.9)                     || sgdReference(0.1, 0.9)
        'RMSprop(lr 5e-5), the WGAN optimiser'  | RmsProp.of(5e-5)                              || rmspropReference(5e-5, 0.99, 1e-8)
        'RMSprop(lr 0.01, alpha 0.9)'           | RmsProp.of(0.01).alpha(0.9)                   || rmspropReference(0.01, 0.9, 1e-8)
    }

    def "state too small to move a weight is set to 0 every 50 updates, so a moment never sinks into float32's slow subnormals"() {
        given: "Adam(β1 0.8) on two weights whose moments start at 1e-20 and 1e-31, as a checkpoint would load them"
        def net = Network.builder('w').input(1).add(new dev.ganymede.engine.nn.Linear(2).bias(false)).build(Device.cpu())
        def w = net.namedParameters()['0.weight']
        def adam = Adam.of(1e-4).betas(0.8, 0.999)
        NDManager root = Backend.engine().newBaseManager()
        def start = root.create([1e-20f, 1e-31f] as float[]).reshape(2, 1)
        adam.load([(w): [start, start.duplicate()] as ai.djl.ndarray.NDArray[]], 0, 1e-4)
        def zeroGradientUpdates = { int n ->
            n.times {
                def scope = root.newSubManager()
                try (def rec = Autograd.record()) {
                    // an input of 0 gives both weights a gradient of 0, as an unused maxout piece gets
                    def y = net.forward(scope.create([[0f]] as float[][]), new ForwardContext(scope, true))
                    net.zeroGradients()
                    Autograd.backward(y.sum())
                }
                adam.step(net, scope)
                scope.close()
            }
            adam.state()[w].collect { it.toFloatArray() as List<Float> }
        }

        when: "49 updates with gradient 0"
        def after49 = zeroGradientUpdates(49)

        then: "the second weight's first moment has shrunk 0.8^49 times to 1.8e-36, still above the subnormals (1.2e-38)"
        Math.abs(after49[0][1] / 1.8e-36 - 1) < 0.05

        when: "the 50th update"
        def after50 = zeroGradientUpdates(1)

        then: "values below 1e-30 are 0; the first weight's moments (1.4e-25 and 9.5e-21) are kept"
        after50[0][1] == 0f
        after50[1][1] == 0f
        Math.abs(after50[0][0] / (1e-20 * Math.pow(0.8, 50)) - 1) < 1e-3
        Math.abs(after50[1][0] / (1e-20 * Math.pow(0.999, 50)) - 1) < 1e-3

        cleanup:
        adam?.close()
        net?.close()
        root?.close()
    }

    def "#bad is refused with a message naming the value"() {
        when:
        create()

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        bad                | create                                  || message
        'a negative rate'  | { Adam.of(-1) }                         || 'Adam needs a positive learning rate, got -1.0'
        'beta1 of 1'       | { Adam.of(1e-3).betas(1.0, 0.999) }     || 'Adam betas must be in [0, 1), got (1.0, 0.999)'
        'momentum of 1'    | { Sgd.of(0.1).momentum(1.0) }           || 'SGD momentum must be in [0, 1), got 1.0'
    }
}
