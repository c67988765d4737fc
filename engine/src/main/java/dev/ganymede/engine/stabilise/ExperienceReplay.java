package dev.ganymede.engine.stabilise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.train.Stabiliser;
import dev.ganymede.engine.train.StepContext;
import dev.ganymede.engine.train.Trainer;
import java.util.Random;

/**
 * Experience replay of past fakes (seed 001 ch. 4.8; Shrivastava et al. 2017), with the image
 * pool of CycleGAN's PyTorch code: until the pool holds {@code capacity} fakes, each new fake is
 * stored and shown; after that, each fake is shown with probability 1 − p, or with probability p
 * an older fake from a random slot is shown instead and the new one takes its slot. The
 * discriminator then keeps seeing what the generator used to produce. Each look-ahead update of
 * an unrolled GAN draws its own mix of replayed and new fakes, as a real update would, but leaves
 * the pool as it was.
 */
public final class ExperienceReplay implements Stabiliser {

    private final int capacity;
    private final double probability;
    private NDManager poolScope;
    private NDArray pool;
    private NDArray poolLabels;

    public ExperienceReplay(int capacity, double probability) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the replay pool needs room for at least one fake, got " + capacity);
        }
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("the replay probability must be in (0, 1], got " + probability);
        }
        this.capacity = capacity;
        this.probability = probability;
    }

    @Override
    public String describe() {
        return "experience replay, pool of " + capacity + " fakes, replay probability " + probability;
    }

    @Override
    public void attach(Trainer trainer) {
        poolScope = trainer.gan().generator().manager().newSubManager();
    }

    /** Fakes held in the pool. */
    public int size() {
        return pool == null ? 0 : (int) pool.getShape().get(0);
    }

    /** The fakes held, one per row (null while empty); the pool's own array, to look at, not to keep. */
    public NDArray pool() {
        return pool;
    }

    @Override
    public LabelledBatch discriminatorFakes(LabelledBatch fakes, StepContext c) {
        NDManager scope = c.scope();
        int held = size();
        int batch = (int) fakes.samples().getShape().get(0);
        Random random = c.random();
        // rows of [pool ; new fakes]: what is shown, and what the pool keeps
        long[] shown = new long[batch];
        long[] slots = new long[Math.min(capacity, held + batch)];
        for (int j = 0; j < held; j++) {
            slots[j] = j;
        }
        int filled = held;
        for (int i = 0; i < batch; i++) {
            long fresh = held + i;
            if (filled < capacity) {
                slots[filled++] = fresh;
                shown[i] = fresh;
            } else if (random.nextDouble() < probability) {
                int slot = random.nextInt(capacity);
                shown[i] = slots[slot];
                slots[slot] = fresh;
            } else {
                shown[i] = fresh;
            }
        }
        NDArray all = held == 0 ? fakes.samples() : own(scope, NDArrays.concat(new NDList(pool, fakes.samples())));
        NDArray allLabels = null;
        if (fakes.labels() != null) {
            allLabels = held == 0 ? fakes.labels() : own(scope, NDArrays.concat(new NDList(poolLabels, fakes.labels())));
        }
        NDArray shownIndex = own(scope, scope.create(shown));
        LabelledBatch result = new LabelledBatch(own(scope, all.get(shownIndex)),
                allLabels == null ? null : own(scope, allLabels.get(shownIndex)));
        if (c.isLookAhead()) {
            return result; // an unrolled GAN's look-ahead is undone: the pool keeps nothing of it
        }
        NDArray slotIndex = own(scope, scope.create(slots));
        NDArray newPool = all.get(slotIndex);
        newPool.attach(poolScope);
        if (pool != null) {
            pool.close();
        }
        pool = newPool;
        if (allLabels != null) {
            NDArray newLabels = allLabels.get(slotIndex);
            newLabels.attach(poolScope);
            if (poolLabels != null) {
                poolLabels.close();
            }
            poolLabels = newLabels;
        }
        return result;
    }

    /** The pool (and its labels for a conditional GAN); nothing while it is empty. */
    @Override
    public java.util.Map<String, NDArray> state() {
        java.util.Map<String, NDArray> named = new java.util.LinkedHashMap<>();
        if (pool != null) {
            named.put("pool", pool);
        }
        if (poolLabels != null) {
            named.put("pool.labels", poolLabels);
        }
        return named;
    }

    @Override
    public void restoreState(java.util.Map<String, NDArray> saved) {
        pool = copyIntoPool(saved.get("pool"), pool);
        poolLabels = copyIntoPool(saved.get("pool.labels"), poolLabels);
    }

    private NDArray copyIntoPool(NDArray saved, NDArray old) {
        if (saved == null) {
            return old;
        }
        if (old != null) {
            old.close();
        }
        NDArray copy = saved.duplicate();
        copy.attach(poolScope);
        return copy;
    }

    private static NDArray own(NDManager scope, NDArray a) {
        a.attach(scope);
        return a;
    }

    @Override
    public void close() {
        if (poolScope != null) {
            poolScope.close();
        }
    }
}
