package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * PacGAN's packing (Lin et al., 2018), the first layer of a packed discriminator: m consecutive
 * samples of the batch become one, concatenated along the channel (or feature) axis, so the
 * discriminator judges m samples at once, all real or all fake, and a generator that collapses
 * onto few modes is easier to catch.
 *
 * <p>Per sample, (C, ...) becomes (m·C, ...): shapes, listings and summaries count features ×m.
 * The batch shrinks by m: a batch of N samples gives N / m verdicts, so N must be a multiple of m.
 * Samples 0..m-1 form the first pack, m..2m-1 the second, and so on; a pack of flat vectors is
 * exactly the paper code's {@code x.view(-1, m * 784)}. Real and fake batches are packed alike,
 * since each goes through the discriminator on its own. The whole batch is used: the seed's
 * PacGAN drew {@code batch_size // pack_size} real samples and so packed half as many real packs as
 * fake ones (seed checklist section 6 item 8); a layer that packs whatever batch it is given cannot
 * make that mistake.
 *
 * <p>Packing cannot be combined with class-label conditioning (a pack would hold m labels): a
 * network with both is refused when built, and a labelled batch is refused when it arrives.
 */
public final class Pack extends Layer {

    private final int size;

    /** Packs {@code m} samples into one (PacGAN's m; m = 1 leaves the batch as it is). */
    public Pack(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("pack needs a pack size of at least 1 (PacGAN uses 2 to 4), got " + m);
        }
        this.size = m;
    }

    /** The number of samples per pack, m. */
    public int size() {
        return size;
    }

    @Override
    public String typeName() {
        return "Pack";
    }

    @Override
    public String describe() {
        return "Pack(pack_size=" + size + ")";
    }

    @Override
    protected Shape inferOutputShape(Shape input) {
        long[] dims = input.getShape().clone();
        dims[0] *= size;
        return new Shape(dims);
    }

    @Override
    public NDArray forward(NDArray x, ForwardContext context) {
        if (context.labels() != null) {
            throw new ShapeException(describe() + " cannot take a batch with class labels: PacGAN packing of a"
                    + " conditional discriminator is not supported (remove the condition or the packing)");
        }
        long batch = x.getShape().get(0);
        if (batch % size != 0) {
            throw new ShapeException(describe() + " packs " + size + " samples into one, so it needs a batch that is a"
                    + " multiple of " + size + ", but the batch has " + batch + " samples: use a batch size divisible by "
                    + size + " (the data loader drops the last, incomplete batch)");
        }
        // (N, C, ...) -> (N/m, m·C, ...): samples are contiguous, so this is a view, no copy
        return x.reshape(Shapes.batched(batch / size, outputShape()));
    }
}
