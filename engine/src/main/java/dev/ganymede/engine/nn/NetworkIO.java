package dev.ganymede.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ganymede.engine.GanymedeException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves and loads a network's parameters and buffers in DJL's NDList format: named arrays and
 * nothing else, so loading never runs code. The architecture comes from the script or builder that
 * made the network, as with PyTorch's state_dict.
 */
public final class NetworkIO {

    private NetworkIO() {}

    public static void save(Network network, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Map<String, NDArray> named = new java.util.LinkedHashMap<>();
            network.namedParameters().forEach((name, p) -> named.put(name, p.value()));
            writeNamed(named, file);
        } catch (IOException e) {
            throw new GanymedeException("cannot save " + network.name() + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes named arrays (copies of them) to {@code file} in DJL's NDList format, the format of
     * parameter files and of a training checkpoint's optimiser and stabiliser state.
     */
    public static void writeNamed(Map<String, NDArray> arrays, Path file) throws IOException {
        NDList list = new NDList();
        try {
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                NDArray copy = e.getValue().duplicate();
                copy.setName(e.getKey());
                list.add(copy);
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                list.encode(out);
            }
        } finally {
            list.close();
        }
    }

    /** Reads arrays written by {@link #writeNamed} (each keeps its name) into {@code manager}. */
    public static NDList readNamed(Path file, NDManager manager) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new GanymedeException(file + " is not a Ganymede array file (DJL NDList of named arrays): " + e.getMessage(), e);
        }
    }

    /** Loads values saved by {@link #save} into a network of the same architecture, checking every name and shape. */
    public static void load(Network network, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GanymedeException("no saved parameters at " + file);
        }
        NDList list = readNamed(file, network.manager());
        try {
            Map<String, Parameter> params = network.namedParameters();
            if (list.size() != params.size()) {
                throw new GanymedeException(file + " holds " + list.size() + " arrays but " + network.name() + " has "
                        + params.size() + " parameters and buffers: it was saved from another architecture");
            }
            for (NDArray saved : list) {
                Parameter p = params.get(saved.getName());
                if (p == null) {
                    throw new GanymedeException(file + " has a parameter '" + saved.getName() + "' that " + network.name()
                            + " does not have: it was saved from another architecture");
                }
                if (!saved.getShape().equals(p.shape())) {
                    throw new GanymedeException(file + ": parameter '" + saved.getName() + "' has shape " + saved.getShape()
                            + " but " + network.name() + " expects " + p.shape());
                }
                // Copied tensor to tensor: NDArray.set(float[]) goes through a deprecated PyTorch guard
                // that prints a warning to stderr on every first load.
                try (Autograd.Recording paused = Autograd.pause()) {
                    NDArray value = p.value();
                    Torch.copyInto(saved.toDevice(value.getDevice(), false).toType(value.getDataType(), false), value);
                }
            }
        } finally {
            list.close();
        }
    }
}
