package io.jenkins.plugins.mlops.train;

/** How a memory limit was put on a local training process. */
public enum MemoryLimitMechanism {
    /**
     * {@code prlimit --as}: an address-space limit (RLIMIT_AS) on the process and, inherited, on
     * each child. Allocations past it fail at once (Python raises MemoryError) instead of the
     * machine swapping or the kernel's OOM killer picking a victim.
     */
    PRLIMIT_AS,
    /** No limit could be set: {@code prlimit} (util-linux) is not installed. */
    NONE
}
