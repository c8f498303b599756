package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** A value is one key whichever way it is read: as two words from Arrow's buffer or as bytes, short or long. */
class TextCountsTest {
    @Test
    void wordsAndBytesOfTheSameValueCountAsOneAndDecodeBack() {
        List<String> values = List.of("", "a", "north", "exactly8", "fifteen chars!!", "sixteen chars!!!", "seventeen chars!!",
                "é", "\u3000", "😀 emoji", "a much longer value than sixteen bytes");
        TextCounts counts = new TextCounts(100);
        Map<String, Long> expected = new HashMap<>();
        try (BufferAllocator allocator = new RootAllocator(); ArrowBuf data = allocator.buffer(256)) {
            for (int round = 0; round < 3; round++) {
                for (String value : values) {
                    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    long hash = TextCounts.hash(bytes, bytes.length);
                    if (round == 1 && bytes.length <= TextCounts.SHORT) {
                        data.setZero(0, data.capacity());
                        data.setBytes(3, bytes);
                        data.setByte(3 + bytes.length, 'x'); // garbage after the value must not count
                        long w0 = TextCounts.masked(data.getLong(3), bytes.length);
                        long w1 = TextCounts.masked(data.getLong(11), bytes.length - 8);
                        assertThat(TextCounts.hashShort(w0, w1, bytes.length)).as(value).isEqualTo(hash);
                        assertThat(counts.addShort(w0, w1, bytes.length, hash, data, 3)).isTrue();
                    } else {
                        assertThat(counts.add(bytes, bytes.length, hash)).isTrue();
                    }
                    expected.merge(value, 1L, Long::sum);
                }
            }
        }
        assertThat(counts.byValue()).isEqualTo(expected);
        assertThat(counts.size()).isEqualTo(values.size());
    }

    @Test
    void aNewValueBeyondTheLimitIsRefusedAndNotCounted() {
        TextCounts counts = new TextCounts(2);
        for (String value : List.of("a", "b", "a")) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            assertThat(counts.add(bytes, bytes.length, TextCounts.hash(bytes, bytes.length))).isTrue();
        }
        byte[] c = "c".getBytes(StandardCharsets.UTF_8);
        assertThat(counts.add(c, 1, TextCounts.hash(c, 1))).isFalse();
        assertThat(counts.byValue()).isEqualTo(Map.of("a", 2L, "b", 1L));
    }
}
