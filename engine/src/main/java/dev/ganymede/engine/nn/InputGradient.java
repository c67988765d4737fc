package dev.ganymede.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.ganymede.engine.Backend;
import dev.ganymede.engine.GanymedeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The gradient of a network's output with respect to its input, itself differentiable: PyTorch's
 * {@code torch.autograd.grad(y.sum(), x, create_graph=True)}, what gradient penalties need.
 *
 * <p>DJL's JNI offers only {@code Tensor.backward(create_graph=True)}, which also accumulates into
 * every parameter's {@code .grad} a gradient that references its own parameter through the graph:
 * a reference cycle that no JNI call can break (there is no way to set {@code .grad} to None), so
 * memory grows by a copy of the gradients and their graph every step. {@code autograd.grad} touches
 * no {@code .grad}; DJL does not expose it either, but it runs TorchScript modules, so a three-line
 * TorchScript module calls it. The module's archive (source code plus a pickled empty module) is
 * written here, in memory, so nothing is shipped as a binary.
 */
public final class InputGradient {

    private static final String SOURCE = String.join("\n",
            "class InputGradient(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.InputGradient,",
            "    y: Tensor,",
            "    x: Tensor) -> Tensor:",
            "    _0 = torch.autograd.grad([torch.sum(y)], [x], None, None, True)",
            "    return unchecked_cast(Tensor, _0[0])",
            "");

    private static final Map<Device, PtSymbolBlock> MODULES = new HashMap<>();
    private static final Map<Device, NDManager> OWNERS = new HashMap<>();

    private InputGradient() {}

    /**
     * ∇ₓ Σ y, recorded so a loss built from it can be back-propagated to the parameters that
     * produced {@code y}. {@code x} must require gradients and {@code y} must have been computed
     * from it while recording. The result is owned by {@code scope}.
     */
    public static NDArray of(NDArray y, NDArray x, NDManager scope) {
        PtSymbolBlock module = module(x.getDevice());
        NDList result = IValueUtils.forward(module, new NDList(y, x), true);
        NDArray grad = result.singletonOrThrow();
        grad.attach(scope);
        return grad;
    }

    private static synchronized PtSymbolBlock module(Device device) {
        return MODULES.computeIfAbsent(device, d -> {
            NDManager owner = Backend.engine().newBaseManager(d);
            OWNERS.put(d, owner);
            try {
                return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive()), true, false);
            } catch (IOException | RuntimeException e) {
                throw new GanymedeException("cannot load the input-gradient TorchScript module: " + e.getMessage(), e);
            }
        });
    }

    /** A TorchScript archive (format version 3) holding the module above. */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "input_gradient/data.pkl", dataPickle());
            stored(zip, "input_gradient/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            stored(zip, "input_gradient/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, "input_gradient/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle (protocol 2) of an InputGradient object with {@code training = True}. */
    private static byte[] dataPickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2); // PROTO 2
        writeAscii(p, "c__torch__\nInputGradient\n"); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.write(key, 0, key.length);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }
}
