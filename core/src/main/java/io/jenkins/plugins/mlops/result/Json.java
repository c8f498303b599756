package io.jenkins.plugins.mlops.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.BoundedFiles;
import io.jenkins.plugins.mlops.io.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one JSON mapping of results, profiles and configs: snake_case field names (as MLflow and
 * most ML tooling spell them), ISO-8601 instants, pretty-printed for people who open the file.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    /** Hand-edited or tampered result files are refused, not guessed at: see {@link #strictReader()}. */
    private static final ObjectReader STRICT = MAPPER.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** Far above any result file a step writes; a larger one is not a report. */
    public static final long MAX_INPUT_BYTES = 64L << 20;

    private Json() {}

    /**
     * The reader for JSON that decides something (a gate report, baseline metrics): a duplicate
     * key, text after the value, or {@code NaN} is an error instead of "the last one wins", because
     * a file with two {@code decision} keys means different things to different readers.
     */
    public static ObjectReader strictReader() {
        return STRICT;
    }

    /**
     * Reads a JSON object from {@code file} with {@link #strictReader()}; anything else (missing,
     * too large, malformed, duplicate keys, not an object) is bad input naming the file and line.
     */
    public static JsonNode readStrictObject(Path file) {
        try {
            JsonNode node;
            try (InputStream in = BoundedFiles.open(file, MAX_INPUT_BYTES, "not a result file")) {
                node = STRICT.readTree(in);
            }
            if (node == null || node.isMissingNode()) {
                throw new BadInputException(file + " is empty: expected a JSON object");
            }
            if (!node.isObject()) {
                throw new BadInputException(file + ": expected a JSON object, not " + node.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + " does not exist");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new BadInputException(file + " is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * {@link #write} with every string value passed through {@link Redaction#redact}: what a
     * report file or {@code --json} shows. Strings are redacted one by one as they are written, so
     * the JSON stays valid; field names are not values and stay as they are. Written in one pass:
     * a detour through a tree (valueToTree, then write it) costs a cold start ~50 ms more.
     */
    public static String writeRedacted(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = new RedactingGenerator(MAPPER.getFactory().createGenerator(out))) {
            MAPPER.writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    /** Redacts every string value on its way to the generator, whichever form a serializer hands it in. */
    private static final class RedactingGenerator extends JsonGeneratorDelegate {
        RedactingGenerator(JsonGenerator generator) {
            super(generator, false);
        }

        @Override
        public void writeString(String text) throws IOException {
            super.writeString(Redaction.redact(text));
        }

        @Override
        public void writeString(char[] text, int offset, int length) throws IOException {
            writeString(new String(text, offset, length));
        }

        @Override
        public void writeString(SerializableString text) throws IOException {
            writeString(text.getValue());
        }

        @Override
        public void writeString(Reader reader, int length) throws IOException {
            StringWriter text = new StringWriter();
            if (length < 0) {
                reader.transferTo(text);
            } else {
                char[] buffer = new char[length];
                int read = 0;
                for (int n; read < length && (n = reader.read(buffer, read, length - read)) >= 0; ) {
                    read += n;
                }
                text.write(buffer, 0, read);
            }
            writeString(text.toString());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
