package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The {@code validateData} step: profiles the data, holds it against the schema (given, or
 * inferred from the reference) and tests every column for drift against the reference.
 * All input is checked before the first scan, so bad input fails fast and writes nothing.
 */
public final class DataValidator {
    private final Consumer<String> progress;
    private final boolean together;

    public DataValidator(Consumer<String> progress) {
        // On an idle 2-core machine profiling both files at once cut --reference's wall clock by a
        // quarter for the same CPU (bench/README.md, issue 25's fourth round), so it is not a switch.
        this(progress, true);
    }

    /** @param together whether the arrow engine profiles the reference and the current data at once ({@link TogetherPasses}) */
    DataValidator(Consumer<String> progress, boolean together) {
        this.progress = progress;
        this.together = together;
    }

    public ValidationResult validate(ValidationConfig config) {
        Instant started = Instant.now();
        DataSource data = DataSource.resolve(config.data(), config.delimiter()).within(config.engine());
        DataSource referenceData = config.reference() == null ? null
                : DataSource.resolve(config.reference(), config.delimiter()).within(config.engine());
        Schema givenSchema = config.schema() == null ? null : SchemaFile.read(Path.of(config.schema()));
        Profile savedReference = config.referenceProfile() == null ? null : ProfileFile.read(Path.of(config.referenceProfile()));
        CompletableFuture<String> dataFingerprint = DataProfiling.fingerprintInBackground(data);
        CompletableFuture<String> referenceFingerprint = referenceData == null ? null : DataProfiling.fingerprintInBackground(referenceData);

        boolean together = this.together && TogetherPasses.apply(config.engine(), referenceData);
        EngineSettings settings = together ? TogetherPasses.half(config.engine()) : config.engine();
        try (ProfileEngine engine = ProfileEngine.open(settings);
                ProfileEngine referenceEngine = together ? ProfileEngine.open(settings) : null) {
            // ISO-8601 text in JSON lines reads as timestamps; the custom checks' view sees the same columns.
            data = engine.prepare(data);
            referenceData = referenceData == null ? null : (together ? referenceEngine : engine).prepare(referenceData);
            // An inferred schema has no custom checks, so binding the given ones first catches
            // every schema error before the first scan.
            try (CustomChecks custom = CustomChecks.prepare(givenSchema == null ? List.of() : givenSchema.checks(), data,
                    config.engine(), config.schema())) {
                Profiler profiler = new Profiler(engine, progress);
                List<Profiler.Column> columns = profiler.describe(data); // a file DuckDB cannot even sniff fails before the reference is scanned
                Profile reference = savedReference;
                TogetherPasses current = null;
                if (together) {
                    // The arrow engine needs no grid from the reference: the current data's pass runs beside it.
                    Set<String> unique = givenSchema == null ? Set.of() : new SchemaChecks(givenSchema).plan(columns).distinctCounts();
                    current = TogetherPasses.start((ArrowEngine) engine, profiler, data, columns, unique, progress);
                    Profiler referenceProfiler = new Profiler(referenceEngine, progress);
                    DataSource ref = referenceData;
                    reference = current.besides(() -> referenceProfiler.profile(ref));
                    reference = DataProfiling.withFingerprint(reference, DataProfiling.fingerprint(referenceFingerprint, referenceEngine, ref));
                } else if (referenceData != null) {
                    reference = DataProfiling.withFingerprint(profiler.profile(referenceData),
                            DataProfiling.fingerprint(referenceFingerprint, engine, referenceData));
                }
                Schema schema = givenSchema != null ? givenSchema
                        : reference != null ? SchemaInference.infer(reference)
                        : new Schema(false, null, null, null, null);

                SchemaChecks schemaChecks = new SchemaChecks(schema);
                // On the reference's grid, the current data is profiled in one scan, not two.
                Profile gridOf = engine.countsOnKnownGrid() ? reference : null;
                Profiler.Scan scan = current != null ? current.finish(schemaChecks.plan(columns))
                        : profiler.profile(data, schemaChecks::plan,
                                dataColumns -> gridOf == null ? ReferenceGrid.NONE : ReferenceGrid.of(gridOf, dataColumns));
                Map<String, Object> extras = schemaChecks.values(profiler, data, columns, scan);
                Profile profile = DataProfiling.withFingerprint(scan.profile(), DataProfiling.fingerprint(dataFingerprint, engine, data));

                List<Check> checks = new ArrayList<>(schemaChecks.evaluate(profile, extras));
                checks.addAll(custom.run(progress));
                List<ColumnDrift> drift = reference == null ? List.of()
                        : new DriftDetector(schema.driftThresholds()).compare(reference, profile, schema);
                drift.stream().filter(d -> d.tested() || d.status() != Status.PASS).map(DataValidator::driftCheck).forEach(checks::add);

                Status status = Status.worstOf(checks);
                double seconds = Duration.between(started, Instant.now()).toNanos() / 1e9;
                String schemaSource = givenSchema != null ? config.schema() : reference != null ? "inferred from the reference" : "none";
                return new ValidationResult(ValidationResult.SCHEMA, ValidationResult.STEP, status, started, seconds,
                        summary(checks, drift, profile.rowCount()), checks, config.data(), profile.dataFingerprint(),
                        config.reference() != null ? config.reference() : config.referenceProfile(),
                        reference == null ? null : reference.dataFingerprint(), schemaSource, profile.rowCount(), profile, drift);
            }
        }
    }

    private static Check driftCheck(ColumnDrift drift) {
        if (!drift.tested()) {
            return Check.of("drift", drift.column(), drift.status(), "not tested", "a distribution to compare",
                    "Cannot test drift: " + drift.reason() + ".");
        }
        String observed = String.format(Locale.ROOT, "%s %s; %s p_adj %s (n %,d / %,d)", drift.statistic(),
                Numbers.format(drift.value()), drift.test(), pValue(drift.pValueAdjusted()), drift.referenceCount(), drift.currentCount());
        String expected = String.format(Locale.ROOT, "< %s (warn), < %s (fail)", Numbers.format(drift.warnThreshold()),
                Numbers.format(drift.failThreshold()));
        String message = switch (drift.status()) {
            case PASS -> drift.value() >= drift.warnThreshold()
                    ? "Above the threshold but not significant at this sample size."
                    : "The distribution is close to the reference's.";
            case WARN -> "The distribution moved noticeably from the reference's.";
            default -> "The distribution moved far from the reference's.";
        };
        return Check.of("drift", drift.column(), drift.status(), observed, expected, message);
    }

    private static String pValue(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    static String summary(List<Check> checks, List<ColumnDrift> drift, long rows) {
        long passed = checks.stream().filter(c -> c.status() == Status.PASS).count();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d of %d checks passed on %,d rows", passed, checks.size(), rows));
        List<ColumnDrift> drifted = drift.stream().filter(d -> d.tested() && d.status() != Status.PASS).toList();
        List<String> untestable = drift.stream().filter(d -> !d.tested() && d.status() != Status.PASS).map(ColumnDrift::column).toList();
        long tested = drift.stream().filter(ColumnDrift::tested).count();
        if (tested > 0) {
            text.append(drifted.isEmpty() ? String.format(Locale.ROOT, "; no drift in %d tested columns", tested)
                    : String.format(Locale.ROOT, "; drift in %d of %d tested columns (%s)", drifted.size(), tested,
                            drifted.stream().map(ColumnDrift::column).collect(Collectors.joining(", "))));
        }
        if (!untestable.isEmpty()) {
            text.append("; drift untestable in ").append(String.join(", ", untestable));
        }
        List<String> failed = checks.stream().filter(c -> c.status().isAtLeast(Status.FAIL) && !c.name().equals("drift"))
                .map(Check::qualifiedName).toList();
        if (!failed.isEmpty()) {
            text.append("; failed: ").append(failed.stream().limit(5).collect(Collectors.joining(", ")))
                    .append(failed.size() > 5 ? ", …" : "");
        }
        return text.append('.').toString();
    }
}
