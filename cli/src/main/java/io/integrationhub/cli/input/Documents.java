package io.integrationhub.cli.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON and YAML documents. A source starting with <code>{</code> or {@code [} is read as one JSON
 * document, anything else as YAML, which may hold several documents separated by {@code ---}.
 * Duplicate keys are refused; YAML is read up to 3 MiB, JSON up to the 16 MiB of any input. Errors
 * give the place, never the text (it may be a credential).
 */
public final class Documents {
    /** Built on first use: JSON input never loads the YAML parser. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /**
     * The most YAML read: the YAML parser's own limit (it refuses more code points anyway, with a
     * misleading "not valid YAML"), and it takes time quadratic in the length of one scalar.
     */
    static final int MAX_YAML_BYTES = 3 * 1024 * 1024;

    private Documents() {}

    /** Every non-empty document of the source. */
    public static List<JsonNode> parseAll(Source source) {
        if (looksLikeJson(source.bytes())) {
            return List.of(parseJson(source));
        }
        if (source.bytes().length > MAX_YAML_BYTES) {
            throw HubctlException.usage(
                    source.name() + " is larger than " + MAX_YAML_BYTES / 1024 / 1024 + " MiB, the most hubctl reads"
                            + " as YAML (JSON: " + InputFiles.MAX_BYTES / 1024 / 1024 + " MiB)");
        }
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator =
                Yaml.MAPPER.readerFor(JsonNode.class).readValues(source.bytes())) {
            while (iterator.hasNextValue()) {
                JsonNode document = iterator.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (JsonProcessingException e) {
            throw invalid(source, "YAML", e.getLocation());
        } catch (IOException e) {
            throw HubctlException.usage("cannot read " + source.name() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // MappingIterator wraps parse failures in RuntimeJsonMappingException.
            JsonLocation location = e.getCause() instanceof JsonProcessingException p ? p.getLocation() : null;
            throw invalid(source, "YAML", location);
        }
        return documents;
    }

    /** The source's only document. */
    public static JsonNode parseOne(Source source) {
        List<JsonNode> documents = parseAll(source);
        if (documents.size() != 1) {
            throw HubctlException.usage(source.name() + " holds " + documents.size() + " documents; give exactly one"
                    + (documents.size() > 1 ? " (apply -f takes several)" : ""));
        }
        return documents.get(0);
    }

    private static JsonNode parseJson(Source source) {
        try {
            return Json.mapper().readTree(source.bytes());
        } catch (JsonProcessingException e) {
            throw invalid(source, "JSON", e.getLocation());
        } catch (IOException e) {
            throw HubctlException.usage("cannot read " + source.name() + ": " + e.getMessage(), e);
        }
    }

    static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    private static HubctlException invalid(Source source, String format, JsonLocation location) {
        String where = location == null || location.getLineNr() < 1
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return HubctlException.usage(source.name() + " is not valid " + format + where);
    }
}
