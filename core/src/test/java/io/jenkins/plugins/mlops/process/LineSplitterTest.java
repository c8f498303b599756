package io.jenkins.plugins.mlops.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    @Test
    void joinsChunksIntoLinesAndCutsEndlessOnes() throws Exception {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(lines::add);

        splitter.write("epoch 1 lo".getBytes(StandardCharsets.UTF_8));
        splitter.write("ss=0.5\r\nepoch 2 – é\n".getBytes(StandardCharsets.UTF_8));
        byte[] endless = "y".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        splitter.write(endless, 0, endless.length);
        splitter.close();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("epoch 1 loss=0.5");
        assertThat(lines.get(1)).isEqualTo("epoch 2 – é");
        assertThat(lines.get(2)).hasSize(LineSplitter.MAX_LINE_BYTES);
    }
}
