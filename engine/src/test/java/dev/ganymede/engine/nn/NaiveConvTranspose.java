package dev.ganymede.engine.nn;

/**
 * A deliberately naive transposed convolution in plain Java doubles, written from PyTorch's
 * definition (every input pixel scatters a weighted kernel into the output). It is the independent
 * reference the engine's sub-pixel implementation is checked against, forward and backward.
 */
public final class NaiveConvTranspose {

    final int batch, cin, cout, h, w, k, s, p, op;
    final int oh, ow;

    public NaiveConvTranspose(int batch, int cin, int cout, int h, int w, int k, int s, int p, int op) {
        this.batch = batch; this.cin = cin; this.cout = cout; this.h = h; this.w = w;
        this.k = k; this.s = s; this.p = p; this.op = op;
        this.oh = (h - 1) * s - 2 * p + k + op;
        this.ow = (w - 1) * s - 2 * p + k + op;
    }

    int xi(int b, int c, int i, int j) { return ((b * cin + c) * h + i) * w + j; }
    int yi(int b, int c, int i, int j) { return ((b * cout + c) * oh + i) * ow + j; }
    int wi(int ci, int co, int a, int bb) { return ((ci * cout + co) * k + a) * k + bb; }

    /** y = convT(x, weight) + bias. */
    public double[] forward(float[] x, float[] weight, float[] bias) {
        double[] y = new double[batch * cout * oh * ow];
        for (int b = 0; b < batch; b++)
            for (int co = 0; co < cout; co++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                        y[yi(b, co, i, j)] = bias == null ? 0 : bias[co];
        for (int b = 0; b < batch; b++)
            for (int ci = 0; ci < cin; ci++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        for (int co = 0; co < cout; co++)
                            for (int a = 0; a < k; a++)
                                for (int c = 0; c < k; c++) {
                                    int o1 = i * s - p + a, o2 = j * s - p + c;
                                    if (o1 >= 0 && o1 < oh && o2 >= 0 && o2 < ow)
                                        y[yi(b, co, o1, o2)] += (double) x[xi(b, ci, i, j)] * weight[wi(ci, co, a, c)];
                                }
        return y;
    }

    /** Gradients of sum(y * upstream) with respect to x, weight and bias: {gx, gw, gb}. */
    public double[][] backward(float[] x, float[] weight, float[] upstream) {
        double[] gx = new double[x.length];
        double[] gw = new double[weight.length];
        double[] gb = new double[cout];
        for (int b = 0; b < batch; b++)
            for (int co = 0; co < cout; co++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                        gb[co] += upstream[yi(b, co, i, j)];
        for (int b = 0; b < batch; b++)
            for (int ci = 0; ci < cin; ci++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        for (int co = 0; co < cout; co++)
                            for (int a = 0; a < k; a++)
                                for (int c = 0; c < k; c++) {
                                    int o1 = i * s - p + a, o2 = j * s - p + c;
                                    if (o1 >= 0 && o1 < oh && o2 >= 0 && o2 < ow) {
                                        double g = upstream[yi(b, co, o1, o2)];
                                        gx[xi(b, ci, i, j)] += g * weight[wi(ci, co, a, c)];
                                        gw[wi(ci, co, a, c)] += g * x[xi(b, ci, i, j)];
                                    }
                                }
        return new double[][] {gx, gw, gb};
    }
}
