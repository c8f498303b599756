package io.jenkins.plugins.mlops.train;

import io.jenkins.plugins.mlops.process.Executables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples GPU utilisation and memory through {@code nvidia-smi --query-gpu ... --format=csv}, the
 * one interface every NVIDIA driver installation has, while a local training run goes on.
 */
public final class NvidiaSmi {
    static final String QUERY = "index,name,utilization.gpu,memory.used,memory.total";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Path executable;

    NvidiaSmi(Path executable) {
        this.executable = executable;
    }

    /** nvidia-smi from the PATH, if the NVIDIA driver is installed here. */
    public static Optional<NvidiaSmi> find() {
        return Executables.onPath("nvidia-smi").map(NvidiaSmi::new);
    }

    /** The GPUs this machine has (empty when nvidia-smi fails). */
    public List<String> gpus() {
        return query(null).stream().map(Sample::index).toList();
    }

    /**
     * Starts sampling the given GPUs (nvidia-smi ids or UUIDs; all when empty) every {@code interval}.
     * Close the returned sampler to stop it and read the usage.
     */
    public Sampler sample(List<String> ids, Duration interval) {
        return new Sampler(ids, interval);
    }

    /** One line of nvidia-smi's CSV; null numbers where it says {@code [N/A]} or {@code [Not Supported]}. */
    record Sample(String index, String name, Double utilizationPct, Long memoryUsedMib, Long memoryTotalMib) {}

    /** Parses {@code --format=csv,noheader,nounits} output of {@link #QUERY}. */
    static List<Sample> parse(String csv) {
        List<Sample> samples = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] fields = line.split(",\\s*");
            if (fields.length != 5) {
                continue;
            }
            samples.add(new Sample(fields[0].trim(), fields[1].trim(), number(fields[2]), whole(fields[3]), whole(fields[4])));
        }
        return samples;
    }

    private List<Sample> query(List<String> ids) {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        if (ids != null && !ids.isEmpty()) {
            command.add("--id=" + String.join(",", ids));
        }
        command.add("--query-gpu=" + QUERY);
        command.add("--format=csv,noheader,nounits");
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            return process.exitValue() == 0 ? parse(output) : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static Double number(String field) {
        try {
            return Double.parseDouble(field.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long whole(String field) {
        Double value = number(field);
        return value == null ? null : Math.round(value);
    }

    /** Background sampling of a set of GPUs. */
    public final class Sampler implements AutoCloseable {
        private final Map<String, Accumulator> byGpu = new LinkedHashMap<>();
        private final ScheduledExecutorService scheduler;

        private Sampler(List<String> ids, Duration interval) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops-nvidia-smi");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(() -> record(query(ids)), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void record(List<Sample> samples) {
            for (Sample sample : samples) {
                byGpu.computeIfAbsent(sample.index(), i -> new Accumulator(sample.name())).add(sample);
            }
        }

        /** The usage of each GPU sampled so far. */
        public synchronized List<GpuUsage> usage() {
            List<GpuUsage> usage = new ArrayList<>();
            byGpu.forEach((index, a) -> usage.add(new GpuUsage(index, a.name, a.samples,
                    a.utilizationSamples == 0 ? 0 : a.utilizationSum / a.utilizationSamples, a.maxUtilization,
                    a.peakMemory, a.totalMemory)));
            return usage;
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Accumulator {
        final String name;
        int samples;
        int utilizationSamples;
        double utilizationSum;
        double maxUtilization;
        long peakMemory;
        long totalMemory;

        Accumulator(String name) {
            this.name = name;
        }

        void add(Sample sample) {
            samples++;
            if (sample.utilizationPct() != null) {
                utilizationSamples++;
                utilizationSum += sample.utilizationPct();
                maxUtilization = Math.max(maxUtilization, sample.utilizationPct());
            }
            if (sample.memoryUsedMib() != null) {
                peakMemory = Math.max(peakMemory, sample.memoryUsedMib());
            }
            if (sample.memoryTotalMib() != null) {
                totalMemory = sample.memoryTotalMib();
            }
        }
    }
}
