package dev.plumb.rpc.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Accepts requests that carry one shared secret token, from {@code Authorization: Bearer <token>} or, failing that,
 * from a {@code token} query parameter (as in {@code https://host/rpc?token=XXX}).
 *
 * <p>Tokens are compared in constant time ({@link MessageDigest#isEqual}), so the time taken does not tell how much
 * of a guess was right. Prefer the header: query strings end up in access logs.
 */
public final class BearerTokenAuthenticator implements RpcAuthenticator {

    /** The query parameter read when there is no {@code Authorization} header: {@code token}. */
    public static final String QUERY_PARAM = "token";

    private final byte[] expected;
    private final RpcPrincipal principal;

    private BearerTokenAuthenticator(String token, RpcPrincipal principal) {
        Objects.requireNonNull(token, "token");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the token must not be empty");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    /** Accepts {@code token}; the principal is named {@code "bearer"}. */
    public static BearerTokenAuthenticator of(String token) {
        return new BearerTokenAuthenticator(token, RpcPrincipal.of("bearer"));
    }

    /** Accepts {@code token} as {@code principal}. */
    public static BearerTokenAuthenticator of(String token, RpcPrincipal principal) {
        return new BearerTokenAuthenticator(token, principal);
    }

    /** The principal when the request's one token matches, else empty (also when it gives two, RFC 6750 §3.1). */
    @Override
    public Mono<RpcPrincipal> authenticate(RpcAuthRequest request) {
        String presented = request.hasAmbiguousCredentials() ? null : presentedToken(request);
        if (presented == null) {
            return Mono.empty();
        }
        boolean ok = MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
        return ok ? Mono.just(principal) : Mono.empty();
    }

    /** The token a request presents: the {@code Authorization: Bearer} value, else the query parameter. */
    static String presentedToken(RpcAuthRequest request) {
        String header = request.header("Authorization");
        if (header != null) {
            String h = header.trim();
            if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return h.substring(7).trim();
            }
        }
        return request.queryParam(QUERY_PARAM);
    }
}
