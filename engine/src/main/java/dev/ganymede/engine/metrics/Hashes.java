package dev.ganymede.engine.metrics;

import dev.ganymede.engine.data.Dataset;

/** 64-bit FNV-1a fingerprints of data and text, to name cached feature networks. */
final class Hashes {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Hashes() {}

    /** A fingerprint of every sample and label of the data sets, in order. */
    static long content(Dataset... sets) {
        long h = OFFSET;
        for (Dataset d : sets) {
            int size = (int) d.sampleShape().size();
            float[] sample = new float[size];
            h = mix(h, d.size());
            h = mix(h, size);
            for (int i = 0; i < d.size(); i++) {
                d.copySample(i, sample, 0);
                for (float v : sample) {
                    h = mix(h, Float.floatToIntBits(v));
                }
                h = mix(h, d.label(i));
            }
        }
        return h;
    }

    static long text(String s) {
        long h = OFFSET;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * PRIME;
        }
        return h;
    }

    /** The first 8 hex digits. */
    static String hex8(long h) {
        return String.format("%016x", h).substring(0, 8);
    }

    private static long mix(long h, int v) {
        h = (h ^ (v & 0xFF)) * PRIME;
        h = (h ^ ((v >>> 8) & 0xFF)) * PRIME;
        h = (h ^ ((v >>> 16) & 0xFF)) * PRIME;
        return (h ^ (v >>> 24)) * PRIME;
    }
}
