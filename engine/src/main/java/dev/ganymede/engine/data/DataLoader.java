package dev.ganymede.engine.data;

import dev.ganymede.engine.GanymedeException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Endless batches over a {@link Dataset}, epoch after epoch.
 *
 * <pre>{@code
 * try (DataLoader loader = DataLoader.builder(dataset).batchSize(128).shuffle(true).seed(1).build()) {
 *     HostBatch batch = loader.next();   // epoch 0, batch 0
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Order</b>: with {@code shuffle}, every epoch visits the samples in a fresh random order
 *       drawn from one {@link java.util.Random} seeded with {@code seed}, so the same seed gives
 *       the same batches. Without it, samples come in index order.
 *   <li><b>Drop-last</b> (on by default): an epoch ends with the last full batch, so every batch
 *       has {@code batchSize} samples; the few left over are skipped for this epoch (with
 *       shuffling, other samples are left over next time). Off, the last batch of an epoch may be
 *       smaller.
 *   <li><b>Prefetching</b>: a background daemon thread assembles the next {@code prefetch} batches
 *       (2 by default) while the training thread works; {@code prefetch(0)} assembles batches on the
 *       calling thread. The order is the same either way. {@link #close()} stops the thread.
 * </ul>
 */
public final class DataLoader implements AutoCloseable {

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int batchesPerEpoch;
    private final Producer producer;
    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        int n = dataset.size();
        this.batchesPerEpoch = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        this.producer = new Producer(b.seed);
        producer.skip(b.skip);
        if (b.prefetch > 0) {
            queue = new ArrayBlockingQueue<>(b.prefetch);
            worker = new Thread(this::produceLoop, "ganymede-loader-" + dataset.name());
            worker.setDaemon(true);
            worker.start();
        } else {
            queue = null;
            worker = null;
        }
    }

    /** Starts configuring a loader over {@code dataset}. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** The data set batches are drawn from. */
    public Dataset dataset() {
        return dataset;
    }

    /** Samples per (full) batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether each epoch reshuffles the samples. */
    public boolean shuffle() {
        return shuffle;
    }

    /** Whether an incomplete last batch is skipped. */
    public boolean dropLast() {
        return dropLast;
    }

    /** Batches in one epoch: size / batchSize, rounded down with drop-last and up without. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /**
     * The next batch. Iteration never ends: after the last batch of an epoch comes batch 0 of the
     * next epoch, whose {@link HostBatch#epoch()} is one higher.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public HostBatch next() {
        if (closed) {
            throw new IllegalStateException("the data loader over '" + dataset.name() + "' is closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (worker == null) {
            return producer.produce();
        }
        try {
            while (true) {
                Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item instanceof HostBatch batch) {
                    return batch;
                }
                if (item instanceof RuntimeException e) {
                    failure = e;
                    throw e;
                }
                if (item instanceof Error e) {
                    throw e;
                }
                if (closed) {
                    throw new IllegalStateException("the data loader over '" + dataset.name() + "' is closed");
                }
                if (!worker.isAlive() && queue.isEmpty()) {
                    throw new IllegalStateException("the prefetch thread of the data loader over '"
                            + dataset.name() + "' has stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch of '" + dataset.name() + "'", e);
        }
    }

    /** Stops the prefetch thread (waiting up to a second for it) and refuses further batches. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.clear();
        }
    }

    /** The prefetch thread, or null without prefetching; for tests. */
    Thread workerThread() {
        return worker;
    }

    private void produceLoop() {
        try {
            while (!closed) {
                HostBatch batch;
                try {
                    batch = producer.produce();
                } catch (RuntimeException | Error e) {
                    queue.put(e);
                    return;
                }
                queue.put(batch);
            }
        } catch (InterruptedException e) {
            // close() asked us to stop
        }
    }

    /** The epoch order and the assembly of batches; used by one thread at a time. */
    private final class Producer {
        private final Random random;
        private final int[] order;
        private int epoch = -1;
        private int batchIndex;

        Producer(long seed) {
            random = new Random(seed);
            order = new int[dataset.size()];
        }

        /** Moves past {@code batches} batches without assembling them: the epochs' orders are drawn as they would be. */
        void skip(long batches) {
            for (long left = batches; left > 0; ) {
                if (epoch < 0 || batchIndex == batchesPerEpoch) {
                    startEpoch();
                }
                int step = (int) Math.min(left, batchesPerEpoch - batchIndex);
                batchIndex += step;
                left -= step;
            }
        }

        HostBatch produce() {
            if (epoch < 0 || batchIndex == batchesPerEpoch) {
                startEpoch();
            }
            int start = batchIndex * batchSize;
            int size = Math.min(batchSize, order.length - start);
            int sampleSize = (int) dataset.sampleShape().size();
            float[] data = new float[size * sampleSize];
            int[] labels = dataset.numClasses() > 0 ? new int[size] : null;
            for (int k = 0; k < size; k++) {
                int index = order[start + k];
                dataset.copySample(index, data, k * sampleSize);
                if (labels != null) {
                    labels[k] = dataset.label(index);
                }
            }
            return new HostBatch(data, labels, size, dataset.sampleShape(), epoch, batchIndex++);
        }

        private void startEpoch() {
            epoch++;
            batchIndex = 0;
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            if (shuffle) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
        }
    }

    /** Options of a {@link DataLoader}; see the class comment for what they do. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 64;
        private boolean shuffle = true;
        private boolean dropLast = true;
        private long seed = 0;
        private int prefetch = 2;
        private long skip;

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("a data loader needs a data set");
            }
            this.dataset = dataset;
        }

        /** Samples per batch (default 64). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle every epoch (default true). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Skip an incomplete last batch (default true). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Seed of the shuffling (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Batches prepared ahead on a background thread (default 2; 0 = no thread). */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("prefetch must be 0 (no background thread) or more, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /**
         * Starts after the first {@code batches} batches (default 0), exactly where a loader with the
         * same options would be after handing them out: how a resumed run finds its place in the data.
         */
        public Builder skip(long batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("the batches to skip must be 0 or more, got " + batches);
            }
            this.skip = batches;
            return this;
        }

        /** Checks the options and, with prefetching, starts the background thread. */
        public DataLoader build() {
            if (batchSize <= 0) {
                throw new GanymedeException("batch size must be positive, got " + batchSize);
            }
            if (dataset.size() <= 0) {
                throw new GanymedeException("the data set '" + dataset.name() + "' is empty");
            }
            if (dropLast && batchSize > dataset.size()) {
                throw new GanymedeException("batch size " + batchSize + " is larger than the data set '"
                        + dataset.name() + "' (" + dataset.size() + " samples): with drop-last no batch"
                        + " would ever be complete; use a batch size of at most " + dataset.size()
                        + " or turn drop-last off");
            }
            return new DataLoader(this);
        }
    }
}
