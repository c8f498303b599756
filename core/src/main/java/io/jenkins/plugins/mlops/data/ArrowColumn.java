package io.jenkins.plugins.mlops.data;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

/**
 * What the arrow engine accumulates of one column over every batch, the same numbers the SQL
 * profiler asks DuckDB for: one instance per column, fed by one thread at a time.
 */
abstract class ArrowColumn {
    /**
     * HyperLogLog with 2^12 registers, as DuckDB's {@code approx_count_distinct}: about 1.6% error, a
     * few KB a column. The estimates are not DuckDB's own (another hash), so a distinct count near
     * a threshold (an ID's 80%, free text's 400 values) may fall the other side of it.
     */
    private static final int HLL_LOG2_REGISTERS = 12;

    final Profiler.Column column;
    long nonNull;

    ArrowColumn(Profiler.Column column) {
        this.column = column;
    }

    static ArrowColumn of(Profiler.Column column, boolean exactDistinct) {
        return switch (column.type()) {
            case INTEGER, FLOAT -> new Numeric(column, exactDistinct);
            case STRING -> new Text(column, exactDistinct);
            case BOOLEAN -> new Bool(column);
            case DATE, TIMESTAMP -> new Temporal(column, exactDistinct);
            case OTHER -> new Other(column);
        };
    }

    /** Adds the batch's values; its nulls count in no aggregate. */
    abstract void add(FieldVector vector);

    /** The exact distinct count of a {@code unique: true} column; null where none was asked for. */
    abstract Long exactDistinct();

    /** A rough cost per value, to spread the columns over the threads. */
    abstract int weight();

    /** How a fixed-width vector holds its values, for reading its data buffer directly; null for the others. */
    enum Width {
        DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, UINT, USHORT, UBYTE;

        static Width of(FieldVector vector) {
            if (vector instanceof Float8Vector) {
                return DOUBLE;
            } else if (vector instanceof Float4Vector) {
                return FLOAT;
            } else if (vector instanceof BigIntVector || vector instanceof TimeStampVector) {
                return LONG;
            } else if (vector instanceof IntVector || vector instanceof DateDayVector) {
                return INT;
            } else if (vector instanceof SmallIntVector) {
                return SHORT;
            } else if (vector instanceof TinyIntVector) {
                return BYTE;
            } else if (vector instanceof UInt4Vector) {
                return UINT;
            } else if (vector instanceof UInt2Vector) {
                return USHORT;
            } else if (vector instanceof UInt1Vector) {
                return UBYTE;
            }
            return null;
        }
    }

    /** The validity bits of rows {@code row} to {@code row + 63} ({@code row} a multiple of 64), row {@code row} the lowest. */
    static long validity(ArrowBuf validity, int row) {
        long at = row >>> 3;
        if (at + 8 <= validity.capacity()) {
            return validity.getLong(at);
        }
        long word = 0;
        for (int b = 0; at + b < validity.capacity() && b < 8; b++) {
            word |= (validity.getByte(at + b) & 0xFFL) << (8 * b);
        }
        return word;
    }

    static HllSketch sketch() {
        return new HllSketch(HLL_LOG2_REGISTERS, TgtHllType.HLL_8);
    }

    static long estimate(HllSketch sketch) {
        return Math.round(sketch.getEstimate());
    }

    /** Integers and floats as doubles (DuckDB's {@code CAST(c AS DOUBLE)}): counts, finite moments and range, bins, NaN and infinities. */
    static final class Numeric extends ArrowColumn {
        final NestedHistogram histogram;
        long finite;
        long nan;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        double mean;
        double m2;
        /** Integers' distinct estimate, started once the bins are no longer one value wide (until then they count exactly). */
        HllSketch sketch;
        private final LongSet distinct;

        Numeric(Profiler.Column column, boolean exactDistinct) {
            super(column);
            boolean integral = column.type() == ColumnType.INTEGER;
            histogram = new NestedHistogram(integral, integral ? this::startSketch : null);
            distinct = exactDistinct ? new LongSet() : null;
        }

        @Override
        void add(FieldVector vector) {
            int n = vector.getValueCount();
            Width width = Width.of(vector);
            if (width != null) {
                // The buffers read directly, 64 rows' validity at a time: a vector's get(i) tests the
                // row's validity bit again, with bounds checks, and cost more than the aggregates.
                ArrowBuf data = vector.getDataBuffer();
                ArrowBuf validity = vector.getValidityBuffer();
                boolean nulls = vector.getNullCount() > 0;
                for (int base = 0; base < n; base += 64) {
                    long valid = nulls ? validity(validity, base) : -1L;
                    int end = Math.min(64, n - base);
                    for (int j = 0; j < end; j++) {
                        if ((valid >>> j & 1) != 0) {
                            long i = base + j;
                            switch (width) {
                                case DOUBLE -> accept(data.getDouble(i << 3));
                                case FLOAT -> accept(data.getFloat(i << 2));
                                case LONG -> acceptLong(data.getLong(i << 3));
                                case INT -> acceptLong(data.getInt(i << 2));
                                case SHORT -> acceptLong(data.getShort(i << 1));
                                case BYTE -> acceptLong(data.getByte(i));
                                case UINT -> acceptLong(data.getInt(i << 2) & 0xFFFF_FFFFL);
                                case USHORT -> acceptLong(data.getShort(i << 1) & 0xFFFFL);
                                case UBYTE -> acceptLong(data.getByte(i) & 0xFFL);
                            }
                        }
                    }
                }
            } else if (vector instanceof UInt8Vector v) {
                for (int i = 0; i < n; i++) {
                    if (!v.isNull(i)) {
                        long raw = v.get(i);
                        if (raw >= 0) {
                            acceptLong(raw);
                        } else {
                            acceptExact(UInt8Vector.getNoOverflow(v.getDataBuffer(), i).doubleValue(), raw);
                        }
                    }
                }
            } else {
                for (int i = 0; i < n; i++) { // decimals, HUGEINT (a 128-bit decimal in Arrow)
                    Object value = vector.getObject(i);
                    if (value != null) {
                        double d = ((Number) value).doubleValue();
                        acceptExact(d, Double.doubleToLongBits(d == 0 ? 0.0 : d));
                    }
                }
            }
        }

        private void acceptLong(long value) {
            acceptExact((double) value, value);
        }

        private void acceptExact(double value, long exact) {
            if (distinct != null) {
                distinct.add(exact);
            }
            accept(value);
        }

        private void accept(double x) {
            nonNull++;
            if (Double.isNaN(x)) {
                nan++;
                return;
            }
            if (Double.isInfinite(x)) {
                return;
            }
            finite++;
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
            double delta = x - mean;
            mean += delta / finite;
            m2 += delta * (x - mean);
            histogram.add(x);
            if (sketch != null) {
                sketch.update(Double.doubleToLongBits(x));
            }
        }

        /** The bins held each value apart until now: the estimate starts with every distinct value so far. */
        private void startSketch(double value) {
            if (sketch == null) {
                sketch = sketch();
            }
            sketch.update(Double.doubleToLongBits(value));
        }

        @Override
        Long exactDistinct() {
            return distinct == null ? null : distinct.size();
        }

        @Override
        int weight() {
            return 2;
        }
    }

    /**
     * Text: every value counted while there are at most {@code counted} distinct ones (the SQL
     * profiler's threshold for its GROUP BY), a distinct estimate and a blank count past that.
     */
    static final class Text extends ArrowColumn {
        private static final int COUNTED = 2 * CategoryCounts.MAX_CATEGORIES;
        TextCounts counts = new TextCounts(COUNTED);
        HllSketch sketch;
        long blanks;
        private byte[] scratch = new byte[64];
        private final Set<String> distinct;

        Text(Profiler.Column column, boolean exactDistinct) {
            super(column);
            distinct = exactDistinct ? new HashSet<>() : null;
        }

        @Override
        void add(FieldVector vector) {
            int n = vector.getValueCount();
            if (vector instanceof VarCharVector v) {
                ArrowBuf offsets = v.getOffsetBuffer();
                ArrowBuf data = v.getDataBuffer();
                ArrowBuf validity = v.getValidityBuffer();
                boolean nulls = v.getNullCount() > 0;
                for (int base = 0; base < n; base += 64) {
                    long valid = nulls ? validity(validity, base) : -1L;
                    int end = Math.min(64, n - base);
                    for (int j = 0; j < end; j++) {
                        if ((valid >>> j & 1) != 0) {
                            long i = base + j;
                            int start = offsets.getInt(i << 2);
                            int length = offsets.getInt((i + 1) << 2) - start;
                            if (length <= TextCounts.SHORT && start + 16L <= data.capacity()) {
                                // Short text (most categories) is read as two words and compared as such, not copied.
                                long w0 = TextCounts.masked(data.getLong(start), length);
                                long w1 = TextCounts.masked(data.getLong(start + 8L), length - 8);
                                acceptShort(w0, w1, length, data, start);
                                continue;
                            }
                            if (length > scratch.length) {
                                scratch = new byte[Math.max(length, 2 * scratch.length)];
                            }
                            data.getBytes(start, scratch, 0, length);
                            accept(scratch, length);
                        }
                    }
                }
            } else {
                for (int i = 0; i < n; i++) { // large and view strings, UUIDs: rare enough to decode
                    Object value = vector.getObject(i);
                    if (value != null) {
                        byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
                        accept(bytes, bytes.length);
                    }
                }
            }
        }

        private void acceptShort(long w0, long w1, int length, ArrowBuf data, long start) {
            long hash = TextCounts.hashShort(w0, w1, length);
            if (distinct == null && counts != null && counts.addShort(w0, w1, length, hash, data, start)) {
                nonNull++;
                return;
            }
            if (length > scratch.length) {
                scratch = new byte[Math.max(length, 2 * scratch.length)];
            }
            data.getBytes(start, scratch, 0, length);
            accept(scratch, length); // the general path: a new value past the limit, an exact distinct count
        }

        private void accept(byte[] bytes, int length) {
            nonNull++;
            if (distinct != null) {
                distinct.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
            }
            long hash = TextCounts.hash(bytes, length);
            if (counts != null && counts.add(bytes, length, hash)) {
                return;
            }
            if (counts != null) {
                overflow();
            }
            sketch.update(hash);
            if (blank(bytes, length)) {
                blanks++;
            }
        }

        /** One value more than the table holds: the estimate starts from the values counted so far, and so do the blanks. */
        private void overflow() {
            sketch = sketch();
            for (long hash : counts.hashes()) {
                sketch.update(hash);
            }
            blanks = blanks(counts.byValue());
            counts = null;
        }

        /** Only Unicode space separators (Zs), or empty: the SQL profiler's test, with its prefilter on the first byte. */
        private static boolean blank(byte[] bytes, int length) {
            if (length == 0) {
                return true;
            }
            int lead = bytes[0] & 0xFF;
            if (lead >= '!' && (lead < 0xC2 || lead > 0xE3)) {
                return false;
            }
            return new String(bytes, 0, length, StandardCharsets.UTF_8).codePoints()
                    .allMatch(cp -> Character.getType(cp) == Character.SPACE_SEPARATOR);
        }

        static long blanks(Map<String, Long> byValue) {
            long blank = 0;
            for (Map.Entry<String, Long> entry : byValue.entrySet()) {
                if (entry.getKey().codePoints().allMatch(cp -> Character.getType(cp) == Character.SPACE_SEPARATOR)) {
                    blank += entry.getValue();
                }
            }
            return blank;
        }

        @Override
        Long exactDistinct() {
            return distinct == null ? null : (long) distinct.size();
        }

        @Override
        int weight() {
            return 3;
        }
    }

    /** Booleans, always counted as the categories "true" and "false". */
    static final class Bool extends ArrowColumn {
        long trues;
        long falses;

        Bool(Profiler.Column column) {
            super(column);
        }

        @Override
        void add(FieldVector vector) {
            BitVector v = (BitVector) vector;
            int n = v.getValueCount();
            boolean nulls = v.getNullCount() > 0;
            for (int base = 0; base < n; base += 64) {
                long rows = n - base >= 64 ? -1L : (1L << (n - base)) - 1;
                long valid = (nulls ? validity(v.getValidityBuffer(), base) : -1L) & rows;
                long set = validity(v.getDataBuffer(), base) & valid;
                trues += Long.bitCount(set);
                falses += Long.bitCount(valid & ~set);
            }
            nonNull = trues + falses;
        }

        Map<String, Long> byValue() {
            Map<String, Long> out = new java.util.HashMap<>();
            if (trues > 0) {
                out.put("true", trues);
            }
            if (falses > 0) {
                out.put("false", falses);
            }
            return out;
        }

        @Override
        Long exactDistinct() {
            return (long) byValue().size();
        }

        @Override
        int weight() {
            return 1;
        }
    }

    /** Dates and timestamps as Arrow stores them (days, or a unit since the epoch): range and a distinct estimate. */
    static final class Temporal extends ArrowColumn {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        /** A timestamp's unit; null for dates, which Arrow holds as days. */
        org.apache.arrow.vector.types.TimeUnit unit;
        final HllSketch sketch = sketch();
        private final LongSet distinct;

        Temporal(Profiler.Column column, boolean exactDistinct) {
            super(column);
            distinct = exactDistinct ? new LongSet() : null;
        }

        @Override
        void add(FieldVector vector) {
            int n = vector.getValueCount();
            unit = ColumnarProfiler.unit(vector);
            Width width = Width.of(vector);
            if (width != Width.INT && width != Width.LONG) {
                throw new IllegalStateException("column " + column.name() + ": DuckDB exported " + column.engineType()
                        + " as " + vector.getClass().getSimpleName() + ", which the arrow engine does not read");
            }
            ArrowBuf data = vector.getDataBuffer();
            ArrowBuf validity = vector.getValidityBuffer();
            boolean nulls = vector.getNullCount() > 0;
            for (int base = 0; base < n; base += 64) {
                long valid = nulls ? validity(validity, base) : -1L;
                int end = Math.min(64, n - base);
                for (int j = 0; j < end; j++) {
                    if ((valid >>> j & 1) != 0) {
                        long i = base + j;
                        accept(width == Width.INT ? data.getInt(i << 2) : data.getLong(i << 3));
                    }
                }
            }
        }

        private void accept(long value) {
            nonNull++;
            min = Math.min(min, value);
            max = Math.max(max, value);
            sketch.update(value);
            if (distinct != null) {
                distinct.add(value);
            }
        }

        @Override
        Long exactDistinct() {
            return distinct == null ? null : distinct.size();
        }

        @Override
        int weight() {
            return 2;
        }
    }

    /** Lists, structs, blobs: only counted. */
    static final class Other extends ArrowColumn {
        Other(Profiler.Column column) {
            super(column);
        }

        @Override
        void add(FieldVector vector) {
            nonNull += vector.getValueCount() - vector.getNullCount();
        }

        @Override
        Long exactDistinct() {
            return null;
        }

        @Override
        int weight() {
            return 1;
        }
    }
}
