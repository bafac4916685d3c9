package dev.plumb.rpc.spring;

import dev.plumb.rpc.RpcFilter;
import dev.plumb.rpc.observation.RpcObservation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Micrometer Observation for the served router, when the application has an {@link ObservationRegistry} bean (Spring
 * Boot's actuator makes one): an {@link RpcFilter} bean, first among the filter beans, observing each inbound call
 * as {@value RpcObservation#SERVER} ({@code docs/observability.md}). {@code plumb.rpc.observation.enabled=false},
 * or a bean named {@code plumbRpcObservationFilter} of the application's own, leaves it out.
 */
@AutoConfiguration(before = PlumbRpcAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass({ObservationRegistry.class, RpcObservation.class})
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnProperty(prefix = "plumb.rpc", name = {"enabled", "observation.enabled"}, havingValue = "true",
        matchIfMissing = true)
public class PlumbRpcObservationAutoConfiguration {

    /** Observes each inbound call of the auto-configured router. */
    @Bean
    @ConditionalOnMissingBean(name = "plumbRpcObservationFilter")
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public RpcFilter plumbRpcObservationFilter(ObservationRegistry registry) {
        return RpcObservation.serverFilter(registry);
    }
}
