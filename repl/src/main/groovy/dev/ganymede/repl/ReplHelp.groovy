package dev.ganymede.repl

import dev.ganymede.dsl.ScriptRunner
import dev.ganymede.dsl.Words
import groovy.transform.CompileStatic

/** The help text of /help: commands, and each word of the language with an example. */
@CompileStatic
final class ReplHelp {
    private ReplHelp() {}

    static final Map<String, String> WORDS = [
            data         : "data 'digits' — the training data: 'digits' (built in), 'fashion-mnist', 'gaussian-1d', 'ring', 'grid', 'folder:PATH'",
            latent       : 'latent 100 — N(0, 1) noise; latent 100, uniform(-1, 1); latent 100, 1, 1 for a (100, 1, 1) shape',
            generator    : 'generator { ... } — its layers, from the noise to a sample',
            discriminator: 'discriminator { ... } — its layers, from a sample to a verdict',
            linear       : 'linear 256 — a fully connected layer (dense is the same); bias: false drops the bias',
            dense        : 'dense 256 — Keras\'s name for linear',
            conv         : 'conv 64, kernel: 4, stride: 2, padding: 1, bias: false — a 2-d convolution',
            convT        : 'convT 64, kernel: 4, stride: 2, padding: 1, outputPadding: 0 — a transposed convolution, output (n-1)s-2p+k+op',
            batchNorm    : 'batchNorm — batch normalisation (eps: 1e-5, momentum: 0.1, affine: true)',
            dropout      : 'dropout 0.2 — zero activations with probability p while training',
            relu         : 'relu — max(0, x)',
            leakyRelu    : 'leakyRelu 0.2 — x for x > 0, 0.2x otherwise',
            tanh         : 'tanh — the usual generator output for data in [-1, 1]',
            sigmoid      : 'sigmoid — a probability; use with loss \'bce\'',
            flatten      : 'flatten — one vector per sample',
            reshape      : 'reshape 256, 7, 7 — a new per-sample shape',
            upsample     : "upsample 2 — nearest neighbour; upsample 2, mode: 'bilinear'",
            label        : 'label classes: 10 — concatenate the one-hot class (embedding: 10 for a learned one); makes the GAN conditional',
            init         : "init 'dcgan' — weight initialisation: 'pytorch' (default), 'dcgan' (N(0, 0.02)), 'xavier', 'kaiming'",
            loss         : "loss 'bce' — 'bce' (D ends in sigmoid), 'bce-logits', 'minimax'; options realLabel: 0.9, halve: true",
            train        : 'train { batch 64; epochs 5; generator adam(lr: 2e-4, betas: [0.5, 0.999]); discriminator adam(lr: 2e-4); dSteps 1; freshNoise }',
            every        : 'every(1.epoch) { samples 64; plots; checkpoint } — what to write while training',
            seed         : 'seed 1 — the random seed of networks, noise and data order',
            params       : "params.width — a value given with --set width=64 (a string, or null)",
            schedule     : "schedule 'step', every: 10, gamma: 0.5 (inside train { }) — also 'linear', hold: 100, decay: 100 and 'exponential', gamma: 0.95",
            adam         : 'adam(lr: 2e-4, betas: [0.5, 0.999], weightDecay: 0)',
            sgd          : 'sgd(lr: 0.01, momentum: 0.9)',
            rmsprop      : 'rmsprop(lr: 5e-5, alpha: 0.99)',
    ].asImmutable()

    static String text(String topic) {
        if (topic == null) {
            StringBuilder sb = new StringBuilder('Commands:\n')
            GanRepl.COMMANDS.each { k, v -> sb.append(String.format('  %-9s %s%n', k, v)) }
            sb.append('\nWords of the language (/help WORD for one):\n  ')
            sb.append(ScriptRunner.ALL_WORDS.join(', ')).append('\n')
            sb.append('\nAnything else is Groovy: variables, loops and functions persist for the session.\n')
            return sb.toString()
        }
        String t = topic.startsWith('/') ? topic : topic
        if (GanRepl.COMMANDS.containsKey('/' + t) || GanRepl.COMMANDS.containsKey(t)) {
            String k = t.startsWith('/') ? t : '/' + t
            return "${k}: ${GanRepl.COMMANDS[k]}\n".toString()
        }
        if (WORDS.containsKey(t)) {
            return WORDS[t] + '\n'
        }
        "no help on '${topic}'${Words.didYouMean(topic, WORDS.keySet() + GanRepl.COMMANDS.keySet())}\n".toString()
    }
}
