package dev.ganymede.engine.loss

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.Backend
import dev.ganymede.engine.nn.Autograd
import spock.lang.Narrative
import spock.lang.See
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Title

@Title("The loss catalogue: least squares, hinge, Wasserstein, the f-GAN divergences and KL-WGAN")
@Narrative("""
Every adversarial loss is a pair of quantities to minimise, one for each player, computed from the
discriminator's raw outputs on a real batch, D(x), and on a generated batch, D(G(z)). None of these
losses wants a sigmoid at the end of D: they read its raw score.

Each loss below is checked against its formula evaluated independently in Groovy doubles, the
formula written in the feature's name. The f-GANs are checked with the output activation g and
conjugate f* exactly as Nowozin et al.'s table 2 prints them, although the engine computes
f*(g(v)) in a simplified form that cannot overflow on the way. Then: the gradients point the way
the game says (D raises its score of real samples and lowers that of fakes, G raises the score of
its fakes); nothing becomes NaN at scores of ±100; and for two small discrete distributions each
f-GAN's bound, at the critic that is optimal in theory, is the divergence it is named after.

Seed mistakes fixed on the way: seed 001 prints the Wasserstein critic's loss with the sign of the
quantity it maximises; seed 003 writes G(z) where D(G(z)) is meant in the KL-GAN and WGAN generator
losses, and prints a garbled KL-WGAN (exponentials of r·D, an undefined r, G minimising its own
score). The catalogue implements what the papers define.
""")
@See(["https://arxiv.org/abs/1606.00709", "https://arxiv.org/abs/1910.09779", "https://arxiv.org/abs/1611.04076"])
class LossCatalogueSpec extends Specification {

    @Shared NDManager m = Backend.engine().newBaseManager()

    def cleanupSpec() { m.close() }

    static final List<Double> REAL = [0.3d, -1.2d, 2.0d, 0.7d]
    static final List<Double> FAKE = [-0.5d, 0.8d, -2.5d, 0.1d]
    static final double LOG2 = Math.log(2)

    static double mean(List<Double> xs) { (xs.sum() as double) / xs.size() }

    static double softplus(double x) { x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)) }

    /** Output activations g and conjugates f* exactly as table 2 of Nowozin et al. prints them. */
    static final Map<String, Closure<Double>> G = [
            kl          : { double v -> v },
            'reverse-kl': { double v -> -Math.exp(-v) },
            js          : { double v -> LOG2 - Math.log(1 + Math.exp(-v)) },
            pearson     : { double v -> v },
            hellinger   : { double v -> 1 - Math.exp(-v) },
    ]
    static final Map<String, Closure<Double>> F_STAR = [
            kl          : { double t -> Math.exp(t - 1) },
            'reverse-kl': { double t -> -1 - Math.log(-t) },
            js          : { double t -> -Math.log(2 - Math.exp(t)) },
            pearson     : { double t -> t * t / 4 + t },
            hellinger   : { double t -> t / (1 - t) },
    ]

    static Closure<Double> fganD(String f) {
        return { List<Double> r, List<Double> q -> -(mean(r.collect { G[f](it) }) - mean(q.collect { F_STAR[f](G[f](it)) })) }
    }

    static Closure<Double> fganG(String f) {
        return { List<Double> q -> -mean(q.collect { G[f](it) }) }
    }

    static Closure<Double> fganSaturatingG(String f) {
        return { List<Double> q -> -mean(q.collect { F_STAR[f](G[f](it)) }) }
    }

    /** KL-WGAN's weights r_i = exp(D(G(z_i))) / mean_j exp(D(G(z_j))), straight from the definition. */
    static List<Double> klRatios(List<Double> q) {
        def e = q.collect { Math.exp(it) }
        double norm = mean(e)
        e.collect { it / norm }
    }

    static double klWeightedMean(List<Double> q) {
        mean([klRatios(q), q].transpose().collect { List<Double> p -> return p[0] * p[1] })
    }

    /** An array's values, with −0 read as 0. */
    static List<Float> values(NDArray a) { a.toFloatArray().collect { float x -> x + 0f } }

    NDArray scores(NDManager scope, List<Double> values) {
        scope.create(values.collect { it as float } as float[], new Shape(values.size(), 1))
    }

    def "#name: D minimises #dFormula, G minimises #gFormula"() {
        given: "D's raw scores on a real and a generated batch of four"
        def scope = m.newSubManager()
        def real = scores(scope, REAL)
        def fake = scores(scope, FAKE)

        expect: "both losses equal the formula evaluated in doubles"
        Math.abs(loss.discriminatorLoss(real, fake).getFloat() - refD(REAL, FAKE)) < 1e-5 * Math.max(1d, Math.abs(refD(REAL, FAKE)))
        Math.abs(loss.generatorLoss(fake).getFloat() - refG(FAKE)) < 1e-5 * Math.max(1d, Math.abs(refG(FAKE)))

        cleanup:
        scope.close()

        where:
        name                        | loss                                    | dFormula                                                   | gFormula                 || refD                                                                                                          | refG
        'lsgan (seed 001)'          | LeastSquares.standard()                 | '½E[(D(x) − 1)²] + ½E[D(G(z))²]'                           | '½E[(D(G(z)) − 1)²]'     || { r, q -> return 0.5 * mean(r.collect { (it - 1) * (it - 1) }) + 0.5 * mean(q.collect { it * it }) }                 | { q -> return 0.5 * mean(q.collect { (it - 1) * (it - 1) }) }
        'lsgan a: -1, b: 1, c: 0'   | LeastSquares.targets(-1, 1, 0)          | '½E[(D(x) − 1)²] + ½E[(D(G(z)) + 1)²]'                     | '½E[D(G(z))²]'           || { r, q -> return 0.5 * mean(r.collect { (it - 1) * (it - 1) }) + 0.5 * mean(q.collect { (it + 1) * (it + 1) }) }     | { q -> return 0.5 * mean(q.collect { it * it }) }
        'hinge'                     | new Hinge()                             | 'E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]'             | '−E[D(G(z))]'            || { r, q -> mean(r.collect { Math.max(0, 1 - it) }) + mean(q.collect { Math.max(0, 1 + it) }) }               | { q -> -mean(q) }
        'wasserstein'               | new Wasserstein()                       | 'E[D(G(z))] − E[D(x)]'                                     | '−E[D(G(z))]'            || { r, q -> mean(q) - mean(r) }                                                                                 | { q -> -mean(q) }
        'kl (seed 003 KL-GAN)'      | FGan.of(FDivergence.KL)                 | '−(E[D(x)] − E[exp(D(G(z)) − 1)])'                         | '−E[D(G(z))]'            || fganD('kl')                                                                                                   | fganG('kl')
        'kl, saturating'            | FGan.of(FDivergence.KL).saturating(true) | '−(E[D(x)] − E[exp(D(G(z)) − 1)])'                        | '−E[exp(D(G(z)) − 1)]'   || fganD('kl')                                                                                                   | fganSaturatingG('kl')
        'reverse-kl'                | FGan.of(FDivergence.REVERSE_KL)         | '−(E[g(V(x))] − E[f*(g(V(G(z))))]), g(v) = −exp(−v), f*(t) = −1 − log(−t)' | '−E[g(V(G(z)))]' || fganD('reverse-kl')                                                                              | fganG('reverse-kl')
        'reverse-kl, saturating'    | FGan.of(FDivergence.REVERSE_KL).saturating(true) | 'the same'                                        | '−E[f*(g(V(G(z))))]'     || fganD('reverse-kl')                                                                                           | fganSaturatingG('reverse-kl')
        'js'                        | FGan.of(FDivergence.JENSEN_SHANNON)     | '−(E[g(V(x))] − E[f*(g(V(G(z))))]), g(v) = log 2 − log(1 + exp(−v)), f*(t) = −log(2 − exp(t))' | '−E[g(V(G(z)))]' || fganD('js')                                                                    | fganG('js')
        'js, saturating'            | FGan.of(FDivergence.JENSEN_SHANNON).saturating(true) | 'the same'                                    | '−E[f*(g(V(G(z))))]'     || fganD('js')                                                                                                   | fganSaturatingG('js')
        'pearson'                   | FGan.of(FDivergence.PEARSON)            | '−(E[V(x)] − E[V(G(z))²/4 + V(G(z))])'                     | '−E[V(G(z))]'            || fganD('pearson')                                                                                              | fganG('pearson')
        'hellinger'                 | FGan.of(FDivergence.SQUARED_HELLINGER)  | '−(E[g(V(x))] − E[f*(g(V(G(z))))]), g(v) = 1 − exp(−v), f*(t) = t/(1 − t)' | '−E[g(V(G(z)))]' || fganD('hellinger')                                                                              | fganG('hellinger')
        'hellinger, saturating'     | FGan.of(FDivergence.SQUARED_HELLINGER).saturating(true) | 'the same'                                 | '−E[f*(g(V(G(z))))]'     || fganD('hellinger')                                                                                            | fganSaturatingG('hellinger')
        'kl-wgan'                   | new KlWasserstein()                     | 'E[r·D(G(z))] − E[D(x)], r = exp(D(G(z)))/mean exp(D(G(z)))' | '−E[r·D(G(z))]'        || { r, q -> klWeightedMean(q) - mean(r) }                                                                      | { q -> -klWeightedMean(q) }
        'kl-wgan, hinge'            | new KlWasserstein().hinge(true)         | 'E[max(0, 1 − D(x))] + E[max(0, 1 + r·D(G(z)))]'            | '−E[r·D(G(z))]'          || { r, q -> mean(r.collect { Math.max(0, 1 - it) }) + mean([klRatios(q), q].transpose().collect { List<Double> p -> Math.max(0, 1 + p[0] * p[1]) }) } | { q -> -klWeightedMean(q) }
    }

    def "#name: minimising D's loss raises D(x) and lowers D(G(z)); minimising G's raises D(G(z))"() {
        given: "scores where the statement holds: between LSGAN's targets, inside the hinge's margins"
        def scope = m.newSubManager()
        def real = scores(scope, realScores)
        def fake = scores(scope, fakeScores)
        real.setRequiresGradient(true)
        fake.setRequiresGradient(true)

        when: "D's loss is back-propagated to the scores"
        try (def rec = Autograd.record()) {
            Autograd.backward(loss.discriminatorLoss(real, fake))
        }
        def dReal = Autograd.gradient(real, scope).toFloatArray() as List<Float>
        def dFake = Autograd.gradient(fake, scope).toFloatArray() as List<Float>

        and: "then G's loss, after the gradients are cleared"
        def fakeForG = scores(scope, fakeScores)
        fakeForG.setRequiresGradient(true)
        try (def rec = Autograd.record()) {
            Autograd.backward(loss.generatorLoss(fakeForG))
        }
        def gFake = Autograd.gradient(fakeForG, scope).toFloatArray() as List<Float>

        then: "a descent step raises every real score and lowers every fake score"
        dReal.every { it < 0 }
        dFake.every { it > 0 }

        and: "G's descent step raises every fake score"
        gFake.every { it < 0 }

        cleanup:
        scope.close()

        where:
        name                      | loss                                    | realScores        | fakeScores
        'lsgan'                   | LeastSquares.standard()                 | [0.2d, 0.5d, 0.8d] | [0.1d, 0.4d, 0.7d]
        'lsgan a: -1, b: 1, c: 0' | LeastSquares.targets(-1, 1, 0)          | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'hinge'                   | new Hinge()                             | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'wasserstein'             | new Wasserstein()                       | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'kl'                      | FGan.of(FDivergence.KL)                 | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'kl, saturating'          | FGan.of(FDivergence.KL).saturating(true) | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'reverse-kl'              | FGan.of(FDivergence.REVERSE_KL)         | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'js'                      | FGan.of(FDivergence.JENSEN_SHANNON)     | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'pearson'                 | FGan.of(FDivergence.PEARSON)            | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'hellinger'               | FGan.of(FDivergence.SQUARED_HELLINGER)  | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'hellinger, saturating'   | FGan.of(FDivergence.SQUARED_HELLINGER).saturating(true) | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'kl-wgan'                 | new KlWasserstein()                     | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
        'kl-wgan, hinge'          | new KlWasserstein().hinge(true)         | [0.2d, 0.5d, 0.8d] | [-0.7d, -0.4d, -0.1d]
    }

    def "the hinge stops pushing beyond its margins: D(x) = 1.5 and D(G(z)) = -1.5 get no gradient"() {
        given:
        def scope = m.newSubManager()
        def real = scores(scope, [1.5d, 0.5d])
        def fake = scores(scope, [-1.5d, -0.5d])
        real.setRequiresGradient(true)
        fake.setRequiresGradient(true)

        when:
        try (def rec = Autograd.record()) {
            Autograd.backward(new Hinge().discriminatorLoss(real, fake))
        }

        then: "only the scores inside the margins move, each with gradient ∓1/N"
        values(Autograd.gradient(real, scope)) == [0f, -0.5f]
        values(Autograd.gradient(fake, scope)) == [0f, 0.5f]

        cleanup:
        scope.close()
    }

    /** Stable double references for scores of ±100, each written from the formula simplified by hand. */
    static final Map<String, List<Closure<Double>>> STABLE = [
            lsgan      : [{ r, q -> return 0.5 * mean(r.collect { (it - 1) * (it - 1) }) + 0.5 * mean(q.collect { it * it }) }, { q -> return 0.5 * mean(q.collect { (it - 1) * (it - 1) }) }],
            hinge      : [{ r, q -> mean(r.collect { Math.max(0, 1 - it) }) + mean(q.collect { Math.max(0, 1 + it) }) }, { q -> -mean(q) }],
            wasserstein: [{ r, q -> mean(q) - mean(r) }, { q -> -mean(q) }],
            kl         : [{ r, q -> -mean(r) + mean(q.collect { Math.exp(it - 1) }) }, { q -> -mean(q) }],
            'reverse-kl': [{ r, q -> mean(r.collect { Math.exp(-it) }) + mean(q.collect { it - 1 }) }, { q -> mean(q.collect { Math.exp(-it) }) }],
            js         : [{ r, q -> -mean(r.collect { LOG2 - softplus(-it) }) + mean(q.collect { softplus(it) - LOG2 }) }, { q -> -mean(q.collect { LOG2 - softplus(-it) }) }],
            pearson    : [{ r, q -> -mean(r) + mean(q.collect { it * it / 4 + it }) }, { q -> -mean(q) }],
            hellinger  : [{ r, q -> -mean(r.collect { 1 - Math.exp(-it) }) + mean(q.collect { Math.exp(it) - 1 }) }, { q -> -mean(q.collect { 1 - Math.exp(-it) }) }],
            'kl-wgan'  : [{ r, q -> klWeightedMean(q) - mean(r) }, { q -> -klWeightedMean(q) }],
    ]

    /** Compares a float result with a double reference: close when it fits in a float, ±∞ (never NaN) when not. */
    static String mismatch(String what, float actual, double expected) {
        if (Math.abs(expected) < Float.MAX_VALUE) {
            return Float.isFinite(actual) && Math.abs(actual - expected) <= 1e-5 * Math.max(1d, Math.abs(expected)) ? null
                    : "${what} = ${actual}, expected ${expected}".toString()
        }
        actual == (expected > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY) ? null
                : "${what} = ${actual}, expected ${expected > 0 ? '+' : '-'}∞ (${expected} is beyond float range)".toString()
    }

    def "#name stays exact at scores of ±100, and is ±∞ (never NaN) only where its true value exceeds float range"() {
        given: "real and fake batches of +100, -100 and one of each, in all nine pairings"
        def batches = [[100d, 100d], [-100d, -100d], [100d, -100d]]
        def (refD, refG) = STABLE[name]
        def loss = Losses.named(name)
        def problems = []

        when: "both losses are evaluated and back-propagated for every pairing"
        for (List<Double> r : batches) {
            for (List<Double> q : batches) {
                def scope = m.newSubManager()
                def real = scores(scope, r)
                def fake = scores(scope, q)
                real.setRequiresGradient(true)
                fake.setRequiresGradient(true)
                float d
                float g
                try (def rec = Autograd.record()) {
                    def dLoss = loss.discriminatorLoss(real, fake)
                    d = dLoss.getFloat()
                    Autograd.backward(dLoss.add(loss.generatorLoss(fake)))
                    g = loss.generatorLoss(fake.stopGradient()).getFloat()
                }
                problems << mismatch("D loss at D(x) = ${r}, D(G(z)) = ${q}", d, refD(r, q))
                problems << mismatch("G loss at D(G(z)) = ${q}", g, refG(q))
                def grads = (Autograd.gradient(real, scope).toFloatArray() as List<Float>) + (Autograd.gradient(fake, scope).toFloatArray() as List<Float>)
                if (grads.any { Float.isNaN(it) }) problems << "a NaN gradient at D(x) = ${r}, D(G(z)) = ${q}".toString()
                scope.close()
            }
        }

        then: "no value differs from the reference and no gradient is NaN"
        problems.findAll() == []

        where: "exp(v) exceeds float range above v = 88.7: KL's f* at +100, reverse KL's and Hellinger's g at -100, Hellinger's f* at +100"
        name << ['lsgan', 'hinge', 'wasserstein', 'kl', 'reverse-kl', 'js', 'pearson', 'hellinger', 'kl-wgan']
    }

    // ------------------------------------------------------------------ the variational bound

    static final List<Double> P = [0.5d, 0.3d, 0.2d]
    static final List<Double> Q = [0.2d, 0.3d, 0.5d]

    static double kl(List<Double> a, List<Double> b) { [a, b].transpose().sum { List<Double> x -> return x[0] * Math.log(x[0] / x[1]) } as double }

    static List<Double> mixture() { [P, Q].transpose().collect { List<Double> x -> (x[0] + x[1]) / 2 } }

    /** Repeats each point's critic value by its probability × 10: the batch mean is then the expectation. */
    static List<Double> batchOf(List<Double> probabilities, List<Double> perPoint) {
        List<Double> batch = []
        probabilities.eachWithIndex { double p, int i -> (Math.round(p * 10) as int).times { batch << perPoint[i] } }
        batch
    }

    def "#name: at the optimal critic, g(V*) = f'(p/q), the bound E_P[g(V)] − E_Q[f*(g(V))] is #closedForm = #expected"() {
        given: "P = (0.5, 0.3, 0.2) and Q = (0.2, 0.3, 0.5) on three points, as batches of ten whose means are expectations"
        def loss = FGan.of(divergence)
        def ratios = [P, Q].transpose().collect { List<Double> x -> x[0] / x[1] }

        and: "D's raw output V* at each point: g(V*) = f'(p/q), f' and the inverse of g written out by hand"
        def optimal = ratios.collect { vOf(fPrime(it)) }

        when: "the engine evaluates the bound at V* and at critics moved away from it"
        def scope = m.newSubManager()
        def bound = { List<Double> v -> loss.bound(scores(scope, batchOf(P, v)), scores(scope, batchOf(Q, v))).getFloat() as double }
        def atOptimum = bound(optimal)
        def elsewhere = [[0.3d, -0.2d, 0.1d], [-0.5d, 0d, 0d], [0d, 0d, 0.4d]].collect { d -> bound([optimal, d].transpose().collect { List<Double> x -> x[0] + x[1] }) }

        then: "the bound at the optimum is the divergence in closed form"
        Math.abs(atOptimum - expected) < 1e-5

        and: "any other critic gives less"
        elsewhere.every { it < atOptimum - 1e-4 }

        and: "so does the constant critic that cannot tell P from Q (its bound is at most f(1) = 0)"
        bound([0d, 0d, 0d]) <= 1e-6

        cleanup:
        scope.close()

        where: "M = (P + Q)/2; the f behind table 2's Jensen–Shannon conjugate measures 2·JS, as the f-divergence of u log u − (u + 1) log((1 + u)/2)"
        name         | divergence                    | closedForm                     | fPrime                              | vOf                                      || expected
        'kl'         | FDivergence.KL                | 'KL(P‖Q) = Σ p log(p/q)'       | { u -> 1 + Math.log(u) }            | { t -> t }                               || kl(P, Q)
        'reverse-kl' | FDivergence.REVERSE_KL        | 'KL(Q‖P) = Σ q log(q/p)'       | { u -> -1 / u }                     | { t -> -Math.log(-t) }                   || kl(Q, P)
        'js'         | FDivergence.JENSEN_SHANNON    | '2·JS = KL(P‖M) + KL(Q‖M)'     | { u -> Math.log(2 * u / (1 + u)) }  | { t -> -Math.log(2 * Math.exp(-t) - 1) } || kl(P, mixture()) + kl(Q, mixture())
        'pearson'    | FDivergence.PEARSON           | 'χ²(P‖Q) = Σ (p − q)²/q'       | { u -> return 2 * (u - 1) }         | { t -> t }                               || [P, Q].transpose().sum { List<Double> x -> (x[0] - x[1]) ** 2 / x[1] }
        'hellinger'  | FDivergence.SQUARED_HELLINGER | 'H² = Σ (√p − √q)²'            | { u -> 1 - 1 / Math.sqrt(u) }       | { t -> -Math.log(1 - t) }                || [P, Q].transpose().sum { List<Double> x -> (Math.sqrt(x[0]) - Math.sqrt(x[1])) ** 2 }
    }

    // ------------------------------------------------------------------ names

    def "the name '#name' gives the #expected loss"() {
        expect:
        Losses.named(name).name() == expected
        Losses.named(name).outputKind() == kind

        where:
        name                | expected      | kind
        'bce'               | 'bce'         | OutputKind.PROBABILITY
        'standard'          | 'bce'         | OutputKind.PROBABILITY
        'bce-logits'        | 'bce-logits'  | OutputKind.LOGIT
        'lsgan'             | 'lsgan'       | OutputKind.SCORE
        'least-squares'     | 'lsgan'       | OutputKind.SCORE
        'Least_Squares'     | 'lsgan'       | OutputKind.SCORE
        'hinge'             | 'hinge'       | OutputKind.SCORE
        'wasserstein'       | 'wasserstein' | OutputKind.SCORE
        'wgan'              | 'wasserstein' | OutputKind.SCORE
        'kl'                | 'kl'          | OutputKind.SCORE
        'kl-gan'            | 'kl'          | OutputKind.SCORE
        'reverse-kl'        | 'reverse-kl'  | OutputKind.SCORE
        'jensen-shannon'    | 'js'          | OutputKind.SCORE
        'chi2'              | 'pearson'     | OutputKind.SCORE
        'squared-hellinger' | 'hellinger'   | OutputKind.SCORE
        'kl-wgan'           | 'kl-wgan'     | OutputKind.SCORE
    }

    def "options configure a loss: #options on '#name'"() {
        expect:
        check(Losses.named(name, options))

        where:
        name         | options                    || check
        'lsgan'      | [a: -1, b: 1, c: 0]        || { LeastSquares l -> l.fakeTarget() == -1 && l.realTarget() == 1 && l.generatorTarget() == 0 }
        'lsgan'      | [:]                        || { LeastSquares l -> l.fakeTarget() == 0 && l.realTarget() == 1 && l.generatorTarget() == 1 }
        'js'         | [saturating: true]         || { FGan f -> f.isSaturating() && f.divergence() == FDivergence.JENSEN_SHANNON }
        'kl-wgan'    | [hinge: true]              || { KlWasserstein k -> k.isHinge() }
        'bce'        | [minimax: true]            || { BinaryCrossEntropy b -> b.isMinimax() && !b.isOnLogits() }
    }

    def "#problem is refused: #message"() {
        when:
        Losses.named(name, options)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        problem               | name          | options           || message
        'an unknown name'     | 'wasserstien' | [:]               || "unknown loss 'wasserstien': known losses are bce, bce-logits, minimax, lsgan, hinge, wasserstein, kl, reverse-kl, js, pearson, hellinger, kl-wgan"
        'an unknown option'   | 'lsgan'       | [d: 1]            || "loss 'lsgan' does not take 'd': it takes a, b, c"
        'an option too many'  | 'hinge'       | [margin: 2]       || "loss 'hinge' takes no options, got margin"
        'a word for a number' | 'lsgan'       | [a: 'zero']       || "loss 'lsgan' a: must be a number, got 'zero'"
        'a number for a flag' | 'kl'          | [saturating: 1]   || "loss 'kl' saturating: must be true or false, got 1"
        'equal LSGAN targets' | 'lsgan'       | [a: 1, b: 1]      || "the least-squares fake target a and real target b must differ (both are 1.0), or D cannot tell real from fake"
    }

    def "every loss describes both sides' formulas in one line"() {
        expect:
        Losses.names().every { String n ->
            def text = Losses.named(n).describe()
            text.contains('D: ') && text.contains('G: ') && !text.contains('\n')
        }
        Losses.named('lsgan', [a: -1, b: 1, c: 0]).describe() == 'D: ½E[(D(x) − 1)²] + ½E[(D(G(z)) + 1)²]; G: ½E[D(G(z))²]'
    }
}
