package dev.ganymede.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import dev.ganymede.engine.nn.Network;
import dev.ganymede.engine.nn.NetworkIO;
import dev.ganymede.engine.nn.Parameter;
import dev.ganymede.engine.optim.Optimizer;
import dev.ganymede.engine.output.CsvLog;
import dev.ganymede.engine.output.PropertiesLine;
import dev.ganymede.engine.output.StepRecord;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything a run needs to go on after its process is gone, in the run folder's
 * {@value #FOLDER}/ (what PyTorch users save by hand as model, optimiser and epoch in one dict):
 * both networks' parameters and buffers as they train (batch-norm statistics, spectral-norm
 * vectors), both optimisers' moments and update counts, the stabilisers' state (the averaged
 * generator, the replay pool), and the trainer's counters (steps, batches of data used, epochs).
 *
 * <p>{@link #save} writes a new checkpoint beside the old one and swaps them, so a process killed
 * while saving leaves the previous checkpoint whole. {@link #restore} loads one into a trainer
 * built from the same script and settings, which then continues at the checkpoint's step with the
 * data in the same order. PyTorch's random generator is not saved (DJL cannot read its state); it
 * need not be, since the trainer seeds every step from the run's seed and the step, so the resumed
 * steps draw the noise the run that never stopped drew, and train exactly as it did (on the same
 * device and number of threads, as floating-point sums depend on their order).
 */
public final class TrainingCheckpoint {

    /** The folder inside a run folder that holds the checkpoint. */
    public static final String FOLDER = "checkpoint";

    private static final String COUNTERS = "trainer.properties";
    private static final String OPTIMISERS = "optimizers.ndlist";
    private static final String STABILISERS = "stabilisers.ndlist";
    private static final String GENERATOR = "generator.params";
    private static final String DISCRIMINATOR = "discriminator.params";
    /** The players whose optimisers a checkpoint holds, as its array names and keys call them. */
    private static final List<String> ROLES = List.of("generator", "discriminator");

    private TrainingCheckpoint() {}

    /** Whether {@code runFolder} holds a complete checkpoint. */
    public static boolean exists(Path runFolder) {
        return located(runFolder) != null;
    }

    /** The generator step the checkpoint of {@code runFolder} was saved at; -1 when it has none. */
    public static long step(Path runFolder) {
        Path folder = located(runFolder);
        return folder == null ? -1 : Long.parseLong(read(folder.resolve(COUNTERS)).getProperty("step"));
    }

    /**
     * The complete checkpoint folder of a run, or null: checkpoint/, or when the process was killed
     * between the two moves of {@link #save}, checkpoint.new/ (complete once its counters are
     * written, which they are last) or else checkpoint.old/.
     */
    public static Path located(Path runFolder) {
        for (String name : List.of(FOLDER, FOLDER + ".new", FOLDER + ".old")) {
            Path folder = runFolder.resolve(name);
            if (Files.isRegularFile(folder.resolve(COUNTERS))) {
                return folder;
            }
        }
        return null;
    }

    /** Saves the trainer's whole state into {@code runFolder}/checkpoint, replacing the one there. */
    public static void save(Trainer trainer, Path runFolder) {
        save(trainer, runFolder, folder -> {});
    }

    /**
     * As {@link #save(Trainer, Path)}; {@code alsoWrite} adds files of its own to the new checkpoint
     * folder before it replaces the old one (the run recorder's figures in progress).
     */
    public static void save(Trainer trainer, Path runFolder, Consumer<Path> alsoWrite) {
        Path target = runFolder.resolve(FOLDER);
        Path fresh = runFolder.resolve(FOLDER + ".new");
        Path old = runFolder.resolve(FOLDER + ".old");
        try {
            if (!Files.isRegularFile(target.resolve(COUNTERS))) {
                // the last save was killed between its two moves: the newest complete one becomes the checkpoint
                Path survivor = located(runFolder);
                if (survivor != null) {
                    deleteTree(target);
                    Files.move(survivor, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            deleteTree(fresh);
            Files.createDirectories(fresh);
            Gan gan = trainer.gan();
            NetworkIO.save(gan.generator(), fresh.resolve(GENERATOR)); // the trained weights, not their average
            NetworkIO.save(gan.discriminator(), fresh.resolve(DISCRIMINATOR));
            writeArrays(fresh.resolve(OPTIMISERS), optimiserArrays(trainer));
            writeArrays(fresh.resolve(STABILISERS), stabiliserArrays(trainer));
            alsoWrite.accept(fresh);
            // written last: a folder without it is not a checkpoint
            Files.writeString(fresh.resolve(COUNTERS), counterText(trainer), StandardCharsets.UTF_8);
            // on disk before the swap: a machine that loses power (not only a killed process) then
            // still finds a complete checkpoint
            syncToDisk(fresh);
            deleteTree(old);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(runFolder);
            deleteTree(old);
        } catch (IOException e) {
            throw new GanymedeException("cannot save a checkpoint into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void syncToDisk(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
        syncDirectory(folder);
    }

    /** Makes a folder's entries (names moved in or out) durable; not every file system allows it. */
    private static void syncDirectory(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a file; the files themselves are on disk
        }
    }

    /**
     * Loads the checkpoint of {@code runFolder} into {@code trainer}, which must be built from the
     * same script and settings and must not have trained: networks, optimisers, stabilisers and
     * counters, and the steps of the run's metrics.csv up to the checkpoint as its history. Returns
     * the step it continues from.
     */
    public static long restore(Trainer trainer, Path runFolder) {
        Path folder = located(runFolder);
        if (folder == null) {
            throw new GanymedeException(runFolder + " has no checkpoint to resume from (" + FOLDER + "/" + COUNTERS
                    + " is missing): the run saved none (a run asks for them with RunOutputs' checkpoints, at the end of every epoch)");
        }
        Properties counters = read(folder.resolve(COUNTERS));
        checkSame(counters, "seed", Long.toString(trainer.settings().seed()), folder, "the seed");
        checkSame(counters, "batch", Integer.toString(trainer.settings().batchSize()), folder, "the batch size");
        checkSame(counters, "stabilisers", describeStabilisers(trainer), folder, "the stabilisers");
        checkSame(counters, "dSteps", Integer.toString(trainer.settings().discriminatorSteps()), folder,
                "the discriminator steps");
        checkSame(counters, "reuseFakes", Boolean.toString(trainer.settings().reuseFakes()), folder, "reuseFakes");
        checkSame(counters, "strategy", trainer.strategy().describe(), folder, "the training strategy");
        checkSame(counters, "loss", trainer.gan().loss().name(), folder, "the loss");
        checkSame(counters, "data", trainer.dataset().name() + " (" + trainer.dataset().size() + " samples)", folder,
                "the data");
        checkSame(counters, "optimizer.generator.name", trainer.generatorOptimizer().name(), folder, "the generator's optimiser");
        checkSame(counters, "optimizer.discriminator.name", trainer.discriminatorOptimizer().name(), folder,
                "the discriminator's optimiser");
        Gan gan = trainer.gan();
        NetworkIO.load(gan.generator(), folder.resolve(GENERATOR));
        NetworkIO.load(gan.discriminator(), folder.resolve(DISCRIMINATOR));
        try (NDManager scope = Backend.engine().newBaseManager(gan.generator().device())) {
            Map<String, NDArray> optimisers = readArrays(folder.resolve(OPTIMISERS), scope, gan.generator().device());
            for (String role : ROLES) {
                loadOptimiser(role, counters, optimisers, trainer, folder);
            }
            Map<String, NDArray> stabilisers = readArrays(folder.resolve(STABILISERS), scope, gan.generator().device());
            for (int i = 0; i < trainer.stabilisers().size(); i++) {
                String prefix = (i + 1) + ":";
                Map<String, NDArray> own = new LinkedHashMap<>();
                stabilisers.forEach((name, array) -> {
                    if (name.startsWith(prefix)) {
                        own.put(name.substring(prefix.length()), array);
                    }
                });
                trainer.stabilisers().get(i).restoreState(own);
            }
        }
        long step = Long.parseLong(counters.getProperty("step"));
        trainer.resumeAt(step, Long.parseLong(counters.getProperty("batches")),
                Integer.parseInt(counters.getProperty("epochs.completed")), earlierSteps(runFolder, step));
        return step;
    }

    /** The run's metrics.csv rows up to {@code step} (a killed run logged steps after its last checkpoint). */
    private static List<StepRecord> earlierSteps(Path runFolder, long step) {
        Path log = runFolder.resolve("metrics.csv");
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        try {
            List<StepRecord> kept = new ArrayList<>();
            for (StepRecord r : CsvLog.read(log)) {
                if (r.step() <= step) {
                    kept.add(r);
                }
            }
            return kept;
        } catch (IOException | RuntimeException e) {
            throw new GanymedeException("cannot read the steps logged before the checkpoint from " + log + ": "
                    + e.getMessage(), e);
        }
    }

    private static void loadOptimiser(String role, Properties counters, Map<String, NDArray> arrays, Trainer trainer,
            Path folder) {
        Map<String, Parameter> byName = parameterNames(trainer, role);
        Map<Parameter, List<NDArray>> slots = new IdentityHashMap<>();
        String prefix = role + ":";
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String rest = e.getKey().substring(prefix.length());
            int hash = rest.lastIndexOf('#');
            Parameter p = byName.get(rest.substring(0, hash));
            if (p == null) {
                throw new GanymedeException(folder + " has optimiser state for '" + rest.substring(0, hash)
                        + "', which the " + role + " does not have: the checkpoint was saved from another architecture");
            }
            int slot = Integer.parseInt(rest.substring(hash + 1));
            List<NDArray> list = slots.computeIfAbsent(p, k -> new ArrayList<>());
            while (list.size() <= slot) {
                list.add(null);
            }
            list.set(slot, e.getValue());
        }
        Map<Parameter, NDArray[]> saved = new IdentityHashMap<>();
        slots.forEach((p, list) -> saved.put(p, list.toArray(new NDArray[0])));
        optimizer(trainer, role).load(saved, Long.parseLong(counters.getProperty("optimizer." + role + ".updates")),
                Double.parseDouble(counters.getProperty("optimizer." + role + ".lr")));
    }

    private static Optimizer optimizer(Trainer trainer, String role) {
        return role.equals("generator") ? trainer.generatorOptimizer() : trainer.discriminatorOptimizer();
    }

    /** Both networks' parameters by their state-dict keys, the optimiser's own network first. */
    private static Map<String, Parameter> parameterNames(Trainer trainer, String role) {
        Map<String, Parameter> names = new LinkedHashMap<>();
        Network own = role.equals("generator") ? trainer.gan().generator() : trainer.gan().discriminator();
        Network other = own == trainer.gan().generator() ? trainer.gan().discriminator() : trainer.gan().generator();
        own.namedParameters().forEach(names::put);
        other.namedParameters().forEach((k, v) -> names.put("other." + k, v));
        return names;
    }

    private static Map<String, NDArray> optimiserArrays(Trainer trainer) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (String role : ROLES) {
            Optimizer optimizer = optimizer(trainer, role);
            Map<Parameter, String> names = new IdentityHashMap<>();
            parameterNames(trainer, role).forEach((k, v) -> names.put(v, k));
            for (Map.Entry<Parameter, NDArray[]> e : optimizer.state().entrySet()) {
                String name = names.get(e.getKey());
                if (name == null) {
                    throw new GanymedeException("the " + role + "'s optimiser updates a parameter ('" + e.getKey().name()
                            + "') of neither network: it cannot be saved in a checkpoint");
                }
                for (int i = 0; i < e.getValue().length; i++) {
                    arrays.put(role + ":" + name + "#" + i, e.getValue()[i]);
                }
            }
        }
        return arrays;
    }

    private static Map<String, NDArray> stabiliserArrays(Trainer trainer) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        List<Stabiliser> stabilisers = trainer.stabilisers();
        for (int i = 0; i < stabilisers.size(); i++) {
            String prefix = (i + 1) + ":";
            stabilisers.get(i).state().forEach((name, array) -> arrays.put(prefix + name, array));
        }
        return arrays;
    }

    private static String counterText(Trainer trainer) {
        StringBuilder sb = new StringBuilder("# A resumable checkpoint of this run, written by Ganymede (gan resume RUN_DIR)\n");
        sb.append("saved=").append(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        sb.append("step=").append(trainer.step()).append('\n');
        sb.append("batches=").append(trainer.batchesConsumed()).append('\n');
        sb.append("epochs.completed=").append(trainer.completedEpochs()).append('\n');
        sb.append("seed=").append(trainer.settings().seed()).append('\n');
        sb.append("batch=").append(trainer.settings().batchSize()).append('\n');
        for (String role : ROLES) {
            Optimizer o = optimizer(trainer, role);
            sb.append("optimizer.").append(role).append(".name=").append(o.name()).append('\n');
            sb.append("optimizer.").append(role).append(".updates=").append(o.steps()).append('\n');
            sb.append("optimizer.").append(role).append(".lr=").append(o.baseLearningRate()).append('\n');
        }
        sb.append("dSteps=").append(trainer.settings().discriminatorSteps()).append('\n');
        sb.append("reuseFakes=").append(trainer.settings().reuseFakes()).append('\n');
        sb.append(PropertiesLine.of("stabilisers", describeStabilisers(trainer)));
        sb.append(PropertiesLine.of("strategy", trainer.strategy().describe()));
        sb.append(PropertiesLine.of("loss", trainer.gan().loss().name()));
        sb.append(PropertiesLine.of("data", trainer.dataset().name() + " (" + trainer.dataset().size() + " samples)"));
        return sb.toString();
    }

    private static String describeStabilisers(Trainer trainer) {
        List<String> lines = new ArrayList<>();
        for (Stabiliser s : trainer.stabilisers()) {
            lines.add(s.describe());
        }
        return String.join("; ", lines);
    }

    private static void checkSame(Properties counters, String key, String now, Path folder, String what) {
        String then = counters.getProperty(key);
        if (then != null && !then.equals(now)) {
            throw new GanymedeException("the checkpoint in " + folder + " was saved with " + what + " '" + then
                    + "', but the run rebuilt from its script has '" + now + "': it cannot continue that run");
        }
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new GanymedeException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static void writeArrays(Path file, Map<String, NDArray> arrays) throws IOException {
        if (arrays.isEmpty()) {
            return; // DJL cannot decode an empty NDList; no file means no arrays
        }
        NetworkIO.writeNamed(arrays, file);
    }

    private static Map<String, NDArray> readArrays(Path file, NDManager scope, ai.djl.Device device) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return arrays;
        }
        for (NDArray a : NetworkIO.readNamed(file, scope)) {
            arrays.put(a.getName(), a.toDevice(device, false));
        }
        return arrays;
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
