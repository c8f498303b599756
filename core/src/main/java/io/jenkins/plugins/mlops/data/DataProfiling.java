package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.DataFormat;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
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
            DataSource prepared = engine.prepare(source);
            Profile profile = new Profiler(engine, progress).profile(prepared);
            return withFingerprint(profile, fingerprint(fingerprint, engine, prepared));
        }
    }

    /**
     * Hashes the files while DuckDB scans them: the hash reads bytes sequentially on one thread,
     * the scan is CPU-bound, so lineage costs next to no wall time.
     */
    static CompletableFuture<String> fingerprintInBackground(DataSource source) {
        return source.format() == DataFormat.TABLE ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> Fingerprint.of(source));
    }

    /** The files' fingerprint, or a table's, which only the engine that reads it can take. */
    static String fingerprint(CompletableFuture<String> files, ProfileEngine engine, DataSource source) {
        return source.format() == DataFormat.TABLE ? tableFingerprint(engine, source) : join(files);
    }

    /**
     * A table has no bytes here to hash: its fingerprint is the SHA-256 of its columns, its row count
     * and the sum of every row's xxhash64 (one more scan, on the cluster), so that it changes when a
     * row, a value or a column does, whatever order the rows are stored in.
     */
    static String tableFingerprint(ProfileEngine engine, DataSource source) {
        StringBuilder content = new StringBuilder();
        engine.describe(source).forEach(column -> content.append(column.name()).append(' ').append(column.engineType()).append('\n'));
        Object[] row = engine.rows("SELECT count(*), sum(CAST(xxhash64(*) AS DECIMAL(38, 0))) FROM " + engine.relation(source), source).get(0);
        content.append(row[0]).append('\n').append(row[1]);
        return "sha256:" + HexFormat.of().formatHex(Fingerprint.sha256().digest(content.toString().getBytes(StandardCharsets.UTF_8)));
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
