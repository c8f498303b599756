package io.jenkins.plugins.mlops.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A memory cgroup of its own for one training run, the way the kubelet bounds a pod: the kernel
 * counts every page the process tree uses (forked data-loader workers included) and its OOM killer
 * ends the tree at the limit. Made as a child of this JVM's own cgroup, where that is writable:
 * cgroup v2 when this cgroup delegates the memory controller to its children, else cgroup v1's
 * memory hierarchy. Where neither is writable (most unprivileged CI agents) {@link #create} gives
 * nothing and the launcher falls back to watching the tree's resident memory.
 */
final class MemoryCgroup implements AutoCloseable {
    private static final AtomicLong NEXT = new AtomicLong();
    /** mlops-PID-N: the cgroups this class makes, named after the JVM that made them. */
    private static final Pattern OURS = Pattern.compile("mlops-(\\d+)-\\d+");

    private final Path dir;
    private final MemoryLimitMechanism version;

    private MemoryCgroup(Path dir, MemoryLimitMechanism version) {
        this.dir = dir;
        this.version = version;
    }

    /** A new cgroup limited to {@code bytes}, or empty when no writable memory cgroup is there. */
    static Optional<MemoryCgroup> create(long bytes) {
        return create(bytes, Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
    }

    static Optional<MemoryCgroup> create(long bytes, Path mountInfo, Path ownCgroup) {
        List<String> mounts;
        List<String> memberships;
        try {
            mounts = Files.readAllLines(mountInfo);
            memberships = Files.readAllLines(ownCgroup);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();  // not Linux
        }
        Optional<Path> v2 = ownDirectory(mounts, memberships, true);
        if (v2.isPresent() && readOrEmpty(v2.get().resolve("cgroup.subtree_control")).contains("memory")) {
            Optional<MemoryCgroup> made = make(v2.get(), MemoryLimitMechanism.CGROUP_V2, bytes);
            if (made.isPresent()) {
                return made;
            }
        }
        return ownDirectory(mounts, memberships, false).flatMap(parent -> make(parent, MemoryLimitMechanism.CGROUP_V1, bytes));
    }

    MemoryLimitMechanism version() {
        return version;
    }

    /** The file a process writes its pid into to join. */
    Path processesFile() {
        return dir.resolve("cgroup.procs");
    }

    /** Whether the kernel's OOM killer ended a process of this cgroup. */
    boolean oomKilled() {
        String events = readOrEmpty(dir.resolve(version == MemoryLimitMechanism.CGROUP_V2 ? "memory.events" : "memory.oom_control"));
        return events.lines().anyMatch(line -> line.startsWith("oom_kill ") && !line.equals("oom_kill 0"));
    }

    /** The most memory the cgroup was charged (page cache included), or 0 where the kernel does not say. */
    long peakBytes() {
        String peak = readOrEmpty(dir.resolve(version == MemoryLimitMechanism.CGROUP_V2 ? "memory.peak" : "memory.max_usage_in_bytes"));
        try {
            return peak.isBlank() ? 0 : Long.parseLong(peak.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Kills what is left in the cgroup and removes it. */
    @Override
    public void close() {
        for (int attempt = 0; attempt < 50; attempt++) {
            List<Long> left = members();
            if (left.isEmpty()) {
                break;
            }
            if (!write(dir.resolve("cgroup.kill"), "1")) {
                left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A process stuck in the kernel still holds it; an empty cgroup costs nothing.
        }
    }

    private List<Long> members() {
        return readOrEmpty(processesFile()).lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.strip())).toList();
    }

    private static Optional<MemoryCgroup> make(Path parent, MemoryLimitMechanism version, long bytes) {
        if (!Files.isDirectory(parent) || !Files.isWritable(parent)) {
            return Optional.empty();
        }
        removeAbandoned(parent);
        Path dir = parent.resolve("mlops-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet());
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            return Optional.empty();
        }
        MemoryCgroup cgroup = new MemoryCgroup(dir, version);
        boolean limited;
        if (version == MemoryLimitMechanism.CGROUP_V2) {
            limited = write(dir.resolve("memory.max"), Long.toString(bytes));
            write(dir.resolve("memory.swap.max"), "0");
            // The whole tree goes at once, as the kubelet configures a pod's cgroup.
            write(dir.resolve("memory.oom.group"), "1");
        } else {
            limited = write(dir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            // Memory and swap together, where swap accounting is on: swapping is not a way past the limit.
            write(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(bytes));
        }
        if (!limited) {
            cgroup.close();
            return Optional.empty();
        }
        return Optional.of(cgroup);
    }

    /**
     * Removes the empty cgroups of mlops processes that are gone: one killed with SIGKILL takes
     * its training tree with it (see {@link LocalProcessLauncher}) but cannot remove the cgroup.
     * A cgroup that still has processes cannot be removed, so a live run is never touched.
     */
    private static void removeAbandoned(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            children.forEach(child -> {
                Matcher name = OURS.matcher(child.getFileName().toString());
                if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()) {
                    try {
                        Files.deleteIfExists(child);
                    } catch (IOException e) {
                        // Still populated, or not ours to remove.
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Nothing to tidy.
        }
    }

    /**
     * This process's cgroup directory in the v2 (unified) or the v1 memory hierarchy, from
     * {@code /proc/self/cgroup} and where that hierarchy is mounted.
     */
    private static Optional<Path> ownDirectory(List<String> mounts, List<String> memberships, boolean unified) {
        Optional<String> relative = memberships.stream().map(line -> line.split(":", 3)).filter(parts -> parts.length == 3)
                .filter(parts -> unified ? parts[0].equals("0") && parts[1].isEmpty()
                        : List.of(parts[1].split(",")).contains("memory"))
                .map(parts -> parts[2]).findFirst();
        Optional<String[]> mount = mounts.stream().map(line -> line.split(" ")).filter(fields -> {
            int dash = List.of(fields).indexOf("-");
            if (dash < 0 || dash + 3 >= fields.length) {
                return false;
            }
            return unified ? fields[dash + 1].equals("cgroup2")
                    : fields[dash + 1].equals("cgroup") && List.of(fields[dash + 3].split(",")).contains("memory");
        }).findFirst();
        if (relative.isEmpty() || mount.isEmpty()) {
            return Optional.empty();
        }
        // mountinfo field 4 is the mounted root within the hierarchy: "/" unless a cgroup namespace shows part of it.
        String root = mount.get()[3];
        String path = relative.get();
        if (!root.equals("/") && path.startsWith(root)) {
            path = path.substring(root.length());
        }
        return Optional.of(Path.of(mount.get()[4], path.replaceFirst("^/+", "")));
    }

    private static boolean write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String readOrEmpty(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return String.join("\n", lines.toList());
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
