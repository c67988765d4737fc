package dev.ganymede.engine.nn

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * The engine's compiled classes and the methods each one calls, read from the class files'
 * constant pools: for specs that say which code may call what (ScalarArithmeticSpec,
 * ConvolutionKernelsSpec).
 */
final class CompiledClasses {

    /** One method a class refers to: the class file (relative to the classes folder), owner, name and descriptor. */
    static final class Reference {
        String classFile, owner, method, descriptor

        String toString() { "${classFile}: ${owner}.${method}${descriptor}" }
    }

    /** Every class file of the engine's main code. */
    static List<Path> files() {
        Files.walk(folder()).withCloseable { s -> s.filter { it.toString().endsWith('.class') }.toList() }
    }

    /** Every method reference of those classes. */
    static List<Reference> references() {
        Path classes = folder()
        files().collectMany { f ->
            methodReferences(f).collect { owner, method, descriptor ->
                new Reference(classFile: classes.relativize(f).toString(), owner: owner, method: method, descriptor: descriptor)
            }
        }
    }

    private static Path folder() {
        Paths.get(Torch.protectionDomain.codeSource.location.toURI())
    }

    /** The (owner, name, descriptor) of every method a class file refers to, from its constant pool. */
    static List<List<String>> methodReferences(Path classFile) {
        def in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(classFile)))
        in.readInt()            // magic
        in.readUnsignedShort()  // minor version
        in.readUnsignedShort()  // major version
        int count = in.readUnsignedShort()
        Map<Integer, String> utf8 = [:]
        Map<Integer, Integer> classNames = [:]
        Map<Integer, List<Integer>> nameAndTypes = [:]
        List<List<Integer>> methodRefs = []
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte()
            switch (tag) {
                case 1: utf8[i] = in.readUTF(); break
                case 3: case 4: case 17: case 18: in.readInt(); break
                case 5: case 6: in.readLong(); i++; break   // longs and doubles take two slots
                case 7: classNames[i] = in.readUnsignedShort(); break
                case 8: case 16: case 19: case 20: in.readUnsignedShort(); break
                case 9: in.readInt(); break                 // field reference
                case 10: case 11: methodRefs << [in.readUnsignedShort(), in.readUnsignedShort()]; break
                case 12: nameAndTypes[i] = [in.readUnsignedShort(), in.readUnsignedShort()]; break
                case 15: in.readUnsignedByte(); in.readUnsignedShort(); break
                default: throw new IllegalStateException("unknown constant pool tag $tag in $classFile")
            }
        }
        methodRefs.collect { owner, nameAndType ->
            [utf8[classNames[owner]], utf8[nameAndTypes[nameAndType][0]], utf8[nameAndTypes[nameAndType][1]]]
        }
    }
}
