package dev.ganymede.engine

/** Starts the engine and exits: run in a child JVM by {@link MissingNativesSpec}. */
class NativesProbe {
    static void main(String[] args) {
        try {
            println "started: ${Backend.describe(ai.djl.Device.cpu())}"
        } catch (GanymedeException e) {
            System.err.println(e.message)
            System.exit(3)
        }
    }
}
