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
    /** A value of at most {@link #SHORT} bytes as two little-endian words, zero-padded: compared without its bytes. */
    private final long[] low;
    private final long[] high;
    private final int[] lengths;
    private final long[] counts;
    private final int mask;
    private int size;

    /** @param limit the most distinct values held; {@link #add} returns false for the one after */
    TextCounts(int limit) {
        this.limit = limit;
        int capacity = Integer.highestOneBit(Math.max(4, limit) * 2) * 2;
        keys = new byte[capacity][];
        hashes = new long[capacity];
        low = new long[capacity];
        high = new long[capacity];
        lengths = new int[capacity];
        counts = new long[capacity];
        mask = capacity - 1;
    }

    /** Values this long or shorter are keyed by two words ({@link #addShort}). */
    static final int SHORT = 16;

    /**
     * Counts a value of at most {@link #SHORT} bytes given as its words ({@link #hashShort}); its bytes
     * are read from {@code data} at {@code start} only when it is new. False (nothing counted) when it
     * is a new value beyond the limit.
     */
    boolean addShort(long w0, long w1, int length, long hash, org.apache.arrow.memory.ArrowBuf data, long start) {
        int slot = probeShort(w0, w1, length, hash);
        if (slot >= 0) {
            return true;
        }
        if (size == limit) {
            return false;
        }
        byte[] key = new byte[length];
        data.getBytes(start, key, 0, length);
        insertShort(-slot - 1, key, hash, w0, w1);
        return true;
    }

    /** Counts the value at its slot and returns it, or returns {@code -(empty slot) - 1}. */
    private int probeShort(long w0, long w1, int length, long hash) {
        int slot = (int) hash & mask;
        while (keys[slot] != null) {
            if (hashes[slot] == hash && low[slot] == w0 && high[slot] == w1 && lengths[slot] == length) {
                counts[slot]++;
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -slot - 1;
    }

    private void insertShort(int slot, byte[] key, long hash, long w0, long w1) {
        insert(slot, key, hash);
        low[slot] = w0;
        high[slot] = w1;
        lengths[slot] = key.length;
    }

    private void insert(int slot, byte[] key, long hash) {
        keys[slot] = key;
        hashes[slot] = hash;
        counts[slot] = 1;
        size++;
    }

    /** The hash of a short value from its two words; {@link #hash} gives the same for its bytes. */
    static long hashShort(long w0, long w1, int length) {
        return fmix(Long.rotateLeft(w0 * 0xC2B2AE3D27D4EB4FL, 31) ^ w1 * 0x9E3779B97F4A7C15L ^ length);
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ h >>> 33;
    }

    /** Counts {@code bytes[0, length)} ({@link #hash} its hash); false (nothing counted) when it is a new value beyond the limit. */
    boolean add(byte[] bytes, int length, long hash) {
        if (length <= SHORT) {
            long w0 = word(bytes, 0, length);
            long w1 = word(bytes, 8, length);
            int slot = probeShort(w0, w1, length, hash);
            if (slot >= 0) {
                return true;
            }
            if (size == limit) {
                return false;
            }
            insertShort(-slot - 1, Arrays.copyOf(bytes, length), hash, w0, w1);
            return true;
        }
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
        insert(slot, Arrays.copyOf(bytes, length), hash);
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
        if (length <= SHORT) {
            return hashShort(word(bytes, 0, length), word(bytes, 8, length), length);
        }
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
        return fmix(h);
    }

    /** Bytes {@code [from, from + 8)} of a value of {@code length} bytes as a little-endian word, zero past its end. */
    static long word(byte[] bytes, int from, int length) {
        long word = 0;
        for (int i = Math.min(length, from + 8) - 1; i >= from; i--) {
            word = word << 8 | bytes[i] & 0xFFL;
        }
        return word;
    }

    /** The first {@code bytes} (0 to 8) bytes of {@code word}, the rest zero. */
    static long masked(long word, int bytes) {
        return bytes >= 8 ? word : bytes <= 0 ? 0 : word & (1L << (8 * bytes)) - 1;
    }
}
