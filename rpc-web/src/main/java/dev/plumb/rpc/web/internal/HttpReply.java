package dev.plumb.rpc.web.internal;

import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * What the HTTP layer sends back, independent of the server it runs in (reactor-netty or WebFlux).
 *
 * @param status      the status code
 * @param contentType the content type, or {@code null} for no body
 * @param headers     extra headers
 * @param body        the whole body, or {@code null} for none or a stream
 * @param stream      the body as a stream of chunks (one per ndjson line), or {@code null}; sent chunked
 * @param close       whether the connection should close afterwards (the request body was not read to its end)
 */
public record HttpReply(int status, String contentType, Map<String, String> headers, byte[] body,
                        Flux<byte[]> stream, boolean close) {

    /** A reply of one complete body. */
    public static HttpReply of(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, Map.of(), body, null, false);
    }

    /** A reply streamed chunk by chunk. */
    public static HttpReply streamed(int status, String contentType, Flux<byte[]> chunks) {
        return new HttpReply(status, contentType, Map.of(), null, chunks, false);
    }

    /** A reply with no body. */
    public static HttpReply empty(int status) {
        return new HttpReply(status, null, Map.of(), null, null, false);
    }

    /** This reply with one more header. */
    public HttpReply withHeader(String name, String value) {
        HashMap<String, String> h = new HashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, Map.copyOf(h), body, stream, close);
    }

    /** This reply, closing the connection afterwards. */
    public HttpReply closing() {
        return new HttpReply(status, contentType, headers, body, stream, true);
    }
}
