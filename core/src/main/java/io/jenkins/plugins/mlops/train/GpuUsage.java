package io.jenkins.plugins.mlops.train;

import java.io.Serializable;

/**
 * How one GPU was used during a local training run, from {@code nvidia-smi} samples.
 *
 * @param index the GPU's index (or UUID) as nvidia-smi names it
 * @param name the product, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param samples how many samples were taken
 * @param meanUtilizationPct mean of the GPU utilisation samples, in percent
 * @param maxUtilizationPct highest GPU utilisation sampled, in percent
 * @param peakMemoryMib highest memory in use, in MiB
 * @param totalMemoryMib the GPU's memory, in MiB
 */
public record GpuUsage(String index, String name, int samples, double meanUtilizationPct, double maxUtilizationPct,
        long peakMemoryMib, long totalMemoryMib) implements Serializable {}
