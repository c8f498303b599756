package io.jenkins.plugins.mlops.data;

/**
 * A set of longs, open addressing, for the exact distinct count a {@code unique: true} column
 * asks for: 16 bytes a distinct value at most (8 in the table at half load and over), where a
 * {@code HashSet<Long>} takes about 50. It grows with the distinct values, as any exact count does.
 */
final class LongSet {
    private static final long EMPTY = 0x8000_0000_0000_0001L; // a sentinel; the value itself is tracked apart
    private long[] table = empty(1 << 10);
    private int size;
    private boolean hasEmpty;

    void add(long value) {
        if (value == EMPTY) {
            if (!hasEmpty) {
                hasEmpty = true;
                size++;
            }
            return;
        }
        if (2 * (size + 1) > table.length) {
            rehash();
        }
        int mask = table.length - 1;
        int slot = (int) mix(value) & mask;
        while (table[slot] != EMPTY) {
            if (table[slot] == value) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        table[slot] = value;
        size++;
    }

    long size() {
        return size;
    }

    private void rehash() {
        long[] old = table;
        table = empty(old.length * 2);
        int mask = table.length - 1;
        for (long value : old) {
            if (value != EMPTY) {
                int slot = (int) mix(value) & mask;
                while (table[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = value;
            }
        }
    }

    private static long[] empty(int capacity) {
        long[] out = new long[capacity];
        java.util.Arrays.fill(out, EMPTY);
        return out;
    }

    private static long mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return h ^ h >>> 32;
    }
}
