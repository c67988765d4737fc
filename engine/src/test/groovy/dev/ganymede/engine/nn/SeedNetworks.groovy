package dev.ganymede.engine.nn

import ai.djl.Device

/**
 * The networks of the seed documents, declared with the engine's NetworkBuilder. Each method
 * quotes the PyTorch definition it follows (seed file and lines as in the seed checklist). The
 * specs share them: SeedNetworksSpec checks their shapes and parameter counts, the training specs
 * train the small ones.
 */
class SeedNetworks {

    // ---- seed 001 (S1), 1D Gaussian toy, ch. 1.2 and 2.3 ------------------------------------

    /** S1 L108-133, architecture A: Linear(1, 128) ReLU Linear(128, 1). */
    static Network toyGeneratorA() {
        Network.builder("S1 toy G (A)").input(1).linear(128).relu().linear(1).build(Device.cpu())
    }

    /** S1 L108-133 and L610-638: Linear(1, 128) ReLU Linear(128, 1) Sigmoid. */
    static Network toyDiscriminator() {
        Network.builder("S1 toy D").input(1).linear(128).relu().linear(1).sigmoid().build(Device.cpu())
    }

    /** S1 L610-638, architecture B: Linear(100, 128) ReLU Linear(128, 1). */
    static Network toyGeneratorB() {
        Network.builder("S1 toy G (B)").input(100).linear(128).relu().linear(1).build(Device.cpu())
    }

    // ---- seed 001 (S1), MLP GANs on flattened 28x28 images ----------------------------------

    /** S1 L209-231: Linear(100,128) ReLU Linear(128,256) ReLU Linear(256,784) Tanh. */
    static Network mlpGenerator128() {
        Network.builder("S1 MLP G 100-128-256-784").input(100)
                .linear(128).relu().linear(256).relu().linear(784).tanh().build(Device.cpu())
    }

    /** S1 L241-260: Linear(784,256) LReLU(0.2) Linear(256,128) LReLU(0.2) Linear(128,1) Sigmoid. */
    static Network mlpDiscriminator256() {
        Network.builder("S1 MLP D 784-256-128-1").input(784)
                .linear(256).leakyRelu(0.2).linear(128).leakyRelu(0.2).linear(1).sigmoid().build(Device.cpu())
    }

    /** S1 L378-412 / L869-903: Linear(100,256) ReLU Linear(256,512) ReLU Linear(512,784) Tanh. */
    static Network mlpGenerator256() {
        Network.builder("S1 MLP G 100-256-512-784").input(100)
                .linear(256).relu().linear(512).relu().linear(784).tanh().build(Device.cpu())
    }

    /** S1 L378-412 / L869-903: Linear(784,512) LReLU(0.2) Linear(512,256) LReLU(0.2) Linear(256,1) Sigmoid. */
    static Network mlpDiscriminator512() {
        Network.builder("S1 MLP D 784-512-256-1").input(784)
                .linear(512).leakyRelu(0.2).linear(256).leakyRelu(0.2).linear(1).sigmoid().build(Device.cpu())
    }

    // ---- seed 003 (S3), mnist_vanillagan.py ---------------------------------------------------

    /** S3 L310-363: Linear(100,256) ReLU Linear(256,512) ReLU Linear(512,1024) ReLU Linear(1024,784) Tanh. */
    static Network vanillaGenerator() {
        Network.builder("S3 vanilla G").input(100)
                .linear(256).relu().linear(512).relu().linear(1024).relu().linear(784).tanh().build(Device.cpu())
    }

    /** S3 L310-363: Linear(784,1024) LReLU Linear(1024,512) LReLU Linear(512,256) LReLU Linear(256,1) Sigmoid. */
    static Network vanillaDiscriminator() {
        Network.builder("S3 vanilla D").input(784)
                .linear(1024).leakyRelu(0.2).linear(512).leakyRelu(0.2).linear(256).leakyRelu(0.2)
                .linear(1).sigmoid().build(Device.cpu())
    }

    // ---- conditional GANs -------------------------------------------------------------------

    /**
     * S1 L1111-1134: cat(noise, Embedding(10, 10)(label)) -> Linear(110,128) ReLU Linear(128,256)
     * BatchNorm1d(256, 0.8) ReLU Linear(256,512) BatchNorm1d(512, 0.8) ReLU Linear(512,784) Tanh,
     * viewed as (1, 28, 28). The seed's second argument 0.8 is eps; this uses PyTorch's default
     * eps 1e-5 (checklist section 6 item 4), which changes no parameter count.
     */
    static Network s1CganGenerator() {
        Network.builder("S1 CGAN G").input(100).embeddedLabel(10, 10)
                .linear(128).relu()
                .linear(256).batchNorm().relu()
                .linear(512).batchNorm().relu()
                .linear(784).tanh().reshape(1, 28, 28).build(Device.cpu())
    }

    /** S1 L1136-1155: cat(img.view(B, -1), Embedding(10, 10)(label)) -> Linear(794,512) LReLU Linear(512,256) LReLU Linear(256,1) Sigmoid. */
    static Network s1CganDiscriminator() {
        Network.builder("S1 CGAN D").input(1, 28, 28).flatten().embeddedLabel(10, 10)
                .linear(512).leakyRelu(0.2).linear(256).leakyRelu(0.2).linear(1).sigmoid().build(Device.cpu())
    }

    /** S3 L583-627 (z_dim 100 assumed): cat(noise, one-hot) -> Linear(110,256) LReLU Linear(256,512) LReLU Linear(512,1024) LReLU Linear(1024,784) Tanh. */
    static Network s3CganGenerator() {
        Network.builder("S3 CGAN G").input(100).oneHotLabel(10)
                .linear(256).leakyRelu(0.2).linear(512).leakyRelu(0.2).linear(1024).leakyRelu(0.2)
                .linear(784).tanh().build(Device.cpu())
    }

    /** S3 L583-627: cat(image, one-hot) -> Linear(794,512) LReLU Dropout(0.3) Linear(512,256) LReLU Dropout(0.3) Linear(256,1) Sigmoid. */
    static Network s3CganDiscriminator() {
        Network.builder("S3 CGAN D").input(784).oneHotLabel(10)
                .linear(512).leakyRelu(0.2).dropout(0.3).linear(256).leakyRelu(0.2).dropout(0.3)
                .linear(1).sigmoid().build(Device.cpu())
    }

    // ---- seed 002 (S2), the DCGAN notebook ------------------------------------------------------

    /**
     * S2 L150-186, make_generator_network(100, 32), input (100, 1, 1):
     * ConvT(100,128,4,1,0) BN LReLU; ConvT(128,64,3,2,1) BN LReLU; ConvT(64,32,4,2,1) BN LReLU;
     * ConvT(32,1,4,2,1) Tanh; every ConvT without bias.
     */
    static Network dcgan002Generator() {
        Network.builder("S2 DCGAN G").input(100, 1, 1)
                .add(new ConvTranspose2d(128, 4).stride(1).padding(0).bias(false)).batchNorm().leakyRelu(0.2)
                .add(new ConvTranspose2d(64, 3).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2)
                .add(new ConvTranspose2d(32, 4).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2)
                .add(new ConvTranspose2d(1, 4).stride(2).padding(1).bias(false)).tanh()
                .build(Device.cpu())
    }

    /**
     * S2 L188-223, Discriminator(32) with dropout 0.2, the inner nn.Sequential only:
     * Conv(1,32,4,2,1) LReLU Drop; Conv(32,64,4,2,1) BN LReLU Drop; Conv(64,128,3,2,1) BN LReLU Drop;
     * Conv(128,1,4,1,0) Sigmoid; every Conv without bias. Output (1, 1, 1); the seed's forward then
     * views it as (B, 1), which {@link #dcgan002Discriminator} adds as a flatten.
     */
    static Network dcgan002DiscriminatorBody() {
        Network.builder("S2 DCGAN D").input(1, 28, 28)
                .add(new Conv2d(32, 4).stride(2).padding(1).bias(false)).leakyRelu(0.2).dropout(0.2)
                .add(new Conv2d(64, 4).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2).dropout(0.2)
                .add(new Conv2d(128, 3).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2).dropout(0.2)
                .add(new Conv2d(1, 4).stride(1).padding(0).bias(false)).sigmoid()
                .build(Device.cpu())
    }

    /** {@link #dcgan002DiscriminatorBody} followed by the forward's output.view(-1, 1): one probability per image. */
    static Network dcgan002Discriminator() {
        Network.builder("S2 DCGAN D").input(1, 28, 28)
                .add(new Conv2d(32, 4).stride(2).padding(1).bias(false)).leakyRelu(0.2).dropout(0.2)
                .add(new Conv2d(64, 4).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2).dropout(0.2)
                .add(new Conv2d(128, 3).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2).dropout(0.2)
                .add(new Conv2d(1, 4).stride(1).padding(0).bias(false)).sigmoid()
                .flatten()
                .build(Device.cpu())
    }

    // ---- seed 004 (S4), the compact DCGAN -----------------------------------------------------

    /** S4 L14-27: Linear(100, 256*7*7) Unflatten(256,7,7) ConvT(256,128,4,2,1) BN ReLU ConvT(128,1,4,2,1) Tanh. */
    static Network dcgan004Generator() {
        Network.builder("S4 DCGAN G").input(100)
                .linear(256 * 7 * 7).reshape(256, 7, 7)
                .add(new ConvTranspose2d(128, 4).stride(2).padding(1).bias(false)).batchNorm().relu()
                .add(new ConvTranspose2d(1, 4).stride(2).padding(1).bias(false)).tanh()
                .build(Device.cpu())
    }

    /** S4 L29-44: Conv(1,64,4,2,1) LReLU Conv(64,128,4,2,1) BN LReLU Conv(128,256,4,2,1) BN LReLU Flatten Linear(2304, 1): a logit. */
    static Network dcgan004Discriminator() {
        Network.builder("S4 DCGAN D").input(1, 28, 28)
                .add(new Conv2d(64, 4).stride(2).padding(1).bias(false)).leakyRelu(0.2)
                .add(new Conv2d(128, 4).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2)
                .add(new Conv2d(256, 4).stride(2).padding(1).bias(false)).batchNorm().leakyRelu(0.2)
                .flatten().linear(1)
                .build(Device.cpu())
    }

    // ---- seed 001 (S1), stabilisers: SNGAN and PacGAN (ch. 4.5 and 4.7) ------------------------

    /**
     * S1 L2051-2079, SNGAN_Discriminator on (3, 64, 64): spectral_norm(Conv(3,64,4,2,1)) LReLU(0.2);
     * SN(Conv(64,128,4,2,1)) LReLU; SN(Conv(128,256,4,2,1)) LReLU; SN(Conv(256,512,4,2,1)) LReLU;
     * Conv(512,1,4,1,0) without SN; Sigmoid. Output (1, 1, 1).
     */
    static Network snganDiscriminator() {
        Network.builder("S1 SNGAN D").input(3, 64, 64)
                .add(new Conv2d(64, 4).stride(2).padding(1).spectralNorm()).leakyRelu(0.2)
                .add(new Conv2d(128, 4).stride(2).padding(1).spectralNorm()).leakyRelu(0.2)
                .add(new Conv2d(256, 4).stride(2).padding(1).spectralNorm()).leakyRelu(0.2)
                .add(new Conv2d(512, 4).stride(2).padding(1).spectralNorm()).leakyRelu(0.2)
                .conv2d(1, 4, 1, 0).sigmoid()
                .build(Device.cpu())
    }

    /**
     * S1 L2204-2281, PacDiscriminator(pack_size=2) on the generator's 784-value samples: packs of 2
     * (the seed's x.view(B, -1) of fake.view(-1, 2, 784)) -> Linear(1568,512) LReLU(0.2)
     * Linear(512,256) LReLU(0.2) Linear(256,1) Sigmoid. A batch of N samples gives N / 2 verdicts.
     */
    static Network pacDiscriminator() {
        Network.builder("S1 PacGAN D").input(784).pack(2)
                .linear(512).leakyRelu(0.2).linear(256).leakyRelu(0.2).linear(1).sigmoid()
                .build(Device.cpu())
    }
}
