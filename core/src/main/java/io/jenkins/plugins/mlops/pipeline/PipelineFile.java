package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code mlops.yaml} strictly: an unknown key, a duplicate key or a value of the wrong type
 * is bad input naming the file, the line and the key, because a misspelt option silently ignored
 * (say {@code max-regresion}) would run a different pipeline than the one the user wrote.
 */
public final class PipelineFile {
    private static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper YAML = yamlMapper();

    private PipelineFile() {}

    public static PipelineConfig read(Path file) {
        String text;
        try {
            text = BoundedFiles.readString(file, MAX_BYTES, "a pipeline file is a few dozen lines");
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": pipeline file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** @param source how messages name the text, e.g. the file's path */
    public static PipelineConfig parse(String text, String source) {
        if (text.isBlank()) {
            throw new BadInputException(source + ": empty; it needs at least name and one stage (see docs/pipeline.md)");
        }
        try {
            PipelineConfig config = YAML.readValue(text, PipelineConfig.class);
            if (config == null) {
                throw new BadInputException(source + ": holds no mapping; see docs/pipeline.md");
            }
            return config;
        } catch (UnrecognizedPropertyException e) {
            List<String> path = path(e);
            throw new BadInputException(source + " line " + line(text, path, e) + ": " + String.join(".", path)
                    + ": unknown key '" + e.getPropertyName() + "'; known keys: " + known(e.getKnownPropertyIds()), e);
        } catch (JsonMappingException e) {
            BadInputException cause = badInputCause(e);
            List<String> path = cause instanceof StageKeys.KeyException keyed
                    ? Stream.concat(path(e).stream(), Stream.of(keyed.key())).toList() : path(e);
            // Our own checks name their key already; Jackson's messages need the path in front.
            String message = cause != null ? cause.getMessage()
                    : (path.isEmpty() ? "" : String.join(".", path) + ": ") + simplify(e.getOriginalMessage());
            throw new BadInputException(source + " line " + line(text, path, e) + ": " + message, e);
        } catch (JacksonException e) {
            throw new BadInputException(source + " line " + line(e.getLocation()) + ": not valid YAML: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static List<String> path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : String.valueOf(reference.getIndex()))
                .toList();
    }

    /** The line of the key at {@code path}, else Jackson's location. */
    private static String line(String text, List<String> path, JsonMappingException e) {
        OptionalInt line = YamlLines.lineOf(text, path);
        return line.isPresent() ? String.valueOf(line.getAsInt()) : line(e.getLocation());
    }

    private static String line(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "?" : String.valueOf(location.getLineNr());
    }

    private static BadInputException badInputCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadInputException bad) {
                return bad;
            }
        }
        return null;
    }

    /** Jackson names Java types; a YAML author reads "a number" better than "java.lang.Integer". */
    private static String simplify(String message) {
        return message.replaceAll("`?java\\.lang\\.(Integer|Long)`?", "a whole number")
                .replaceAll("`?java\\.lang\\.Double`?", "a number")
                .replaceAll("`?java\\.lang\\.String`?", "text")
                .replaceAll("`?java\\.util\\.(List|ArrayList)(<[^>]*>)?`?", "a list")
                .replaceAll("`?java\\.util\\.(Map|LinkedHashMap)(<[^>]*>)?`?", "a mapping")
                .replaceAll("`io\\.jenkins\\.plugins\\.mlops\\.[a-z.]+\\.([A-Za-z$]+)`", "$1")
                .replaceAll("\\s*\\n.*", "");
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static ObjectMapper yamlMapper() {
        JsonMapper mapper = JsonMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // "rows: many" must not become 0, nor "rows: 1.5" become 1.
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(String.class).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        return mapper;
    }
}
