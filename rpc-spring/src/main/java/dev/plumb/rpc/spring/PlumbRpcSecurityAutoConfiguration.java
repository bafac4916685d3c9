package dev.plumb.rpc.spring;

import dev.plumb.rpc.web.RpcAuthenticator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterChainProxy;

/**
 * Spring Security for Plumb's endpoints, only when Spring Security is on the classpath:
 *
 * <ul>
 *   <li>{@link RpcAuthenticationEntryPoint} and {@link RpcAccessDeniedHandler} beans, for the application's
 *       {@code SecurityWebFilterChain}, so that Spring Security's own refusals carry a JSON-RPC error body;</li>
 *   <li>when Spring Security's WebFlux filters are active (a {@link WebFilterChainProxy} bean) and the application
 *       has no {@link RpcAuthenticator} of its own, a {@link SpringSecurityRpcAuthenticator}: the authenticated
 *       principal becomes the handlers' {@code RpcPrincipal}, and requests without one are refused with 401
 *       ({@code plumb.rpc.security.enabled=false} turns this off, {@code plumb.rpc.security.require-authenticated=false}
 *       lets anonymous requests through).</li>
 * </ul>
 */
@AutoConfiguration(before = PlumbRpcAutoConfiguration.class, afterName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration"})
@ConditionalOnClass({ReactiveSecurityContextHolder.class, ServerAuthenticationEntryPoint.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(prefix = "plumb.rpc", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(PlumbRpcProperties.class)
public class PlumbRpcSecurityAutoConfiguration {

    /** Writes Spring Security's 401 as a JSON-RPC error. */
    @Bean
    @ConditionalOnMissingBean
    public RpcAuthenticationEntryPoint plumbRpcAuthenticationEntryPoint() {
        return new RpcAuthenticationEntryPoint();
    }

    /** Writes Spring Security's 403 as a JSON-RPC error. */
    @Bean
    @ConditionalOnMissingBean
    public RpcAccessDeniedHandler plumbRpcAccessDeniedHandler() {
        return new RpcAccessDeniedHandler();
    }

    /** The bridge from Spring Security's authentication to Plumb's principal. */
    @Bean
    @ConditionalOnMissingBean(RpcAuthenticator.class)
    @ConditionalOnBean(WebFilterChainProxy.class)
    @ConditionalOnProperty(prefix = "plumb.rpc.security", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public SpringSecurityRpcAuthenticator plumbRpcSpringSecurityAuthenticator(PlumbRpcProperties properties) {
        return new SpringSecurityRpcAuthenticator(properties.getSecurity().isRequireAuthenticated());
    }
}
