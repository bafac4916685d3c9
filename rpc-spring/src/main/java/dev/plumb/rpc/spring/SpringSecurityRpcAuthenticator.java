package dev.plumb.rpc.spring;

import dev.plumb.rpc.web.RpcAuthRequest;
import dev.plumb.rpc.web.RpcAuthenticator;
import dev.plumb.rpc.web.RpcPrincipal;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/**
 * Lets Spring Security decide who calls: the {@link Authentication} that Spring Security's WebFlux filters put in
 * the request's Reactor context ({@link ReactiveSecurityContextHolder}) becomes the handler's {@link RpcPrincipal},
 * for HTTP requests and WebSocket handshakes alike.
 *
 * <p>The principal is named by {@link Authentication#getName()}; its attributes are {@code authorities} (the
 * granted authorities' names, a {@code List<String>}) and {@code authentication} (the {@link Authentication}
 * itself). A request with no authenticated, non-anonymous {@link Authentication} is refused (401 with a JSON-RPC
 * error, no handler runs) unless {@code requireAuthenticated} is {@code false}; then it runs as
 * {@link #ANONYMOUS}.
 */
public final class SpringSecurityRpcAuthenticator implements RpcAuthenticator {

    /** The principal of requests let through without authentication: {@code anonymous}, attribute {@code anonymous=true}. */
    public static final RpcPrincipal ANONYMOUS = new RpcPrincipal("anonymous", Map.of("anonymous", true));

    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    private final boolean requireAuthenticated;

    /** An authenticator that refuses unauthenticated requests when {@code requireAuthenticated} (the default). */
    public SpringSecurityRpcAuthenticator(boolean requireAuthenticated) {
        this.requireAuthenticated = requireAuthenticated;
    }

    /** An authenticator that refuses unauthenticated requests. */
    public SpringSecurityRpcAuthenticator() {
        this(true);
    }

    @Override
    public Mono<RpcPrincipal> authenticate(RpcAuthRequest request) {
        Mono<RpcPrincipal> authenticated = ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .filter(a -> a.isAuthenticated() && !TRUST.isAnonymous(a))
                .map(SpringSecurityRpcAuthenticator::principalOf);
        return requireAuthenticated ? authenticated : authenticated.defaultIfEmpty(ANONYMOUS);
    }

    /** The principal for {@code authentication}: its name, authorities and the authentication itself. */
    public static RpcPrincipal principalOf(Authentication authentication) {
        List<String> authorities = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(java.util.Objects::nonNull)
                .toList();
        return new RpcPrincipal(authentication.getName(),
                Map.of("authorities", authorities, "authentication", authentication));
    }
}
