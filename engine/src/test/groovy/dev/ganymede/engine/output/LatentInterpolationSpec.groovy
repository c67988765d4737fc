package dev.ganymede.engine.output

import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

import static dev.ganymede.engine.output.LatentInterpolation.Method.LINEAR
import static dev.ganymede.engine.output.LatentInterpolation.Method.SPHERICAL

@Title("Latent interpolation: straight paths for uniform noise, great circles for Gaussian noise")
@Narrative("""
A run report draws the final generator along paths between two latent vectors. For uniform
noise the straight line is right: it stays inside the noise's box. For Gaussian noise it is not:
in d dimensions N(0, I) lives near the sphere of radius √d, and the midpoint of the straight line
between two (nearly orthogonal) typical vectors is only about 1/√2 as long, a latent the generator
has practically never seen. The spherical path (slerp) keeps the norm. Both start and end exactly
at the two given vectors.
""")
class LatentInterpolationSpec extends Specification {

    static float[] vector(int d, Map<Integer, Float> entries) {
        float[] v = new float[d]
        entries.each { i, x -> v[i] = x }
        v
    }

    static float[] point(float[] path, int d, int index) {
        Arrays.copyOfRange(path, index * d, (index + 1) * d)
    }

    def "the #method path starts exactly at z0 and ends exactly at z1"() {
        given: "two Gaussian vectors of 100 values"
        def random = new Random(5)
        float[] a = (0..<100).collect { (float) random.nextGaussian() } as float[]
        float[] b = (0..<100).collect { (float) random.nextGaussian() } as float[]

        when:
        def path = LatentInterpolation.between(a, b, 10, method)

        then: "10 points, the first a and the last b, bit for bit"
        path.length == 1000
        point(path, 100, 0) == a
        point(path, 100, 9) == b

        where:
        method << [LINEAR, SPHERICAL]
    }

    def "between orthogonal vectors of norm 10, the #method midpoint has norm #midNorm"() {
        given:
        float[] a = vector(4, [0: 10f])
        float[] b = vector(4, [1: 10f])

        when: "a path of 11 points, so point 5 is the midpoint"
        def path = LatentInterpolation.between(a, b, 11, method)

        then:
        Math.abs(LatentInterpolation.norm(path, 4, 5) - midNorm) < 1e-3

        where: "the straight line shortens the vector by √2 at its middle; the great circle does not"
        method    || midNorm
        LINEAR    || 7.0711
        SPHERICAL || 10.0
    }

    def "every point of a spherical path between vectors of equal norm keeps that norm"() {
        given:
        def random = new Random(9)
        float[] a = (0..<64).collect { (float) random.nextGaussian() } as float[]
        float[] b = (0..<64).collect { (float) random.nextGaussian() } as float[]
        double na = LatentInterpolation.norm(a, 64, 0)
        double nb = LatentInterpolation.norm(b, 64, 0)
        for (int i = 0; i < 64; i++) b[i] = (float) (b[i] * na / nb)

        when:
        def path = LatentInterpolation.between(a, b, 10, SPHERICAL)

        then:
        (0..<10).every { Math.abs(LatentInterpolation.norm(path, 64, it) - na) < 1e-4 * na }
    }

    def "a spherical path between identical vectors falls back to the straight line: every point is the vector"() {
        given:
        float[] a = [1f, -2f, 3f] as float[]

        expect:
        def path = LatentInterpolation.between(a, a.clone(), 5, SPHERICAL)
        (0..<5).every { point(path, 3, it) == a }
    }

    def "#noise noise gets the #expected path"() {
        expect:
        LatentInterpolation.suitedTo(uniform) == expected

        where:
        noise      | uniform || expected
        'uniform'  | true    || LINEAR
        'Gaussian' | false   || SPHERICAL
    }

    def "pairs: row r runs from latent vector 2r to 2r + 1"() {
        given: "6 vectors of 2 values: (0, 0), (1, 1), ..., (5, 5)"
        float[] latents = (0..<6).collectMany { [(float) it, (float) it] } as float[]

        when: "3 rows of 4 points"
        def rows = LatentInterpolation.pairs(latents, 2, 3, 4, LINEAR)

        then: "each row starts at an even vector and ends at the next one"
        rows.length == 3 * 4 * 2
        point(rows, 2, 0) == [0f, 0f] as float[]
        point(rows, 2, 3) == [1f, 1f] as float[]
        point(rows, 2, 4) == [2f, 2f] as float[]
        point(rows, 2, 11) == [5f, 5f] as float[]
        Math.abs(point(rows, 2, 9)[0] - (4f + 1f / 3f)) < 1e-6
    }

    def "#description is refused"() {
        when:
        call()

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(message)

        where:
        description                  | call                                                                                            || message
        'ends of different sizes'    | { LatentInterpolation.between(new float[3], new float[4], 5, LINEAR) }                         || 'same, non-zero size'
        'a path of one point'        | { LatentInterpolation.between(new float[3], new float[3], 1, SPHERICAL) }                      || 'at least 2 points'
        'too few vectors for 4 rows' | { LatentInterpolation.pairs(new float[12], 2, 4, 5, LINEAR) }                                  || '4 rows need 8 latent vectors'
    }
}
