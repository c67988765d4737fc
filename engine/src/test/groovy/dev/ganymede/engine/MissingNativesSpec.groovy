package dev.ganymede.engine

import java.nio.file.Files
import java.util.concurrent.TimeUnit
import spock.lang.Narrative
import spock.lang.Specification
import spock.lang.Title

@Title("Without PyTorch's native library, one sentence says what to add")
@Narrative("""
Ganymede never downloads anything while it runs: PyTorch's native library comes from the
pytorch-native-cpu jar (or pytorch-native-cu121 for CUDA). When that jar is missing, DJL would try
to download it and fail with a long stack trace; Ganymede instead says, in one sentence, which
artifacts to add. This spec starts a JVM whose classpath lacks the native jar, with DJL's cache
folder pointed at an empty directory so natives extracted by earlier runs cannot stand in.
""")
class MissingNativesSpec extends Specification {

    def "a JVM without the pytorch-native-cpu jar is told which artifacts to add"() {
        given: "this JVM's classpath without the native jar, and an empty DJL cache"
        def classpath = System.getProperty('java.class.path').split(File.pathSeparator)
        def withoutNatives = classpath.findAll { !(it ==~ /.*pytorch-native-(cpu|cu\d+).*\.jar/) }
        def cache = Files.createTempDirectory('ganymede-empty-djl-cache')
        def java = new File(System.getProperty('java.home'), 'bin/java').path

        expect: "the native jar was on the classpath to begin with"
        withoutNatives.size() == classpath.size() - 1

        when: "the engine is started in that JVM"
        def pb = new ProcessBuilder(java, '-cp', withoutNatives.join(File.pathSeparator),
                "-DDJL_CACHE_DIR=${cache}", "-DENGINE_CACHE_DIR=${cache}", '-Dai.djl.offline=true',
                NativesProbe.name)
        pb.environment().put('DJL_CACHE_DIR', cache.toString())
        pb.environment().put('ENGINE_CACHE_DIR', cache.toString())
        pb.redirectErrorStream(true)
        def process = pb.start()
        def output = process.inputStream.text
        process.waitFor(120, TimeUnit.SECONDS)
        println output

        then: "it stops with the sentence that names the artifacts"
        process.exitValue() == 3
        output.contains('The PyTorch native library could not be loaded: add ai.djl.pytorch:pytorch-native-cpu:2.3.1:linux-x86_64 and ai.djl.pytorch:pytorch-jni:2.3.1-0.29.0 to the classpath')

        cleanup:
        cache?.toFile()?.deleteDir()
    }
}
