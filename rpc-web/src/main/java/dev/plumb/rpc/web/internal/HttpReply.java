package dev.plumb.rpc.web.internal;

import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * What the HTTP layer sends back, independent of the server it runs in (reactor-netty or WebFlux).
 *
 * @param status      the status code
 * @param contentType the content type, or {@code null} for no body
 * @param headers     extra headers
 * @param body        the body chunks (one for a plain reply, one per line for a stream; empty for none)
 * @param streamed    whether the body is a stream of unknown length (sent chunked, flushed as it goes)
 * @param close       whether the connection should close afterwards (the request body was not read to its end)
 */
public record HttpReply(int status, String contentType, Map<String, String> headers, Flux<byte[]> body,
                        boolean streamed, boolean close) {

    /** A reply of one complete body. */
    public static HttpReply of(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, Map.of(), Flux.just(body), false, false);
    }

    /** A reply with no body. */
    public static HttpReply empty(int status) {
        return new HttpReply(status, null, Map.of(), Flux.empty(), false, false);
    }

    /** This reply with one more header. */
    public HttpReply withHeader(String name, String value) {
        java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, Map.copyOf(h), body, streamed, close);
    }

    /** This reply, closing the connection afterwards. */
    public HttpReply closing() {
        return new HttpReply(status, contentType, headers, body, streamed, true);
    }
}
