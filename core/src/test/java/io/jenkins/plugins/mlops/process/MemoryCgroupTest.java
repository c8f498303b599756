package io.jenkins.plugins.mlops.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding this process's cgroup and the files a limit is written to, on cgroup trees laid out in a directory. */
class MemoryCgroupTest {
    @TempDir
    Path root;

    @Test
    void cgroupV2WhereTheOwnCgroupDelegatesTheMemoryController() throws Exception {
        Path own = Files.createDirectories(root.resolve("unified/build.slice/agent.scope"));
        Files.writeString(own.resolve("cgroup.subtree_control"), "cpu memory pids\n");
        Path mountInfo = Files.writeString(root.resolve("mountinfo"),
                "35 31 0:32 / " + root.resolve("memory") + " rw,relatime - cgroup cgroup rw,memory\n"
                        + "41 31 0:38 / " + root.resolve("unified") + " rw,relatime - cgroup2 cgroup2 rw\n");
        Path membership = Files.writeString(root.resolve("cgroup"), "4:memory:/ci\n0::/build.slice/agent.scope\n");

        MemoryCgroup cgroup = MemoryCgroup.create(512L << 20, mountInfo, membership).orElseThrow();

        assertThat(cgroup.version()).isEqualTo(MemoryLimitMechanism.CGROUP_V2);
        Path dir = cgroup.processesFile().getParent();
        assertThat(dir.getParent()).isEqualTo(own);
        assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo(String.valueOf(512L << 20));
        assertThat(Files.readString(dir.resolve("memory.swap.max"))).isEqualTo("0");
        assertThat(Files.readString(dir.resolve("memory.oom.group"))).isEqualTo("1");
        assertThat(cgroup.oomKilled()).isFalse();
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        Files.writeString(dir.resolve("memory.peak"), "536870912\n");
        assertThat(cgroup.oomKilled()).isTrue();
        assertThat(cgroup.peakBytes()).isEqualTo(512L << 20);
    }

    @Test
    void cgroupV1MemoryHierarchyWhenV2DoesNotDelegateMemory() throws Exception {
        Files.createDirectories(root.resolve("unified"));
        Files.writeString(root.resolve("unified/cgroup.subtree_control"), "");
        Path own = Files.createDirectories(root.resolve("memory/ci/job-7"));
        Path mountInfo = Files.writeString(root.resolve("mountinfo"),
                "35 31 0:32 / " + root.resolve("memory") + " rw,relatime - cgroup cgroup rw,memory\n"
                        + "41 31 0:38 / " + root.resolve("unified") + " rw,relatime - cgroup2 cgroup2 rw\n");
        Path membership = Files.writeString(root.resolve("cgroup"), "5:devices:/\n4:memory:/ci/job-7\n0::/\n");

        MemoryCgroup cgroup = MemoryCgroup.create(1L << 30, mountInfo, membership).orElseThrow();

        assertThat(cgroup.version()).isEqualTo(MemoryLimitMechanism.CGROUP_V1);
        Path dir = cgroup.processesFile().getParent();
        assertThat(dir.getParent()).isEqualTo(own);
        assertThat(Files.readString(dir.resolve("memory.limit_in_bytes"))).isEqualTo(String.valueOf(1L << 30));
        Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        assertThat(cgroup.oomKilled()).isFalse();
        Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        assertThat(cgroup.oomKilled()).isTrue();
    }

    @Test
    void nothingWhereNoMemoryCgroupIsMountedOrItIsNotThere() throws Exception {
        Path mountInfo = Files.writeString(root.resolve("mountinfo"),
                "41 31 0:38 / " + root.resolve("unified") + " rw,relatime - cgroup2 cgroup2 rw\n");
        Path membership = Files.writeString(root.resolve("cgroup"), "0::/user.slice\n");

        assertThat(MemoryCgroup.create(1L << 30, mountInfo, membership)).isEmpty();
        assertThat(MemoryCgroup.create(1L << 30, root.resolve("no-mountinfo"), membership)).isEmpty();
    }

    @Test
    void abandonedCgroupsOfDeadMlopsProcessesAreRemovedLiveOnesKept() throws Exception {
        Path own = Files.createDirectories(root.resolve("memory/ci"));
        Path abandoned = Files.createDirectories(own.resolve("mlops-" + Integer.MAX_VALUE + "-1"));
        Path live = Files.createDirectories(own.resolve("mlops-" + ProcessHandle.current().pid() + "-999"));
        Path mountInfo = Files.writeString(root.resolve("mountinfo"),
                "35 31 0:32 / " + root.resolve("memory") + " rw,relatime - cgroup cgroup rw,memory\n");
        Path membership = Files.writeString(root.resolve("cgroup"), "4:memory:/ci\n");

        Optional<MemoryCgroup> cgroup = MemoryCgroup.create(1L << 30, mountInfo, membership);

        assertThat(cgroup).isPresent();
        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
    }
}
