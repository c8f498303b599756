package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads and writes schema YAML. Reading is strict, because a typo in a schema silently turns a
 * check off: unknown keys, wrong value types and contradictions are bad input naming the line
 * and the field ({@code columns.age.min}).
 */
public final class SchemaFile {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule().addSerializer(Double.class, new WholeNumbersPlain()))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .build();

    /** A schema lists columns and checks: far less than this, however wide the table. */
    private static final long MAX_BYTES = 16L << 20;

    private SchemaFile() {}

    public static Schema read(Path file) {
        String text;
        try {
            text = BoundedFiles.readString(file, MAX_BYTES, "a schema lists columns and checks");
        } catch (NoSuchFileException e) {
            throw new BadInputException("schema file not found: " + file, e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the schema: " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new BadInputException(file + ": the schema is empty; see docs/validate-data.md for its keys");
        }
        return parse(text, file.toString());
    }

    static Schema parse(String yaml, String fileName) {
        try {
            Schema schema = YAML.readValue(yaml, Schema.class);
            if (schema == null) {
                throw new BadInputException(fileName + ": the schema is empty");
            }
            return schema;
        } catch (JsonMappingException e) {
            throw new BadInputException(fileName + where(e.getLocation()) + field(e) + problem(e), e);
        } catch (JsonProcessingException e) {
            throw new BadInputException(fileName + where(e.getLocation()) + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    public static void write(Path file, Schema schema, String header) {
        try {
            String comments = header.lines().map(line -> line.isEmpty() ? "#" : "# " + line).collect(Collectors.joining("\n", "", "\n"));
            AtomicFiles.write(file, comments + YAML.writeValueAsString(schema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the schema as YAML", e);
        }
    }

    /** Writes {@code min: 18}, not {@code min: 18.0}: a schema is read and edited by people. */
    private static final class WholeNumbersPlain extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        WholeNumbersPlain() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                generator.writeNumber(value.longValue());
            } else {
                generator.writeNumber(value);
            }
        }
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }

    private static String field(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? ": " : ": " + path + ": ";
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + unknown.getPropertyName() + "'; known keys: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        // Our own validation (record constructors, type names) speaks the user's language: the
        // outermost IllegalArgumentException carries it.
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException) {
                return cause.getMessage();
            }
        }
        String message = e.getOriginalMessage();
        return message.replaceAll("`[\\w.$]+\\.(\\w+)`", "$1").replaceAll("\\s*\\(.*?\\)$", "").lines().findFirst().orElse(message);
    }
}
