package io.jenkins.plugins.mlops.process;

/**
 * How the memory limit of a local training run was enforced. Every mechanism limits what people
 * mean by memory, the resident memory of the whole process tree (forked workers included), and
 * ends the tree at the limit the way the Kubernetes OOM killer ends a pod.
 */
public enum MemoryLimitMechanism {
    /** A cgroup v2 of its own ({@code memory.max}, swap off, {@code memory.oom.group}): the kernel enforces it. */
    CGROUP_V2,
    /** A cgroup v1 memory controller of its own ({@code memory.limit_in_bytes}): the kernel enforces it. */
    CGROUP_V1,
    /**
     * No writable cgroup: mlops samples the tree's resident memory from {@code /proc} every
     * {@value LocalProcessLauncher#MEMORY_SAMPLE_MS} ms (and each process's own high-water mark,
     * exact between samples) and kills the tree once it is over the limit.
     */
    RSS_WATCHDOG,
    /**
     * The command ran through a starter that is not this machine's (a Jenkins step inside
     * {@code container()}): a shell in the target environment set {@code ulimit -v} before it ran,
     * so an allocation over the limit fails (Python's {@code MemoryError}) rather than a kill; the
     * target's own limit (the container's cgroup) applies as well. The peak is not measured.
     */
    ADDRESS_SPACE_ULIMIT,
    /** No limit could be set: there is no {@code /proc} to measure the tree (not Linux). */
    NONE
}
