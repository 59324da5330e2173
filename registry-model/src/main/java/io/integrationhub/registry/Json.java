package io.integrationhub.registry;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration the hub uses for storage, APIs and events. */
public final class Json {
    /** Deeper documents are refused before they can exhaust the stack. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER = create();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(100)
                        // A spooled dead letter carries its body in base64 (at most INTEGRATION_MAX_BODY_BYTES, 128
                        // MiB):
                        // Jackson's default of 20 million characters would make bodies over 15 MiB unreadable.
                        .maxStringLength(200_000_000)
                        .build());
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        return mapper;
    }
}
