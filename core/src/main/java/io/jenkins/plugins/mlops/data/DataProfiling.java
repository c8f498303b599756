package io.jenkins.plugins.mlops.data;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** Profiles a dataset: what {@code mlops profile} and {@code mlops infer-schema} run. */
public final class DataProfiling {
    private DataProfiling() {}

    public static Profile profile(String path, EngineSettings settings, Consumer<String> progress) {
        return profile(path, null, settings, progress);
    }

    /** @param delimiter the field delimiter of CSV/TSV files, or null for the format's own */
    public static Profile profile(String path, Character delimiter, EngineSettings settings, Consumer<String> progress) {
        DataSource source = DataSource.resolve(path, delimiter).within(settings);
        CompletableFuture<String> fingerprint = fingerprintInBackground(source);
        try (ProfileEngine engine = ProfileEngine.open(settings)) {
            Profile profile = new Profiler(engine, progress).profile(engine.prepare(source));
            return withFingerprint(profile, join(fingerprint));
        }
    }

    /**
     * Hashes the files while DuckDB scans them: the hash reads bytes sequentially on one thread,
     * the scan is CPU-bound, so lineage costs next to no wall time.
     */
    static CompletableFuture<String> fingerprintInBackground(DataSource source) {
        return CompletableFuture.supplyAsync(() -> Fingerprint.of(source));
    }

    static String join(CompletableFuture<String> fingerprint) {
        try {
            return fingerprint.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    static Profile withFingerprint(Profile profile, String fingerprint) {
        return new Profile(profile.schema(), profile.source(), fingerprint, profile.rowCount(), profile.columns());
    }
}
