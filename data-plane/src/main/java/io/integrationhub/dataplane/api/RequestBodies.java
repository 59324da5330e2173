package io.integrationhub.dataplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.integrationhub.dataplane.body.Bodies;
import io.integrationhub.dataplane.body.Body;
import io.integrationhub.dataplane.body.BodyBuffer;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.problem.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads request bodies without ever holding more than a limit: JSON documents of the management
 * API whole (at most {@link #MAX_DOCUMENT_BYTES}), call bodies into a call's {@link BodyBuffer}
 * (at most {@code INTEGRATION_MAX_BODY_BYTES}, memory head and sealed spill file beyond).
 */
public final class RequestBodies {
    /** A provider document or a DLQ action is small: a larger one is refused before it is parsed into a tree. */
    public static final long MAX_DOCUMENT_BYTES = 1024 * 1024;

    private final long maxBodyBytes;

    public RequestBodies(long maxBodyBytes) {
        this.maxBodyBytes = Math.min(maxBodyBytes, MAX_DOCUMENT_BYTES);
    }

    /**
     * Receives a call's body into {@code call}'s buffer (413 past the limit, checked before reading
     * when declared); empty when there is none.
     */
    public static Body receive(ServerRequest req, Bodies.Scope call) {
        long limit = call.maxBodyBytes();
        if (req.headers().contentLength().orElse(0) > limit) {
            throw tooLarge(limit);
        }
        if (!req.content().hasEntity()) {
            return Body.EMPTY;
        }
        BodyBuffer buffer = call.newBuffer();
        // Not closed, as in bytes(): edge.ServerEdge drains or drops what is left unread.
        InputStream in = req.content().inputStream();
        try {
            buffer.receive(in, limit);
        } catch (BodyBuffer.TooLargeException e) {
            throw tooLarge(limit);
        } catch (IOException e) {
            throw new UncheckedIOException("request body could not be read", e);
        }
        return buffer.finish();
    }

    /** 415 unless the request declares a JSON body. */
    public static void requireJson(ServerRequest req) {
        String contentType =
                req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
        String mediaType = contentType.split(";", 2)[0].trim();
        if (!mediaType.equals("application/json") && !mediaType.equals("application/merge-patch+json")) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
        }
    }

    /** The raw body (empty when there is none); 413 past the limit, checked before reading when declared. */
    public byte[] bytes(ServerRequest req) {
        req.headers().contentLength().ifPresent(length -> {
            if (length > maxBodyBytes) {
                throw tooLarge();
            }
        });
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        // Not closed: closing Helidon's body stream reads on (after a broken chunk size, the next line, waiting for
        // bytes that never come); what a route leaves unread, edge.ServerEdge drains or drops.
        InputStream in = req.content().inputStream();
        try {
            // Sized by Content-Length when declared (+1 to meet EOF without growing): a 200-byte envelope
            // no longer costs a zeroed 64 KiB buffer per call (bench/run.sh --profile: 18 % of all allocation).
            long declared = req.headers().contentLength().orElse(-1);
            byte[] buffer = new byte[(int) Math.min(maxBodyBytes + 1, declared >= 0 ? declared + 1 : 8 * 1024)];
            int size = 0;
            int read;
            while ((read = in.read(buffer, size, buffer.length - size)) != -1) {
                size += read;
                if (size > maxBodyBytes) {
                    throw tooLarge();
                }
                if (size == buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(maxBodyBytes + 1, (long) buffer.length * 2));
                }
            }
            return Arrays.copyOf(buffer, size);
        } catch (IOException e) {
            throw new UncheckedIOException("request body could not be read", e);
        }
    }

    /** The body parsed as a JSON document; 415 unless declared JSON, 400 when not well-formed. */
    public JsonNode json(ServerRequest req) {
        requireJson(req);
        byte[] body = bytes(req);
        if (body.length == 0) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the request needs a JSON body");
        }
        return parse(body);
    }

    /** Parses JSON, turning every parser complaint into 400 without echoing the input. */
    public static JsonNode parse(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (StreamConstraintsException e) {
            throw new ApiException(
                    ProblemType.MALFORMED_REQUEST, "the JSON body is nested too deeply or has too long a number");
        } catch (JsonProcessingException e) {
            throw new ApiException(
                    ProblemType.MALFORMED_REQUEST,
                    "the body is not well-formed JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new ApiException(ProblemType.MALFORMED_REQUEST, "the body is not well-formed JSON");
        }
    }

    private ApiException tooLarge() {
        return tooLarge(maxBodyBytes);
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(ProblemType.PAYLOAD_TOO_LARGE, "the request body is larger than " + limit + " bytes");
    }
}
