package dev.ganymede.engine.data;

import java.util.SplittableRandom;

/**
 * Handwritten-looking digits 0-9 on a 28x28 gray canvas, drawn procedurally: a stand-in for MNIST
 * that needs no download and no fonts.
 *
 * <p>Each digit is a few pen strokes (straight lines, arcs and Bézier curves) laid out in a unit
 * box. Every sample jitters the stroke control points, then picks a stroke width, a slant, a
 * rotation (±12°), a scale (0.75-1.0 of MNIST's 20-pixel box), a width and a shift of a few
 * pixels, and renders the strokes anti-aliased: a pixel's ink is its coverage by the pen, computed
 * from its distance to the nearest stroke segment. Background is -1 and full ink 1 (or 0 and 1 with
 * {@code zeroToOne}).
 *
 * <p>Labels are balanced: every block of ten consecutive samples holds each digit once, in a random
 * order. Sample {@code i} depends only on the seed and {@code i}, so a smaller data set is a
 * prefix of a larger one with the same seed.
 */
public final class SyntheticDigits extends ByteImages {

    /** Canvas side in pixels. */
    public static final int SIDE = 28;

    private static final int PIXELS = SIDE * SIDE;

    private SyntheticDigits(byte[] pixels, int[] labels, boolean zeroToOne) {
        super("digits", 1, SIDE, SIDE, pixels, labels, 10, zeroToOne);
    }

    /** {@code count} digits scaled to [-1, 1], reproducible from {@code seed}. */
    public static SyntheticDigits generate(int count, long seed) {
        return generate(count, seed, false);
    }

    /** {@code count} digits scaled to [0, 1] when {@code zeroToOne}, else to [-1, 1]. */
    public static SyntheticDigits generate(int count, long seed, boolean zeroToOne) {
        if (count <= 0) {
            throw new IllegalArgumentException("the number of digits must be positive, got " + count);
        }
        byte[] pixels = new byte[Math.multiplyExact(count, PIXELS)];
        int[] labels = new int[count];
        Pen pen = new Pen();
        float[] canvas = new float[PIXELS];
        int[] order = new int[10];
        for (int block = 0; block * 10 < count; block++) {
            SplittableRandom blockRandom = new SplittableRandom(mix(seed, -1 - block));
            for (int k = 0; k < 10; k++) {
                order[k] = k;
            }
            for (int k = 9; k > 0; k--) {
                int m = blockRandom.nextInt(k + 1);
                int t = order[k];
                order[k] = order[m];
                order[m] = t;
            }
            for (int k = 0; k < 10 && block * 10 + k < count; k++) {
                int i = block * 10 + k;
                labels[i] = order[k];
                draw(order[k], new SplittableRandom(mix(seed, i)), pen, canvas);
                int base = i * PIXELS;
                for (int p = 0; p < PIXELS; p++) {
                    pixels[base + p] = (byte) (int) (canvas[p] * 255f + 0.5f);
                }
            }
        }
        return new SyntheticDigits(pixels, labels, zeroToOne);
    }

    /**
     * Draws one digit into {@code canvas} (28x28, row-major) as ink coverage in [0, 1]. The same
     * {@code random} state gives the same picture.
     */
    public static void render(int digit, SplittableRandom random, float[] canvas) {
        if (digit < 0 || digit > 9) {
            throw new IllegalArgumentException("a digit is 0..9, got " + digit);
        }
        if (canvas.length < PIXELS) {
            throw new IllegalArgumentException("the canvas needs " + PIXELS + " floats, got " + canvas.length);
        }
        draw(digit, random, new Pen(), canvas);
    }

    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void draw(int digit, SplittableRandom r, Pen pen, float[] canvas) {
        pen.reset(r);
        Glyphs.draw(digit, pen);
        pen.place(r);
        pen.rasterize(canvas);
    }

    /**
     * The strokes of one sample, first in unit-box coordinates (x to the right, y downwards, the
     * digit spanning y in [0, 1]), then placed on the canvas in pixels.
     */
    static final class Pen {
        float[] xs = new float[1024];
        float[] ys = new float[1024];
        int points;
        int[] strokeEnd = new int[16];
        int strokes;
        boolean open;
        SplittableRandom random;
        double jitter;
        float halfWidth;
        float softness;

        void reset(SplittableRandom r) {
            random = r;
            points = 0;
            strokes = 0;
            open = false;
            jitter = 0.022 + 0.018 * r.nextDouble();
        }

        /** v plus Gaussian noise: the hand never lands twice on the same spot. */
        double j(double v) {
            return v + random.nextGaussian() * jitter;
        }

        /** v plus a larger jitter, for the loosest points of a glyph. */
        double jj(double v) {
            return v + random.nextGaussian() * jitter * 2;
        }

        boolean chance(double p) {
            return random.nextDouble() < p;
        }

        double uniform(double lo, double hi) {
            return lo + (hi - lo) * random.nextDouble();
        }

        void moveTo(double x, double y) {
            end();
            add(x, y);
            open = true;
        }

        void lineTo(double x, double y) {
            add(x, y);
        }

        /** A cubic Bézier from the current point. */
        void curveTo(double c1x, double c1y, double c2x, double c2y, double x, double y) {
            double x0 = xs[points - 1];
            double y0 = ys[points - 1];
            double length = distance(c1x - x0, c1y - y0) + distance(c2x - c1x, c2y - c1y)
                    + distance(x - c2x, y - c2y);
            int n = Math.max(3, Math.min(24, (int) Math.ceil(length * 8)));
            for (int k = 1; k <= n; k++) {
                double t = (double) k / n;
                double u = 1 - t;
                double a = u * u * u;
                double b = 3 * u * u * t;
                double c = 3 * u * t * t;
                double d = t * t * t;
                add(a * x0 + b * c1x + c * c2x + d * x, a * y0 + b * c1y + c * c2y + d * y);
            }
        }

        /**
         * An elliptical arc from angle {@code from} to {@code to} in degrees (0 = right, 90 =
         * bottom, as y points down); it continues the open stroke or starts a new one.
         */
        void arc(double cx, double cy, double rx, double ry, double from, double to) {
            double a0 = Math.toRadians(from);
            double a1 = Math.toRadians(to);
            int n = Math.max(3, Math.min(64, (int) Math.ceil(Math.abs(a1 - a0) * Math.max(rx, ry) * 9)));
            boolean continuing = open;
            if (!continuing) {
                moveTo(cx + rx * Math.cos(a0), cy + ry * Math.sin(a0));
            }
            // step round the circle by rotating (cos, sin) instead of calling the trigonometry each time
            double step = (a1 - a0) / n;
            double stepCos = Math.cos(step);
            double stepSin = Math.sin(step);
            double c = Math.cos(a0);
            double sn = Math.sin(a0);
            for (int k = 0; k <= n; k++) {
                if (k > 0 || continuing) {
                    add(cx + rx * c, cy + ry * sn);
                }
                double next = c * stepCos - sn * stepSin;
                sn = sn * stepCos + c * stepSin;
                c = next;
            }
        }

        private static double distance(double dx, double dy) {
            return Math.sqrt(dx * dx + dy * dy);
        }

        void end() {
            if (open) {
                if (strokes == strokeEnd.length) {
                    strokeEnd = java.util.Arrays.copyOf(strokeEnd, strokes * 2);
                }
                strokeEnd[strokes++] = points;
                open = false;
            }
        }

        private void add(double x, double y) {
            if (points == xs.length) {
                xs = java.util.Arrays.copyOf(xs, points * 2);
                ys = java.util.Arrays.copyOf(ys, points * 2);
            }
            xs[points] = (float) x;
            ys[points] = (float) y;
            points++;
        }

        /**
         * Writer's variation: width, slant, rotation, scale, stroke width and position. Moves the
         * points from the unit box to canvas pixels.
         */
        void place(SplittableRandom r) {
            end();
            double scale = 20 * (0.75 + 0.25 * r.nextDouble());
            double widthFactor = 0.85 + 0.3 * r.nextDouble();
            double slant = Math.max(-0.25, Math.min(0.55, 0.12 + 0.16 * r.nextGaussian()));
            double angle = Math.toRadians(24 * r.nextDouble() - 12);
            // slant and rotation both lean the top to the right; together they lean no more than
            // about 31° from the vertical, or a 7 would lie down like a '>'
            slant = Math.min(slant, 0.6 - Math.tan(angle));
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            float minX = Float.MAX_VALUE;
            float maxX = -Float.MAX_VALUE;
            float minY = Float.MAX_VALUE;
            float maxY = -Float.MAX_VALUE;
            for (int i = 0; i < points; i++) {
                double u = (xs[i] - 0.5) * widthFactor;
                double v = ys[i] - 0.5;
                u -= slant * v;
                double x = (cos * u - sin * v) * scale;
                double y = (sin * u + cos * v) * scale;
                xs[i] = (float) x;
                ys[i] = (float) y;
                minX = Math.min(minX, xs[i]);
                maxX = Math.max(maxX, xs[i]);
                minY = Math.min(minY, ys[i]);
                maxY = Math.max(maxY, ys[i]);
            }
            halfWidth = (float) (0.5 * (1.4 + 1.6 * r.nextDouble()));
            softness = 0.55f;
            // like MNIST, centre the ink's centre of mass (here: of the strokes, weighted by
            // length), shifted by a pixel or two, while keeping a one-pixel clear border
            float margin = halfWidth + softness + 1f;
            float extent = Math.max(maxX - minX, maxY - minY) + 2 * margin;
            float shrink = extent > SIDE ? SIDE / extent : 1f;
            double length = 0;
            double sumX = 0;
            double sumY = 0;
            int start = 0;
            for (int s = 0; s < strokes; s++) {
                for (int i = start; i + 1 < strokeEnd[s]; i++) {
                    double l = distance(xs[i + 1] - xs[i], ys[i + 1] - ys[i]);
                    length += l;
                    sumX += l * (xs[i] + xs[i + 1]) / 2;
                    sumY += l * (ys[i] + ys[i + 1]) / 2;
                }
                start = strokeEnd[s];
            }
            float comX = length > 0 ? (float) (sumX / length) : (minX + maxX) / 2;
            float comY = length > 0 ? (float) (sumY / length) : (minY + maxY) / 2;
            float centre = SIDE / 2f;
            float dx = centre + jitter(r) - comX * shrink;
            float dy = centre + jitter(r) - comY * shrink;
            dx = clamp(dx, margin - minX * shrink, SIDE - margin - maxX * shrink);
            dy = clamp(dy, margin - minY * shrink, SIDE - margin - maxY * shrink);
            for (int i = 0; i < points; i++) {
                xs[i] = xs[i] * shrink + dx;
                ys[i] = ys[i] * shrink + dy;
            }
        }

        /** A shift of the centre: Gaussian with 1.2 px deviation, at most 3 px. */
        private static float jitter(SplittableRandom r) {
            return (float) Math.max(-3, Math.min(3, 1.2 * r.nextGaussian()));
        }

        /** v limited to [lo, hi]; the middle of the two when they cross. */
        private static float clamp(float v, float lo, float hi) {
            if (lo > hi) {
                return (lo + hi) / 2;
            }
            return Math.max(lo, Math.min(hi, v));
        }

        /** Ink = coverage by a round pen of radius halfWidth, with a soft anti-aliased rim. */
        void rasterize(float[] canvas) {
            java.util.Arrays.fill(canvas, 0, PIXELS, 0f);
            float reach = halfWidth + softness;
            float reach2 = reach * reach;
            float core = Math.max(0f, halfWidth - softness);
            float core2 = core * core;
            float rim = 1f / (2 * softness);
            int start = 0;
            for (int s = 0; s < strokes; s++) {
                int end = strokeEnd[s];
                int segments = Math.max(1, end - start - 1);
                for (int i = start; i < start + segments; i++) {
                    float ax = xs[i];
                    float ay = ys[i];
                    float bx = i + 1 < end ? xs[i + 1] : ax;
                    float by = i + 1 < end ? ys[i + 1] : ay;
                    float dx = bx - ax;
                    float dy = by - ay;
                    float len2 = dx * dx + dy * dy;
                    float inv = len2 > 1e-12f ? 1f / len2 : 0f;
                    float tx = dx * inv;
                    float ty = dy * inv;
                    int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - reach));
                    int x1 = Math.min(SIDE - 1, (int) Math.ceil(Math.max(ax, bx) + reach));
                    int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - reach));
                    int y1 = Math.min(SIDE - 1, (int) Math.ceil(Math.max(ay, by) + reach));
                    for (int py = y0; py <= y1; py++) {
                        float ry = py + 0.5f - ay;
                        float rowT = ry * ty;
                        int row = py * SIDE;
                        for (int px = x0; px <= x1; px++) {
                            // offset of the pixel centre from a, and from its projection on the segment
                            float rx = px + 0.5f - ax;
                            float t = rx * tx + rowT;
                            t = t < 0f ? 0f : (t > 1f ? 1f : t);
                            float ex = t * dx - rx;
                            float ey = t * dy - ry;
                            float d2 = ex * ex + ey * ey;
                            if (d2 < reach2) {
                                float ink = d2 <= core2 ? 1f : Math.min(1f, (reach - (float) Math.sqrt(d2)) * rim);
                                if (ink > canvas[row + px]) {
                                    canvas[row + px] = ink;
                                }
                            }
                        }
                    }
                }
                start = end;
            }
        }
    }

    /** The pen strokes of each digit, with the variants people actually write. */
    static final class Glyphs {

        private Glyphs() {}

        static void draw(int digit, Pen p) {
            switch (digit) {
                case 0 -> zero(p);
                case 1 -> one(p);
                case 2 -> two(p);
                case 3 -> three(p);
                case 4 -> four(p);
                case 5 -> five(p);
                case 6 -> six(p);
                case 7 -> seven(p);
                case 8 -> eight(p);
                default -> nine(p);
            }
        }

        /** An oval, usually started at the top and closed with a small overlap. */
        static void zero(Pen p) {
            double start = -100 + 25 * p.random.nextGaussian();
            double sweep = -(360 + p.uniform(-10, 30));
            p.arc(p.j(0.5), p.j(0.5), p.uniform(0.25, 0.36), p.uniform(0.46, 0.5), start, start + sweep);
        }

        /** A single down-stroke, sometimes with a short flag at the top and rarely a foot. */
        static void one(Pen p) {
            double top = p.j(0.52);
            double bottom = p.j(0.5);
            if (p.chance(0.3)) {
                p.moveTo(top - p.uniform(0.1, 0.16), p.uniform(0.1, 0.18));
                p.lineTo(top, p.j(0.0));
            } else {
                p.moveTo(top, p.j(0.0));
            }
            p.curveTo(top, 0.35, bottom + p.j(0), 0.7, bottom, p.j(1.0));
            if (p.chance(0.08)) {
                p.moveTo(bottom - p.uniform(0.12, 0.2), p.j(1.0));
                p.lineTo(bottom + p.uniform(0.12, 0.2), p.j(1.0));
            }
        }

        /** A hook over the top, a diagonal to the bottom left and a base line. */
        static void two(Pen p) {
            p.moveTo(p.j(0.18), p.j(0.24));
            p.curveTo(p.j(0.22), p.j(-0.04), p.j(0.82), p.j(-0.06), p.j(0.78), p.j(0.3));
            if (p.chance(0.3)) {
                // the looped two: the diagonal ends in a small loop before the base
                p.curveTo(p.j(0.74), p.j(0.55), p.j(0.3), p.j(0.8), p.j(0.2), p.j(0.94));
                p.curveTo(p.j(0.12), p.j(1.04), p.j(0.36), p.j(1.02), p.j(0.36), p.j(0.92));
                p.curveTo(p.j(0.36), p.j(0.84), p.j(0.22), p.j(0.88), p.j(0.26), p.j(0.98));
                p.lineTo(p.j(0.86), p.j(0.98));
            } else {
                p.curveTo(p.j(0.74), p.j(0.55), p.j(0.36), p.j(0.78), p.j(0.16), p.j(0.98));
                p.lineTo(p.j(0.86), p.j(0.97));
            }
        }

        /** Two bowls open to the left, meeting in the middle. */
        static void three(Pen p) {
            double midX = p.j(0.44);
            double midY = p.j(0.48);
            p.arc(midX + 0.02, p.j(0.26), p.uniform(0.25, 0.3), midY - 0.24 + 0.02, -165 + 10 * p.random.nextGaussian(), 90);
            p.arc(midX + 0.04, p.j(0.73), p.uniform(0.28, 0.33), 0.26, -90, 160 + 8 * p.random.nextGaussian());
        }

        /** Open (an L and a down-stroke) or closed (a triangle) four. */
        static void four(Pen p) {
            double barY = p.j(0.62);
            double stemX = p.j(0.66);
            if (p.chance(0.55)) {
                p.moveTo(p.j(0.26), p.j(0.0));
                p.lineTo(p.j(0.16), barY);
                p.lineTo(p.j(0.88), barY + p.j(0) - 0.02);
                p.moveTo(stemX + 0.02, p.j(0.02));
                p.lineTo(stemX, p.j(1.0));
            } else {
                p.moveTo(stemX, p.j(1.0));
                p.lineTo(stemX + 0.02, p.j(0.0));
                p.lineTo(p.j(0.12), barY);
                p.lineTo(p.j(0.88), barY + p.j(0) - 0.02);
            }
        }

        /** A flag, a short stem and a big bowl open to the left. */
        static void five(Pen p) {
            double stemX = p.j(0.3);
            double topY = p.j(0.02);
            double bowlY = p.j(0.68);
            double r = p.uniform(0.27, 0.32);
            p.moveTo(stemX, topY);
            p.lineTo(p.j(0.26), bowlY - 0.24);
            p.arc(0.5 + p.j(0), bowlY, r, 0.28, -140, 145 + 10 * p.random.nextGaussian());
            p.moveTo(stemX, topY);
            p.lineTo(p.j(0.82), p.j(0.0));
        }

        /** A curve down the left side that closes into a loop at the bottom. */
        static void six(Pen p) {
            double loopX = p.j(0.5);
            double loopY = p.j(0.72);
            double r = p.uniform(0.22, 0.28);
            p.moveTo(p.j(0.72), p.j(0.0));
            p.curveTo(p.j(0.42), p.j(0.1), loopX - r - 0.04, p.j(0.4), loopX - r, loopY);
            p.arc(loopX, loopY, r, 0.27, 180, -170 + 15 * p.random.nextGaussian());
        }

        /** A top bar and a long diagonal, sometimes crossed. */
        static void seven(Pen p) {
            double barY = p.j(0.03);
            if (p.chance(0.2)) {
                p.moveTo(p.j(0.14), p.j(0.2));
                p.lineTo(p.j(0.14), barY);
            } else {
                p.moveTo(p.j(0.12), barY);
            }
            p.lineTo(p.j(0.86), p.j(barY - 0.05));
            p.curveTo(p.j(0.74), p.j(0.32), p.j(0.52), p.j(0.65), p.j(0.42), p.j(1.0));
            if (p.chance(0.2)) {
                p.moveTo(p.j(0.36), p.j(0.52));
                p.lineTo(p.j(0.78), p.j(0.5));
            }
        }

        /**
         * Two stacked loops in one stroke, the lower one a little bigger: over the top and down the
         * left of the upper loop, across the waist, round the lower loop, and back up the right.
         */
        static void eight(Pen p) {
            double x = p.j(0.5);
            double waist = p.j(0.45);
            double upperX = x + p.j(0) + 0.02;
            double upperR = p.uniform(0.19, 0.25);
            double lowerR = p.uniform(0.24, 0.31);
            double start = -50 + 15 * p.random.nextGaussian();
            p.arc(upperX, waist - 0.22, upperR, 0.22, start, -270);
            p.arc(x, waist + 0.27, lowerR, 0.27, -90, 270);
            p.arc(upperX, waist - 0.22, upperR, 0.22, 90, start - p.uniform(0, 25));
        }

        /** A loop at the top and a stem down its right side. */
        static void nine(Pen p) {
            double loopX = p.j(0.46);
            double loopY = p.j(0.28);
            double r = p.uniform(0.23, 0.28);
            p.arc(loopX, loopY, r, 0.26, 15, -345);
            double stemX = loopX + r;
            if (p.chance(0.65)) {
                p.lineTo(stemX + p.j(-0.02), p.j(1.0));
            } else {
                p.curveTo(stemX, p.j(0.55), p.j(stemX - 0.02), p.j(0.9), p.j(stemX - 0.2), p.j(1.0));
            }
        }
    }
}
