package dev.plumb.rpc.spring.boot3.secured;

import dev.plumb.rpc.spring.RpcAuthenticationEntryPoint;
import dev.plumb.rpc.spring.boot3.TallyService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;

/** A Boot 3.5 application secured by Spring Security 6.5 (HTTP Basic, for brevity). */
@SpringBootApplication
public class SecuredBoot3App {

    @Bean
    TallyService tally() {
        return new TallyService();
    }

    @Bean
    MapReactiveUserDetailsService users() {
        return new MapReactiveUserDetailsService(User.withUsername("alice").password("{noop}pw").roles("RPC").build());
    }

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http, RpcAuthenticationEntryPoint entryPoint) {
        return http
                .authorizeExchange(a -> a.pathMatchers("/rpc", "/rpc/ws").authenticated().anyExchange().permitAll())
                .httpBasic(b -> b.authenticationEntryPoint(entryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .build();
    }
}
