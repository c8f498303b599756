package io.jenkins.plugins.mlops.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Every distinct UTF-8 value of a text column and its count, up to a bound: an open-addressing
 * table keyed by the bytes themselves, so a value is copied and decoded only the first time it is
 * seen. Past the bound the caller drops to a distinct estimate ({@link #hash} feeds it).
 */
final class TextCounts {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int limit;
    private final byte[][] keys;
    private final long[] hashes;
    private final long[] counts;
    private final int mask;
    private int size;

    /** @param limit the most distinct values held; {@link #add} returns false for the one after */
    TextCounts(int limit) {
        this.limit = limit;
        int capacity = Integer.highestOneBit(Math.max(4, limit) * 2) * 2;
        keys = new byte[capacity][];
        hashes = new long[capacity];
        counts = new long[capacity];
        mask = capacity - 1;
    }

    /** Counts {@code bytes[0, length)}; false (nothing counted) when it is a new value beyond the limit. */
    boolean add(byte[] bytes, int length, long hash) {
        int slot = (int) hash & mask;
        while (keys[slot] != null) {
            if (hashes[slot] == hash && Arrays.equals(keys[slot], 0, keys[slot].length, bytes, 0, length)) {
                counts[slot]++;
                return true;
            }
            slot = (slot + 1) & mask;
        }
        if (size == limit) {
            return false;
        }
        keys[slot] = Arrays.copyOf(bytes, length);
        hashes[slot] = hash;
        counts[slot] = 1;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    /** Each value's hash, to seed a distinct estimate with the values counted so far. */
    long[] hashes() {
        long[] out = new long[size];
        int n = 0;
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != null) {
                out[n++] = hashes[slot];
            }
        }
        return out;
    }

    /** The values, decoded, with their counts. */
    Map<String, Long> byValue() {
        Map<String, Long> out = new HashMap<>();
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != null) {
                out.put(new String(keys[slot], StandardCharsets.UTF_8), counts[slot]);
            }
        }
        return out;
    }

    /** A 64-bit hash of {@code bytes[0, length)}: eight bytes a step, then a final mix (MurmurHash3's fmix64). */
    static long hash(byte[] bytes, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (bytes[i] & 0xFFL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ h >>> 33;
    }
}
