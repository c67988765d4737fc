package dev.ganymede.dsl

import dev.ganymede.engine.loss.Losses
import groovy.transform.CompileStatic

/**
 * One line of help per word of the .gan language, with an example. The REPL's /help, `gan help
 * WORD` and docs/language.md all print this text, so they cannot drift apart.
 */
@CompileStatic
final class LanguageHelp {
    private LanguageHelp() {}

    static final Map<String, String> WORDS = [
            data         : "data 'digits' — the training data: 'digits' (built in), 'fashion-mnist', 'gaussian-1d', 'ring', 'grid', 'folder:PATH'",
            latent       : 'latent 100 — N(0, 1) noise; latent 100, uniform(-1, 1); latent 100, 1, 1 for a (100, 1, 1) shape',
            generator    : 'generator { ... } — its layers, from the noise to a sample',
            discriminator: 'discriminator { ... } — its layers, from a sample to a verdict',
            encoder      : "encoder { flatten; linear 256; relu; linear 16 } — an autoencoder's encoder, from a sample to its code: latent numbers per sample, or for loss 'vae' 2 × latent (the mean, then the log-variance of q(z|x))",
            decoder      : "decoder { linear 256; relu; linear 784; tanh; reshape 1, 28, 28 } — an autoencoder's decoder, from the code to a sample; samples and gan sample decode codes drawn from the latent prior",
            linear       : 'linear 256 — a fully connected layer (dense is the same); bias: false drops the bias, spectralNorm: true normalises its weight',
            dense        : 'dense 256 — Keras\'s name for linear',
            conv         : 'conv 64, kernel: 4, stride: 2, padding: 1, bias: false — a 2-d convolution; spectralNorm: true as in SNGAN',
            convT        : 'convT 64, kernel: 4, stride: 2, padding: 1, outputPadding: 0 — a transposed convolution, output (n-1)s-2p+k+op; spectralNorm: true',
            batchNorm    : 'batchNorm — batch normalisation (eps: 1e-5, momentum: 0.1, affine: true)',
            dropout      : 'dropout 0.2 — zero activations with probability p while training',
            relu         : 'relu — max(0, x)',
            leakyRelu    : 'leakyRelu 0.2 — x for x > 0, 0.2x otherwise',
            tanh         : 'tanh — the usual generator output for data in [-1, 1]',
            sigmoid      : 'sigmoid — squashes into (0, 1): D\'s last layer for loss \'bce\' on probabilities; every other loss reads D\'s raw score and refuses it',
            flatten      : 'flatten — one vector per sample',
            reshape      : 'reshape 256, 7, 7 — a new per-sample shape',
            upsample     : "upsample 2 — nearest neighbour; upsample 2, mode: 'bilinear'",
            spectralNorm : 'spectralNorm: true — an option of linear, conv, convT, maxout, minibatchDiscrimination and a learned label embedding (SNGAN, PyTorch\'s spectral_norm): the layer computes with W / σ(W), σ its largest singular value, estimated by one power-iteration step per training pass; the vectors u and v are saved with the model, not trained',
            maxout       : 'maxout 200, pieces: 5 — a linear map to 200·5 values, then the largest of each 5 (Goodfellow et al.): its own activation, as in the PacGAN mixture discriminators; bias:, spectralNorm:',
            pack         : 'pack 2 — PacGAN: first layer of the discriminator, which then judges 2 samples at once, concatenated along channels or features; it sees batch / 2 packs, so the batch must be a multiple of 2; not with label',
            minibatchDiscrimination: 'minibatchDiscrimination kernels: 50, dims: 5 — appends to each feature vector its closeness to the rest of the batch, 50 values (Salimans et al. 2016); dims defaults to 5; spectralNorm: true normalises its tensor T',
            minibatchStd : 'minibatchStd — appends the mean standard deviation over the batch as one more feature or feature map (ProGAN); no parameters',
            label        : 'label classes: 10 — concatenate the one-hot class (embedding: 10 for a learned one, spectralNorm: true to normalise its table); makes the GAN conditional',
            init         : "init 'dcgan' — weight initialisation: 'pytorch' (default), 'dcgan' (N(0, 0.02), BatchNorm γ ~ N(1, 0.02)), 'normal' (N(0, 0.02), BatchNorm γ = 1), 'xavier', 'kaiming'",
            loss         : lossHelp() + " For an autoencoder: 'mse' (default), 'l1', or 'vae' = reconstruction + β·KL(q(z|x) ‖ N(0, I)) with reconstruction: 'mse' | 'l1' | 'bce' and beta: 1",
            compare      : "compare loss: ['bce', 'wasserstein', 'hinge'] — gan run trains the script once per value (any --set key, or a params key the script reads), each run in a sub-folder of the run folder, and plots all their D and G losses in loss-comparison.png",
            train        : 'train { batch 64; epochs 5; generator adam(lr: 2e-4, betas: [0.5, 0.999]); discriminator adam(lr: 2e-4); dSteps 1; freshNoise }',
            every        : 'every(1.epoch) { samples 64; plots; checkpoint; metrics fd: 5000 } — what to write while training',
            checkpoint   : 'checkpoint (inside every { }) — save the whole training state (networks, optimiser moments, stabilisers, data position) at the end of every epoch, whatever the interval, into RUN_DIR/checkpoint; gan resume RUN_DIR, or /resume in gan-repl, continues a run stopped part-way (gan run --checkpoint does the same for any script)',
            metrics      : 'metrics fd: 5000 (inside every { }) — FD of 5,000 samples, classifier score and class KL to uniform in evaluation.csv, before the first step and at each interval; kid: true adds KID, prdc: true precision/recall/density/coverage, keepBest: true saves generator-best.params when FD improves; on toy data metrics modes: 2500 (ring, grid: modes captured, high-quality fraction, reverse KL) or metrics w1: 2500 (gaussian-1d: mean, std, W1)',
            seed         : 'seed 1 — the random seed of networks, noise and data order',
            params       : "params.width — a value given with --set width=64 (a string, or null)",
            schedule     : "schedule 'step', every: 10, gamma: 0.5 (inside train { }; lengths in epochs, or as 5000.steps) — also 'linear', hold: 100, decay: 100 and 'exponential', gamma: 0.95",
            clipWeights  : 'clipWeights 0.01 (inside train { }) — WGAN: clamp every critic weight to [-0.01, 0.01] after its update',
            gradientPenalty: "gradientPenalty 10 (inside train { }) — WGAN-GP: 10·E[(‖∇D(x̂)‖ − 1)²] at random interpolates, one α per sample; at: 'real'/'fake', target: 0 for zero-centred",
            r1           : 'r1 10 (inside train { }) — R1 (Mescheder et al. 2018): 10/2·E[‖∇D(x)‖²] at real samples — scripts/r1.gan',
            r2           : 'r2 10 (inside train { }) — R2 (Mescheder et al. 2018): 10/2·E[‖∇D(G(z))‖²] at generated samples — scripts/r1.gan --set penalty=r2',
            instanceNoise: 'instanceNoise 0.05, anneal: 10.epochs (inside train { }) — Gaussian noise on everything D sees, its std falling linearly to 0',
            flipLabels   : 'flipLabels 0.05 (inside train { }) — D judges each real/fake pair with swapped labels with probability 0.05',
            replay       : 'replay 50, probability: 0.5 (inside train { }) — experience replay: a pool of 50 past fakes shown to D in place of new ones',
            ema          : 'ema 0.999 (inside train { }) — sample from an exponential moving average of the generator\'s weights',
            unrolled     : 'unrolled 5 (inside train { }) — unrolled GAN: G is updated against D after 5 look-ahead steps, then D is put back; unrolled 5, secondOrder: true differentiates G\'s gradient through the 5 steps (the paper\'s form; about 2.7 times slower a step)',
            updates      : "updates 'simultaneous' (inside train { }) — both players' gradients from one batch at the same weights, then both steps (ALI, the PacGAN authors' code); 'alternating' (default): D first, then G against the updated D",
            featureMatching: 'featureMatching (inside train { }) — G minimises ‖E f(x) − E f(G(z))‖² for D\'s features before its classifier; layers: 2 picks them',
            clipGradients: "clipGradients 0.01 or clipGradients norm: 1.0, of: 'discriminator' (inside train { }) — clamp gradient values, or rescale their global norm",
            without      : "without 'ema', 'unrolled' (inside train { }) — takes back what earlier words added: a stabiliser, unrolled, featureMatching, clipGradients, updates or schedule; in gan-repl a trained GAN goes on without them from its next step",
            optimizer    : 'optimizer adam(lr: 1e-4) (inside train { }) — the same optimiser setting for both networks, each with its own state; encoder adam(...) and decoder adam(...) set one each',
            adam         : 'adam(lr: 2e-4, betas: [0.5, 0.999], weightDecay: 0)',
            sgd          : 'sgd(lr: 0.01, momentum: 0.9)',
            rmsprop      : 'rmsprop(lr: 5e-5, alpha: 0.99)',
    ].asImmutable()

    /**
     * The techniques of the papers and seeds by their own names, each as the words that declare it
     * and the script that shows it: `gan help ttur` answers what TTUR is in a .gan script.
     */
    static final Map<String, String> TECHNIQUES = [
            'wgan'             : "WGAN (Arjovsky et al. 2017): loss 'wasserstein', clipWeights 0.01, dSteps 5, rmsprop(lr: 5e-5) for both players — scripts/wgan.gan",
            'wgan-gp'          : "WGAN-GP (Gulrajani et al. 2017): loss 'wasserstein', gradientPenalty 10, dSteps 5, the paper's adam(lr: 1e-4, betas: [0.0, 0.9]) — scripts/wgan-gp.gan",
            'lsgan'            : "LSGAN (Mao et al. 2017): loss 'lsgan' (targets a: 0, b: 1, c: 1; a: -1, b: 1, c: 0 for the Pearson χ² form) — scripts/lsgan.gan",
            'sngan'            : 'SNGAN (Miyato et al. 2018): spectralNorm: true on the discriminator\'s linear, conv, maxout or minibatchDiscrimination layers, or its learned label embedding — scripts/sngan.gan',
            'pacgan'           : 'PacGAN (Lin et al. 2018): pack 2 as the discriminator\'s first layer, which then judges 2 samples at once, real and fake packed alike — scripts/pacgan.gan, mixture-pacgan2.gan, mixture-pacgan4.gan',
            'unrolled-gan'     : 'Unrolled GAN (Metz et al. 2017): unrolled 5 inside train { } (first order), unrolled 5, secondOrder: true (through the look-ahead updates, as the paper) — scripts/unrolled.gan, mixture-unrolled.gan, mixture-unrolled-second-order.gan',
            'ttur'             : 'TTUR, two time-scale update rule (Heusel et al. 2017): a learning rate per player, e.g. SAGAN\'s generator adam(lr: 1e-4, betas: [0.0, 0.9]) and discriminator adam(lr: 4e-4, betas: [0.0, 0.9]) inside train { } (seed 001 has D 4e-4, G 1e-4); on any script --set lr.g=1e-4 --set lr.d=4e-4 changes the rates and keeps its betas — scripts/hinge.gan, lsgan.gan, loss-comparison.gan',
            'label-smoothing'  : "one-sided label smoothing (Salimans et al. 2016): loss 'bce', realLabel: 0.9 — D's target for real samples is 0.9, its fake target 0 and the generator's target 1 are unchanged; fakeLabel: 0.1 smooths both sides (seed 001's 0.9 / 0.1) — scripts/dcgan-tricks.gan",
            'label-flipping'   : 'label flipping: flipLabels 0.05 inside train { } — scripts/dcgan-tricks.gan',
            'noise-injection'  : 'noise injection, or instance noise (seed 001 ch. 4.8; Sønderby et al. 2016): instanceNoise 0.05, anneal: 1.epoch inside train { } — scripts/regularisers.gan',
            'experience-replay': 'experience replay of past fakes: replay 64 inside train { } — scripts/regularisers.gan, dcgan-tricks.gan',
            'gradient-clipping': "gradient clipping: clipGradients 0.01 (values, as seed 001's clamp_) or clipGradients norm: 1.0 inside train { } — scripts/regularisers.gan",
            'weight-clipping'  : "weight clipping: clipWeights 0.01 inside train { } (WGAN's constraint on the critic) — scripts/wgan.gan",
            'zero-centred'     : 'zero-centred gradient penalty (Thanh-Tung et al. 2019): gradientPenalty 10, target: 0 inside train { } — scripts/r1.gan --set penalty=zero-centred',
            'non-saturating'   : "the non-saturating generator loss −E[log D(G(z))]: loss 'bce' (the default); loss 'minimax' for the saturating E[log(1 − D(G(z)))] — scripts/minimax.gan compares them",
            'f-gan'            : "f-GAN (Nowozin et al. 2016): loss 'kl', 'reverse-kl', 'js', 'pearson' or 'hellinger' — scripts/fgan.gan (--set divergence=js), kl-gan.gan",
    ].asImmutable()

    /** Every word and technique with help. */
    static List<String> topics() {
        new ArrayList<String>(WORDS.keySet() + TECHNIQUES.keySet())
    }

    /**
     * " (did you mean ...?)" for a topic nobody wrote help for, among the words, the techniques and
     * {@code others}: the nearest by spelling, else the one name the topic is a part of
     * ('smoothing' is part of label-smoothing; 'gradient' of gradientPenalty and gradient-clipping,
     * so nothing is guessed); '' when nothing fits.
     */
    static String didYouMean(String topic, Collection<String> others) {
        List<String> known = topics() + new ArrayList<String>(others)
        String near = Words.didYouMean(topic, known)
        if (near) {
            return near
        }
        List<String> having = known.findAll { String k -> topic.toLowerCase(Locale.ROOT) in parts(k) }
        having.size() == 1 ? " (did you mean ${having[0]}?)".toString() : ''
    }

    /** A name's parts, lower case: label-smoothing is [label, smoothing], gradientPenalty [gradient, penalty]. */
    static List<String> parts(String name) {
        name.replaceFirst('^/', '').split(/-|(?<=[a-z0-9])(?=[A-Z])/).collect { String p -> p.toLowerCase(Locale.ROOT) }
    }

    /**
     * The loss word: how to write it, then one line per loss with both players' formulas, its other
     * names and its options, from the engine's own descriptions.
     */
    static String lossHelp() {
        StringBuilder sb = new StringBuilder("loss 'hinge' — the adversarial loss; options follow the name: loss 'lsgan', a: -1, b: 1, c: 0. ")
        sb.append("Without a loss word the loss is 'bce'. 'bce' and 'minimax' read probabilities when D ends in sigmoid, logits otherwise; ")
        sb.append('every other loss reads D\'s raw score, so D must not end in sigmoid.')
        for (String name : Losses.names()) {
            List<String> aliases = Losses.aliases(name)
            List<String> options = Losses.options(name)
            sb.append('\n  ').append(name)
            if (!aliases.isEmpty()) sb.append(' (also ').append(aliases.join(', ')).append(')')
            sb.append(': ').append(Losses.named(name).describe())
            if (!options.isEmpty()) sb.append(' — options ').append(options.collect { it + ':' }.join(', '))
        }
        sb.toString()
    }

    /** The help of one word, or of a technique by its name in any case ('TTUR', 'wgan-gp'), or null. */
    static String of(String word) {
        WORDS[word] ?: (word == null ? null : TECHNIQUES[word.toLowerCase(Locale.ROOT).replace('_', '-')])
    }

    /** The whole language as a Markdown page. */
    static String markdown() {
        StringBuilder md = new StringBuilder()
        md.append('<!-- Generated by `./gan docs` from dsl/src/main/groovy/dev/ganymede/dsl/LanguageHelp.groovy. Do not edit. -->\n\n')
        md.append('# The .gan language\n\n')
        md.append('A `.gan` script is plain Groovy whose base class provides these words. They are listed in the order a GAN is ')
        md.append('thought about: data, latent noise, the two networks and their layers, the loss, the training schedule, outputs. ')
        md.append('The same text answers `/help WORD` in gan-repl and `gan help WORD` on the command line.\n\n')
        md.append('| word | what it does, with an example |\n| --- | --- |\n')
        WORDS.each { String word, String text ->
            md.append('| `').append(word).append('` | ').append(text.replace('|', '\\|').replace('\n', '<br>')).append(' |\n')
        }
        md.append('\n## Techniques by name\n\n')
        md.append('The papers\' and seeds\' names for techniques, as the words that declare them (`gan help ttur`, `/help ttur`).\n\n')
        md.append('| technique | how to write it |\n| --- | --- |\n')
        TECHNIQUES.each { String name, String text ->
            md.append('| `').append(name).append('` | ').append(text.replace('|', '\\|')).append(' |\n')
        }
        md.toString()
    }
}
