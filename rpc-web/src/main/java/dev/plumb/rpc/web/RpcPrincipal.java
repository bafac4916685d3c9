package dev.plumb.rpc.web;

import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Who an authenticated request comes from, as an {@link RpcAuthenticator} established it.
 *
 * <p>The servers in this module put the principal into Reactor's {@code Context} under {@link #CONTEXT_KEY} for the
 * whole dispatch of the request, so filters and handlers read it with {@link #current()}:
 *
 * <pre>{@code
 * .method("whoami", () -> RpcPrincipal.current().map(RpcPrincipal::name))
 * }</pre>
 *
 * @param name       the principal's name (a user, a service, a token's label)
 * @param attributes anything else the authenticator knows (roles, a tenant), immutable
 */
public record RpcPrincipal(String name, Map<String, Object> attributes) {

    /** The key under which the principal sits in Reactor's {@code Context}. */
    public static final Object CONTEXT_KEY = RpcPrincipal.class;

    /** Checks the name is present and copies the attributes. */
    public RpcPrincipal {
        Objects.requireNonNull(name, "name");
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    /** A principal with a name and no attributes. */
    public static RpcPrincipal of(String name) {
        return new RpcPrincipal(name, Map.of());
    }

    /** The principal of the request being handled, or empty when the transport had no authenticator. */
    public static Mono<RpcPrincipal> current() {
        return Mono.deferContextual(ctx -> Mono.justOrEmpty(ctx.<RpcPrincipal>getOrEmpty(CONTEXT_KEY)));
    }
}
