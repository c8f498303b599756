package io.jenkins.plugins.mlops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sub/result.json");
        AtomicFiles.write(target, "old");
        AtomicFiles.write(target, "new");

        assertThat(target).hasContent("new");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void filesGetThePermissionsOfAnyNewFileNotPrivateTemporaryOnes(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("report.json");
        AtomicFiles.write(target, "{}");
        Path plain = Files.createFile(dir.resolve("plain.json"));

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain))
                .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aFailedWriteKeepsTheOldFile(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "keep me");

        assertThatThrownBy(() -> AtomicFiles.write(blocker.resolve("x.json"), "data"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("x.json");
        assertThat(blocker).hasContent("keep me");
    }
}
