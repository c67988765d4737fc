package dev.ganymede.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that knows how DJL's PyTorch engine is started: offline, natives from the jars,
 * device chosen once. Everything else asks this class for the device and the engine.
 */
public final class Backend {

    /** Which device the user asked for. */
    public enum DeviceChoice {
        /** The GPU when DJL sees one, otherwise the CPU. */
        AUTO,
        CPU,
        GPU;

        /** Parses "auto", "cpu", "gpu" (also "cuda"), naming the bad value if there is one. */
        public static DeviceChoice parse(String text) {
            switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto": return AUTO;
                case "cpu": return CPU;
                case "gpu": case "cuda": return GPU;
                default:
                    throw new IllegalArgumentException(
                            "unknown device '" + text + "': use cpu, gpu or auto");
            }
        }
    }

    private static volatile Engine engine;

    private Backend() {}

    /** Starts (once) and returns DJL's PyTorch engine, with a one-sentence error if natives are missing. */
    public static Engine engine() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (Backend.class) {
            if (engine == null) {
                // Never download natives or model zoo indexes: everything comes from the jars.
                System.setProperty("ai.djl.offline", "true");
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
                try {
                    engine = Engine.getEngine("PyTorch");
                } catch (RuntimeException | UnsatisfiedLinkError err) {
                    throw new GanymedeException(
                            "The PyTorch native library could not be loaded: add"
                                    + " ai.djl.pytorch:pytorch-native-cpu:2.3.1:linux-x86_64 and"
                                    + " ai.djl.pytorch:pytorch-jni:2.3.1-0.29.0 to the classpath"
                                    + " (or pytorch-native-cu121 for CUDA 12.1). Cause: "
                                    + err.getMessage(),
                            err);
                }
            }
            return engine;
        }
    }

    /** Number of CUDA devices DJL sees. */
    public static int gpuCount() {
        return engine().getGpuCount();
    }

    /** Resolves a choice to a device; asking for a GPU where there is none is an error, not a silent fallback. */
    public static Device device(DeviceChoice choice) {
        int gpus = gpuCount();
        switch (choice) {
            case CPU:
                return Device.cpu();
            case GPU:
                if (gpus == 0) {
                    throw new GanymedeException(
                            "a GPU was asked for (--device gpu) but DJL sees no CUDA device on this"
                                    + " machine; use --device cpu or auto");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }

    /** A short human description: "cpu (PyTorch 2.3.1, 2 threads)". */
    public static String describe(Device device) {
        Engine e = engine();
        String name = device.isGpu() ? "gpu " + device.getDeviceId() : device.getDeviceType();
        int threads = JniUtils.getNumThreads();
        return name + " (" + e.getEngineName() + " " + e.getVersion() + ", " + threads
                + (threads == 1 ? " thread)" : " threads)");
    }

    /** Seeds PyTorch's generators (noise, dropout, initialisation) on every device. */
    public static void seed(long seed) {
        engine();
        JniUtils.setSeed(seed);
    }

    /** The engine's version string for provenance. */
    public static String version() {
        Package p = Backend.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
