package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The saved shape of a dataset: a small JSON value (bounded by columns, not rows) that drift can
 * be computed against instead of the reference data, and that merges across partitions.
 *
 * @param schema JSON shape version
 * @param source where the data came from (several, joined, after a merge)
 * @param dataFingerprint {@code sha256:<hex>} of the data files, recorded as lineage
 * @param rowCount rows profiled
 * @param columns one profile per column, in the data's order
 */
@JsonPropertyOrder({"schema", "source", "data_fingerprint", "row_count", "columns"})
public record Profile(String schema, String source, String dataFingerprint, long rowCount, List<ColumnProfile> columns)
        implements Serializable {
    public static final String SCHEMA = "mlops.profile/v1";

    public Profile {
        columns = List.copyOf(columns);
    }

    public Optional<ColumnProfile> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * The profile of both datasets together, as if they had been profiled as one, e.g. the
     * partitions of a table. Columns must agree by name; types may widen (integer with float).
     */
    public Profile merge(Profile other) {
        List<String> names = columns.stream().map(ColumnProfile::name).toList();
        List<String> otherNames = other.columns.stream().map(ColumnProfile::name).toList();
        if (!names.equals(otherNames)) {
            throw new BadInputException("cannot merge profiles with different columns: " + names + " and " + otherNames);
        }
        List<ColumnProfile> merged = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            merged.add(columns.get(i).merge(other.columns.get(i)));
        }
        return new Profile(SCHEMA, source + " + " + other.source, combinedFingerprint(dataFingerprint, other.dataFingerprint),
                rowCount + other.rowCount, merged);
    }

    /** Order-independent, so merging A with B or B with A records the same lineage. */
    private static String combinedFingerprint(String a, String b) {
        List<String> parts = Stream.of(a, b).sorted().toList();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Column name to profile, in the data's order. */
    public Map<String, ColumnProfile> byName() {
        Map<String, ColumnProfile> out = new LinkedHashMap<>();
        columns.forEach(c -> out.put(c.name(), c));
        return out;
    }
}
