package dev.ganymede.engine.data

import ai.djl.ndarray.types.Shape
import dev.ganymede.engine.GanymedeException
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Timeout
import spock.lang.Title

@Title("DataLoader: endless batches, reshuffled every epoch, prepared on a background thread")
@Narrative("""
The trainer asks the loader for one batch after another and never runs out: after the last batch
of an epoch comes the first batch of the next, with a new random order. A batch (HostBatch) is
plain Java arrays: the samples one after the other, the labels (or null), its size, the shape of
a sample, and which epoch and which batch of that epoch it is.

Drop-last (on by default) keeps every batch full: 60,000 samples make 468 batches of 128, and the
96 left over are skipped for that epoch. While the trainer works on one batch, a daemon thread
already assembles the next ones; close() stops it.

Most specs use a counting data set whose sample i is just the number i.
""")
@Timeout(20)
class DataLoaderSpec extends Specification {

    def "#size samples in batches of #batch make #perEpoch batches per epoch #dropText"() {
        given:
        def loader = DataLoader.builder(new CountingDataset(size)).batchSize(batch).dropLast(dropLast).build()

        when: "one epoch and the first batch of the next are drawn"
        def batches = (0..perEpoch).collect { loader.next() }

        then:
        loader.batchesPerEpoch() == perEpoch
        batches[0..<perEpoch].every { it.epoch() == 0 }
        batches[0..<perEpoch]*.indexInEpoch() == (0..<perEpoch).toList()
        batches[perEpoch].epoch() == 1
        batches[perEpoch].indexInEpoch() == 0

        and: "all batches are full but perhaps the last of an epoch"
        batches[0..<perEpoch - 1].every { it.size() == batch }
        batches[perEpoch - 1].size() == lastSize

        cleanup:
        loader.close()

        where:
        size   | batch | dropLast || perEpoch | lastSize
        60_000 | 128   | true     || 468      | 128
        60_000 | 128   | false    || 469      | 96
        100    | 10    | true     || 10       | 10
        105    | 10    | true     || 10       | 10
        105    | 10    | false    || 11       | 5
        7      | 7     | true     || 1        | 7
        5      | 8     | false    || 1        | 5

        dropText = dropLast ? "with drop-last" : "without drop-last"
    }

    def "an epoch visits every sample once #description"() {
        given: "1000 samples in batches of 64"
        def loader = DataLoader.builder(new CountingDataset(1000)).batchSize(64).dropLast(dropLast).seed(3).build()

        when: "three epochs are drawn"
        def epochs = (0..<3).collect { (0..<loader.batchesPerEpoch()).collectMany { loader.next().data() as List } }

        then: "each epoch holds #seen different samples and no sample twice"
        epochs.every { it.size() == seen && it.toSet().size() == seen }

        and: "the order changes from one epoch to the next"
        epochs[0] != epochs[1] && epochs[1] != epochs[2]

        cleanup:
        loader.close()

        where:
        description                                | dropLast || seen
        "without drop-last"                        | false    || 1000
        "but 40 with drop-last (15 batches of 64)" | true     || 960
    }

    def "with drop-last, the 40 samples left out of an epoch are different each time"() {
        given:
        def loader = DataLoader.builder(new CountingDataset(1000)).batchSize(64).seed(3).build()

        when:
        def leftOut = (0..<3).collect {
            def seen = (0..<15).collectMany { loader.next().data() as List }
            (0..<1000).collect { it as float } - seen
        }

        then:
        leftOut.every { it.size() == 40 }
        leftOut.toSet().size() == 3

        cleanup:
        loader.close()
    }

    def "the same seed gives the same batches, with or without the prefetch thread"() {
        given:
        def order = { long seed, int prefetch ->
            def loader = DataLoader.builder(new CountingDataset(500)).batchSize(50).seed(seed).prefetch(prefetch).build()
            try {
                (0..<25).collect { loader.next().data() as List }
            } finally {
                loader.close()
            }
        }

        expect:
        order(1, 2) == order(1, 2)
        order(1, 2) == order(1, 0)
        order(1, 2) != order(2, 2)
    }

    def "without shuffling, samples come in index order every epoch"() {
        given:
        def loader = DataLoader.builder(new CountingDataset(6)).batchSize(4).shuffle(false).dropLast(false).build()

        expect:
        (0..<4).collect { loader.next().data() as List } == [[0f, 1f, 2f, 3f], [4f, 5f], [0f, 1f, 2f, 3f], [4f, 5f]]

        cleanup:
        loader.close()
    }

    def "a batch carries its samples, their labels and the shape of a sample"() {
        given:
        def loader = DataLoader.builder(new CountingDataset(30)).batchSize(8).seed(5).build()

        when:
        def batch = loader.next()

        then: "labels belong to the samples beside them"
        batch.labelled()
        (0..<8).every { batch.labels()[it] == (int) batch.data()[it] % 3 }

        and: "data holds size x sample size floats; shape() is the tensor shape"
        batch.data().length == 8
        batch.sampleShape() == new Shape(1)
        batch.sampleSize() == 1
        batch.shape() == new Shape(8, 1)

        cleanup:
        loader.close()
    }

    def "image batches are sample-major: sample k occupies floats k * 784 .. k * 784 + 783"() {
        given:
        def digits = SyntheticDigits.generate(40, 1)
        def loader = DataLoader.builder(digits).batchSize(16).shuffle(false).build()

        when:
        def batch = loader.next()
        float[] third = new float[784]
        digits.copySample(2, third, 0)

        then:
        batch.shape() == new Shape(16, 1, 28, 28)
        batch.data()[2 * 784..<3 * 784] == third as List
        batch.labels()[2] == digits.label(2)

        cleanup:
        loader.close()
    }

    def "unlabelled data gives batches without labels"() {
        given:
        def loader = DataLoader.builder(new CountingDataset(10, false)).batchSize(5).build()

        expect:
        loader.next().labels() == null

        cleanup:
        loader.close()
    }

    def "batches are prepared ahead on a daemon thread, which close() stops"() {
        given:
        def data = new CountingDataset(1000, true, "prefetch-demo")
        def loader = DataLoader.builder(data).batchSize(10).prefetch(2).build()
        def worker = loader.workerThread()

        when: "the loader is left alone for a moment"
        def deadline = System.currentTimeMillis() + 5000
        while (data.copies.get() < 20 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10)
        }

        then: "two batches were assembled before anyone asked, and no more than one beyond them"
        data.copies.get() >= 20
        data.copies.get() <= 30
        worker.daemon
        worker.name == "ganymede-loader-prefetch-demo"
        worker.alive

        when:
        loader.close()

        then: "the thread has ended and the loader refuses further batches"
        !worker.alive

        when:
        loader.next()

        then:
        def e = thrown(IllegalStateException)
        e.message == "the data loader over 'prefetch-demo' is closed"
    }

    def "prefetch(0) assembles batches on the calling thread, with no thread at all"() {
        given:
        def data = new CountingDataset(100)
        def loader = DataLoader.builder(data).batchSize(10).prefetch(0).build()

        expect:
        loader.workerThread() == null
        data.copies.get() == 0
        loader.next().size() == 10
        data.copies.get() == 10

        cleanup:
        loader.close()
    }

    def "an error while assembling a batch reaches the caller of next(), #thread"() {
        given: "a data set whose sample 3 cannot be read"
        def data = new CountingDataset(10)
        data.failAt = 3
        def loader = DataLoader.builder(data).batchSize(5).shuffle(false).prefetch(prefetch).build()

        when:
        loader.next()

        then:
        def e = thrown(IllegalStateException)
        e.message == "sample 3 is broken"

        when: "the trainer asks again"
        loader.next()

        then: "it gets the same error, not a hang"
        def again = thrown(IllegalStateException)
        again.message == "sample 3 is broken"

        cleanup:
        loader.close()

        where:
        thread                         | prefetch
        "from the prefetch thread"     | 2
        "without a prefetch thread"    | 0
    }

    def "a batch size of #batch is refused: #reason"() {
        when:
        DataLoader.builder(new CountingDataset(100)).batchSize(batch).dropLast(dropLast).build()

        then:
        def e = thrown(GanymedeException)
        e.message.startsWith(message)

        where:
        batch | dropLast | reason                              || message
        0     | true     | "it must be positive"               || "batch size must be positive, got 0"
        -8    | false    | "it must be positive"               || "batch size must be positive, got -8"
        101   | true     | "no batch of 100 samples is full"   || "batch size 101 is larger than the data set 'counting' (100 samples): with drop-last no batch would ever be complete"
    }

    def "without drop-last a batch larger than the data set is allowed: every batch is the whole data set"() {
        given:
        def loader = DataLoader.builder(new CountingDataset(100)).batchSize(101).dropLast(false).build()

        expect:
        loader.batchesPerEpoch() == 1
        loader.next().size() == 100

        cleanup:
        loader.close()
    }
}
