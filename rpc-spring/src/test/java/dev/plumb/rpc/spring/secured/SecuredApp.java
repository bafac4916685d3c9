package dev.plumb.rpc.spring.secured;

import dev.plumb.rpc.spring.RpcAccessDeniedHandler;
import dev.plumb.rpc.spring.RpcAuthenticationEntryPoint;
import dev.plumb.rpc.spring.RpcRouterCustomizer;
import dev.plumb.rpc.spring.app.InventoryService;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import reactor.core.publisher.Mono;

/**
 * The secured variant: Spring Security checks a bearer token on the JSON-RPC paths, refusals are JSON-RPC errors,
 * and handlers see the authenticated principal. The security chain is what {@code docs/spring.md} shows.
 */
@SpringBootApplication
@Import(InventoryService.class)
public class SecuredApp {

    /** The one token this test application accepts. */
    public static final String TOKEN = "s3cret";

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http, RpcAuthenticationEntryPoint entryPoint,
                                    RpcAccessDeniedHandler accessDenied) {
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(tokens());
        bearer.setServerAuthenticationConverter(bearerToken());
        bearer.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        return http
                .authorizeExchange(a -> a.pathMatchers("/rpc", "/rpc/ws").authenticated().anyExchange().permitAll())
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .build();
    }

    /** Reads {@code Authorization: Bearer <token>}; no header, no authentication attempt. */
    static ServerAuthenticationConverter bearerToken() {
        return exchange -> {
            String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Mono.empty();
            }
            String token = header.substring(7).trim();
            return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated(token, token));
        };
    }

    /** Accepts {@link #TOKEN} as user {@code alice} with {@code ROLE_RPC}. */
    static ReactiveAuthenticationManager tokens() {
        return authentication -> TOKEN.equals(authentication.getCredentials())
                ? Mono.just(UsernamePasswordAuthenticationToken.authenticated("alice", null,
                        List.of(new SimpleGrantedAuthority("ROLE_RPC"))))
                : Mono.error(new BadCredentialsException("unknown token"));
    }

    /** A plain handler that reads Spring Security's own context, not Plumb's principal. */
    @Bean
    RpcRouterCustomizer securityContextMethod() {
        return router -> router.method("spring/name", () -> ReactiveSecurityContextHolder.getContext()
                .map(c -> c.getAuthentication().getName())
                .defaultIfEmpty("none"));
    }
}
