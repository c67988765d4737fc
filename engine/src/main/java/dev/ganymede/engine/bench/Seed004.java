package dev.ganymede.engine.bench;

import ai.djl.Device;
import dev.ganymede.engine.loss.BinaryCrossEntropy;
import dev.ganymede.engine.nn.Conv2d;
import dev.ganymede.engine.nn.ConvTranspose2d;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.train.Gan;
import dev.ganymede.engine.train.LatentNoise;

/**
 * Seed 004's compact DCGAN for 1x28x28 images, built with the engine, and the arithmetic one
 * training step of it costs.
 *
 * <pre>
 * G: Linear(100, 256*7*7) Unflatten(256, 7, 7) ConvT(256, 128, 4, 2, 1, bias=False) BN(128) ReLU
 *    ConvT(128, 1, 4, 2, 1, bias=False) Tanh                                   1,793,536 parameters
 * D: Conv(1, 64, 4, 2, 1, nb) LReLU(0.2) Conv(64, 128, 4, 2, 1, nb) BN LReLU(0.2)
 *    Conv(128, 256, 4, 2, 1, nb) BN LReLU(0.2) Flatten Linear(2304, 1)           659,457 parameters
 * Loss BCEWithLogits; Adam(2e-4, betas (0.5, 0.999)) for both players.
 * </pre>
 */
public final class Seed004 {

    /** Latent size. */
    public static final int LATENT = 100;

    private Seed004() {}

    /** The generator, PyTorch's default initialisation. */
    public static Network generator(Device device) {
        return Network.builder("generator").input(LATENT)
                .linear(256 * 7 * 7).reshape(256, 7, 7)
                .add(new ConvTranspose2d(128, 4).stride(2).padding(1).bias(false)).batchNorm().relu()
                .add(new ConvTranspose2d(1, 4).stride(2).padding(1).bias(false)).tanh()
                .build(device);
    }

    /** The discriminator, ending in a logit. */
    public static Network discriminator(Device device) {
        return Network.builder("discriminator").input(1, 28, 28)
                .add(new Conv2d(64, 4).stride(2).padding(1).bias(false)).leakyRelu(0.2)
                .add(new Conv2d(128, 4).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2)
                .add(new Conv2d(256, 4).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2)
                .flatten().linear(1)
                .build(device);
    }

    /** G, D, N(0, 1) noise of size 100 and BCE on logits. */
    public static Gan gan(Device device) {
        Network g = generator(device);
        Network d;
        try {
            d = discriminator(device);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        return new Gan(g, d, LatentNoise.normal(LATENT), BinaryCrossEntropy.onLogits(), 0);
    }

    // ---------------------------------------------------------------------------------------
    // Arithmetic of one training step, per image.
    //
    // A convolution or a dense layer costs one multiply-add (MAC) per (output value, input
    // channel, kernel tap). Its backward pass has two parts of the same size as the forward:
    // the weight gradient (every MAC again, with the output gradient in place of the weight) and
    // the input gradient (the transposed product). A transposed convolution costs what the
    // convolution it transposes costs: each input pixel meets in x out x k x k weights.
    //
    // Forward MACs per image:
    //   G  Linear(100 -> 12544)              100 * 12544              =  1,254,400
    //      ConvT(256 -> 128, 7x7 -> 14x14)    7*7 * 256 * 128 * 4*4    = 25,690,112
    //      ConvT(128 -> 1, 14x14 -> 28x28)    14*14 * 128 * 1 * 4*4    =    401,408
    //      Fg                                                          = 27,345,920
    //   D  Conv(1 -> 64, 28 -> 14)            14*14 * 64 * 1 * 4*4     =    200,704
    //      Conv(64 -> 128, 14 -> 7)           7*7 * 128 * 64 * 4*4     =  6,422,528
    //      Conv(128 -> 256, 7 -> 3)           3*3 * 256 * 128 * 4*4    =  4,718,592
    //      Linear(2304 -> 1)                                           =      2,304
    //      Fd                                                          = 11,344,128
    //
    // The least work a step needs (one G forward shared by both updates, no D weight gradients
    // in the G update, no input gradient where the input is data or noise):
    //   G forward                                                Fg
    //   D update:  D forward on real and on detached fake        2 Fd
    //              backward of each: weight grads Fd, input grads Fd - conv1
    //                                                            2 (2 Fd - conv1)
    //   G update:  D forward on the fake                         Fd
    //              D backward, input gradients only (to reach G) Fd
    //              G backward: weight grads Fg, input grads Fg - linear
    //                                                            2 Fg - linear
    //   total MACs = 3 Fg - linear + 8 Fd - 2 conv1 = 171,134,976 -> 342.3 MFLOP per image.
    // Element-wise work (BatchNorm, activations, loss, Adam over 2.45 M parameters per step) is
    // a few MFLOP per image at most and bounded by memory, not arithmetic; it is left out.
    // ---------------------------------------------------------------------------------------

    /** Forward multiply-adds of G per image. */
    public static long generatorForwardMacs() {
        return linearMacs() + convT1Macs() + convT2Macs();
    }

    /** Forward multiply-adds of D per image. */
    public static long discriminatorForwardMacs() {
        return conv1Macs() + 7L * 7 * 128 * 64 * 16 + 3L * 3 * 256 * 128 * 16 + 2304L;
    }

    private static long linearMacs() {
        return 100L * 256 * 7 * 7;
    }

    private static long convT1Macs() {
        return 7L * 7 * 256 * 128 * 16;
    }

    private static long convT2Macs() {
        return 14L * 14 * 128 * 1 * 16;
    }

    private static long conv1Macs() {
        return 14L * 14 * 64 * 1 * 16;
    }

    /** Multiply-adds of one training step per image, derived above. */
    public static long stepMacsPerImage() {
        long fg = generatorForwardMacs();
        long fd = discriminatorForwardMacs();
        return 3 * fg - linearMacs() + 8 * fd - 2 * conv1Macs();
    }

    /** Floating-point operations (2 per multiply-add) of one training step per image. */
    public static double stepFlopsPerImage() {
        return 2.0 * stepMacsPerImage();
    }
}
