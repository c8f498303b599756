package io.jenkins.plugins.mlops.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTest {
    @TempDir
    Path dir;

    @Test
    void theSameFilesGiveTheSameDigestWhateverTheirTimesAndOwners() throws IOException {
        Path one = tree(dir.resolve("one"));
        Path two = tree(dir.resolve("two"));
        Files.setLastModifiedTime(two.resolve("pkg/module.py"), FileTime.fromMillis(1_000_000_000_000L));

        Layer a = Layer.of(one, "opt/mlops/python", dir.resolve("a.tar.gz"), Set.of("bin"));
        Layer b = Layer.of(two, "opt/mlops/python", dir.resolve("b.tar.gz"), Set.of("bin"));

        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(b.diffId()).isEqualTo(a.diffId()).isNotEqualTo(a.digest());
        Files.writeString(two.resolve("pkg/module.py"), "x = 2\n");
        assertThat(Layer.of(two, "opt/mlops/python", dir.resolve("c.tar.gz"), Set.of("bin")).digest()).isNotEqualTo(a.digest());
    }

    /** GNU tar reads the layer: names (a long one through PAX), modes, links, root owner, the fixed time; bin/ is left out. */
    @Test
    void gnuTarReadsTheLayer() throws Exception {
        Path tree = tree(dir.resolve("tree"));
        Layer layer = Layer.of(tree, "opt/mlops/python", dir.resolve("layer.tar.gz"), Set.of("bin"));
        Process tar = new ProcessBuilder(TestEnvironment.command("tar").toString(), "--numeric-owner", "--full-time", "-tvzf",
                layer.file().toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(listing).isZero();

        assertThat(listing).contains("drwxr-xr-x 0/0", "opt/mlops/python/pkg/", "-rwxr-xr-x 0/0", "opt/mlops/python/pkg/run.sh",
                "-rw-r--r-- 0/0", "opt/mlops/python/pkg/" + "long-name-".repeat(15) + ".py",
                "opt/mlops/python/pkg/alias.py -> module.py", "1970-01-01 00:00:01");
        assertThat(listing).doesNotContain("python/bin");
    }

    /** The reader that scans base layers reads what the writer wrote: names long and short, and each file's bytes. */
    @Test
    void theLayerReaderSeesEveryEntryWithItsBytes() throws IOException {
        Layer layer = Layer.of(tree(dir.resolve("tree")), "opt/x", dir.resolve("layer.tar.gz"), Set.of());
        java.util.Map<String, String> entries = new java.util.TreeMap<>();
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(layer.file()))) {
            TarReader.forEach(in, (name, size, body) -> entries.put(name, new String(body.readNBytes(3), StandardCharsets.UTF_8)));
        }
        assertThat(entries).containsEntry("opt/x/pkg/module.py", "x =").containsEntry("opt/x/pkg/" + "long-name-".repeat(15) + ".py", "y =")
                .containsEntry("opt/x/bin/tool", "#!/").containsKeys("opt/", "opt/x/", "opt/x/pkg/alias.py");
    }

    private static Path tree(Path root) throws IOException {
        Files.createDirectories(root.resolve("pkg"));
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/tool"), "#!/somewhere/python\n");
        Files.writeString(root.resolve("pkg/module.py"), "x = 1\n");
        Files.writeString(root.resolve("pkg/" + "long-name-".repeat(15) + ".py"), "y = 1\n");
        Path script = Files.writeString(root.resolve("pkg/run.sh"), "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(root.resolve("pkg/alias.py"), Path.of("module.py"));
        return root;
    }
}
