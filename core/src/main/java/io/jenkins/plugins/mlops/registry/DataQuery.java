package io.jenkins.plugins.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.result.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query that made the data, as lineage tags: {@code ingest} writes it into
 * {@code OUTPUT.lineage.json} beside the Parquet file. Registering takes it from that sidecar given
 * as the data report, or from the sidecar beside the file that a validation report names, when its
 * fingerprint is the validated one (a sidecar of other bytes says nothing about this data).
 */
final class DataQuery {
    /** The sidecar's name suffix, as {@code ingest} writes it. */
    static final String SIDECAR = ".lineage.json";
    /** MLflow keeps tag values up to 5000 characters on older servers; a longer query is recorded by its hash. */
    static final int MAX_TAG = 5000;

    private DataQuery() {}

    static Map<String, String> tags(JsonNode report, String fingerprint, Path workspace) {
        JsonNode source = report;
        if (!isIngestLineage(report)) {
            JsonNode data = report.get("data");
            if (data == null || !data.isTextual()) {
                return Map.of();
            }
            Path sidecar = workspace.resolve(data.asText() + SIDECAR);
            if (!Files.isRegularFile(sidecar)) {
                return Map.of();
            }
            source = Json.readStrictObject(sidecar);
            JsonNode recorded = source.get("data_fingerprint");
            if (!isIngestLineage(source) || recorded == null || !recorded.asText().equals(fingerprint)) {
                return Map.of();
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlops.data_rows", source.get("rows").asText());
        String query = source.get("query").asText();
        tags.put("mlops.data_query", query.length() <= MAX_TAG ? query : "sha256:" + sha256(query));
        List<String> values = new ArrayList<>();
        JsonNode parameters = source.get("parameters");
        if (parameters != null) {
            parameters.fields().forEachRemaining(e -> values.add(e.getKey() + "=" + e.getValue().asText()));
        }
        if (!values.isEmpty()) {
            tags.put("mlops.data_parameters", String.join(", ", values));
        }
        return tags;
    }

    private static boolean isIngestLineage(JsonNode node) {
        return node.hasNonNull("query") && node.hasNonNull("rows") && node.hasNonNull("data_fingerprint");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
