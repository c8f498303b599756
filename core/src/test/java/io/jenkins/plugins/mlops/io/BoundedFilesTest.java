package io.jenkins.plugins.mlops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedFilesTest {
    private static final Path ZERO = Path.of("/dev/zero");

    @TempDir
    Path dir;

    @Test
    void aDeviceThatReportsNoSizeIsStoppedByTheBytesRead() {
        assertThat(ZERO).exists();

        assertThatThrownBy(() -> BoundedFiles.readString(ZERO, 1 << 20, "a policy is a few rules"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("/dev/zero is larger than 1.0 MiB; a policy is a few rules");
        assertThatThrownBy(() -> {
            try (BufferedReader reader = BoundedFiles.newReader(ZERO, 1 << 20, "replay a sample")) {
                reader.readLine();
            }
        }).isInstanceOf(BadInputException.class).hasMessageContaining("/dev/zero is larger than 1.0 MiB");
    }

    @Test
    void aRegularFileOverTheCapIsRefusedAndOneAtTheCapIsRead() throws IOException {
        Path exact = Files.writeString(dir.resolve("exact.txt"), "x".repeat(1024));
        Path over = Files.writeString(dir.resolve("over.txt"), "x".repeat(1025));

        assertThat(BoundedFiles.readString(exact, 1024, "hint")).hasSize(1024);
        assertThatThrownBy(() -> BoundedFiles.readString(over, 1024, "hint"))
                .isInstanceOf(BadInputException.class).hasMessage(over + " is larger than 1.0 KiB; hint");
    }

    @Test
    void textThatIsNotUtf8IsMalformedNotReplaced() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});

        assertThatThrownBy(() -> BoundedFiles.readString(latin1, 1024, "hint")).isInstanceOf(MalformedInputException.class);
    }
}
