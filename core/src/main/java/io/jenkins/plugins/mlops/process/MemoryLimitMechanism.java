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
    /** No limit could be set: there is no {@code /proc} to measure the tree (not Linux). */
    NONE
}
