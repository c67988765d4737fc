package dev.ganymede.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Checks once per process that PyTorch's CPU convolution gives right numbers before any
 * convolution layer computes with it.
 *
 * <p>Why: on some CPUs (seen on an AMD EPYC of family 26, Zen 5) the JIT convolution kernels of
 * the oneDNN 3.3.6 inside PyTorch 2.3.1 return wrong values, silently: a DCGAN then trains on
 * garbage gradients and diverges. Limiting oneDNN to its SSE4.1 code
 * ({@code ONEDNN_MAX_CPU_ISA=SSE41} in the environment, read once when the native library loads)
 * makes it use its GEMM-based convolution, which is right. The {@code gan} and {@code gan-repl}
 * launchers and the Maven build set that variable unless it is set already; a Java or Kotlin
 * program must set it itself, and this check tells it so instead of training on wrong numbers.
 */
public final class ConvolutionKernels {

    /** The environment variable that limits oneDNN's instruction set. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** Largest error, relative to the reference's largest magnitude, that counts as right. */
    static final double TOLERANCE = 1e-4;

    /** Null until checked; then "" when right, else the refusal, so a wrong CPU is measured once. */
    private static volatile String problem;

    private ConvolutionKernels() {}

    /** Throws, with what to do, unless the CPU convolution agrees with a plain Java reference. */
    public static void requireCorrect(NDArray input) {
        if (input.getDevice().isGpu()) {
            return;
        }
        if (problem == null) {
            synchronized (ConvolutionKernels.class) {
                if (problem == null) {
                    String found = verdict(measureError(), System.getenv(ISA_VARIABLE), cpuModel());
                    problem = found == null ? "" : found;
                }
            }
        }
        if (!problem.isEmpty()) {
            throw new GanymedeException(problem);
        }
    }

    /**
     * The largest error of PyTorch's convolution, relative to the reference's largest value, on
     * a DCGAN generator's first layer (a batch of 2 latent vectors of 100 channels, 1×1, to 8
     * channels with a 4×4 kernel and padding 3): the case oneDNN got wrong.
     */
    public static double measureError() {
        int batch = 2, in = 100, out = 8, k = 4, pad = 3;
        Random random = new Random(7);
        float[] x = new float[batch * in];
        float[] w = new float[out * in * k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        int outSize = 1 + 2 * pad - k + 1;
        float[] y;
        try (NDManager manager = Backend.engine().newBaseManager(Device.cpu())) {
            NDArray xs = manager.create(x, new Shape(batch, in, 1, 1));
            NDArray ws = manager.create(w, new Shape(out, in, k, k));
            y = JniUtils.convolution(Torch.pt(xs), Torch.pt(ws), null, new Shape(1, 1),
                    new Shape(pad, pad), new Shape(1, 1), 1).toFloatArray();
        }
        double worst = 0;
        double largest = 0;
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < outSize; i++) {
                    for (int j = 0; j < outSize; j++) {
                        // the 1×1 input sits at (pad, pad) of the padded plane: tap (pad - i, pad - j)
                        int kh = pad - i, kw = pad - j;
                        double sum = 0;
                        if (kh >= 0 && kh < k && kw >= 0 && kw < k) {
                            for (int c = 0; c < in; c++) {
                                sum += (double) x[b * in + c] * w[((o * in + c) * k + kh) * k + kw];
                            }
                        }
                        largest = Math.max(largest, Math.abs(sum));
                        worst = Math.max(worst, Math.abs(sum - y[((b * out + o) * outSize + i) * outSize + j]));
                    }
                }
            }
        }
        return largest == 0 ? worst : worst / largest;
    }

    /** Null when {@code error} is within tolerance, else the message that says what to do. */
    static String verdict(double error, String isaSetting, String cpu) {
        if (error <= TOLERANCE) {
            return null;
        }
        String now = isaSetting == null ? "not set" : "set to " + isaSetting;
        return String.format(Locale.ROOT,
                "PyTorch's convolution gives wrong numbers on this CPU (%s): a test convolution is off by"
                        + " %.3g of its largest value (oneDNN's JIT kernels; %s is %s). Start the program with"
                        + " %s=SSE41 in its environment (the gan and gan-repl launchers and the Maven build"
                        + " do this unless the variable is set).",
                cpu, error, ISA_VARIABLE, now, ISA_VARIABLE);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the architecture will do
        }
        return System.getProperty("os.arch");
    }
}
