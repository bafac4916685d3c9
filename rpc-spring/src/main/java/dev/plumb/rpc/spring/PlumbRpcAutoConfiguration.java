package dev.plumb.rpc.spring;

import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcFilter;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.spring.internal.HandlerTimeoutFilter;
import dev.plumb.rpc.spring.internal.JacksonAnnotationsCheck;
import dev.plumb.rpc.spring.internal.ServiceBeans;
import dev.plumb.rpc.web.HttpRpcOptions;
import dev.plumb.rpc.web.RpcAuthenticator;
import dev.plumb.rpc.web.WebFluxRpc;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts Plumb into a Spring Boot WebFlux application: an {@link RpcRouter} assembled from the application's beans,
 * served over HTTP at {@code plumb.rpc.path} and over WebSocket at {@code plumb.rpc.websocket.path}, with the
 * {@code plumb.rpc.*} settings of {@link PlumbRpcProperties}. Every bean below backs off when the application
 * defines its own of the same type (or, for the route and mapping, the same name).
 *
 * <ul>
 *   <li>{@link RpcCodec}: over Boot's {@link JsonMapper}, so {@code spring.jackson.*} applies to params and
 *       results ({@code INDENT_OUTPUT} is turned off: ndjson needs one line per item); Plumb's default mapper
 *       when Boot configures none.</li>
 *   <li>{@link RpcRouter}: every bean implementing an {@code @RpcService} interface ({@code plumb.rpc.detect-services}),
 *       every {@link RpcFilter} bean, then every {@link RpcRouterCustomizer} bean, each in {@code @Order}.</li>
 *   <li>{@link HttpRpcOptions}: paths, body limit, streaming, handler threads, and the {@link RpcAuthenticator}
 *       bean if there is one (with Spring Security, {@link PlumbRpcSecurityAutoConfiguration} provides it).</li>
 *   <li>the route {@code plumbRpcRouterFunction} ({@link WebFluxRpc}), and the WebSocket endpoint
 *       {@link RpcWebSocketHandler} with its mapping {@code plumbRpcWebSocketMapping}; each WebSocket peer gets
 *       the {@code plumb.rpc.websocket.*} settings, then every {@link RpcPeerCustomizer}, and is handed to every
 *       {@link RpcConnectListener}.</li>
 * </ul>
 *
 * <p>Not yet here: Micrometer metrics and observations of calls (a later issue; an {@link RpcFilter} bean can
 * time calls meanwhile).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({RpcRouter.class, WebFluxRpc.class, RouterFunction.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(prefix = "plumb.rpc", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(PlumbRpcProperties.class)
public class PlumbRpcAutoConfiguration {

    /** Fails at once, with the fix, when the classpath has a jackson-annotations too old for Plumb's Jackson 3. */
    public PlumbRpcAutoConfiguration() {
        JacksonAnnotationsCheck.check(PlumbRpcAutoConfiguration.class.getClassLoader());
    }

    /** The codec over Boot's {@code JsonMapper} (indentation off), or Plumb's default when there is none. */
    @Bean
    @ConditionalOnMissingBean
    public RpcCodec plumbRpcCodec(ObjectProvider<JsonMapper> jsonMapper) {
        JsonMapper mapper = jsonMapper.getIfUnique();
        if (mapper == null) {
            return RpcCodec.defaults();
        }
        return new RpcCodec(mapper.rebuild().disable(SerializationFeature.INDENT_OUTPUT).build());
    }

    /** The router: {@code @RpcService} beans, {@link RpcFilter} beans, then {@link RpcRouterCustomizer} beans. */
    @Bean
    @ConditionalOnMissingBean
    public RpcRouter plumbRpcRouter(PlumbRpcProperties properties, RpcCodec codec, ListableBeanFactory beans,
                                    ObjectProvider<RpcFilter> filters,
                                    ObjectProvider<RpcRouterCustomizer> customizers) {
        RpcRouter.Builder builder = RpcRouter.builder()
                .codec(codec)
                .maxBatchMembers(properties.getMaxBatchMembers())
                .batchConcurrency(properties.getBatchConcurrency());
        Duration timeout = properties.getHandlerTimeout();
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            builder = builder.filter(new HandlerTimeoutFilter(timeout));
        }
        for (RpcFilter filter : filters.orderedStream().toList()) {
            builder = builder.filter(filter);
        }
        if (properties.isDetectServices()) {
            for (Object service : ServiceBeans.implementations(beans)) {
                builder = builder.service(service);
            }
        }
        for (RpcRouterCustomizer customizer : customizers.orderedStream().toList()) {
            builder = customizer.customize(builder);
        }
        return builder.build();
    }

    /** The endpoint options from {@code plumb.rpc.*} and the {@link RpcAuthenticator} bean, if any. */
    @Bean
    @ConditionalOnMissingBean
    public HttpRpcOptions plumbRpcHttpOptions(PlumbRpcProperties properties,
                                              ObjectProvider<RpcAuthenticator> authenticator) {
        long maxBody = properties.getMaxBodySize().toBytes();
        if (maxBody > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("plumb.rpc.max-body-size must be below 2 GB: " + maxBody);
        }
        PlumbRpcProperties.WebSocket ws = properties.getWebsocket();
        HttpRpcOptions options = HttpRpcOptions.defaults()
                .path(properties.getPath())
                .webSocketPath(ws.isEnabled() ? ws.getPath() : null)
                .maxBodyBytes((int) maxBody)
                .streaming(properties.isStreaming())
                .authenticator(authenticator.getIfAvailable());
        if (properties.getHandlerThreads() == PlumbRpcProperties.HandlerThreads.BOUNDED_ELASTIC) {
            options = options.handlerScheduler(Schedulers.boundedElastic());
        }
        if (options.path().equals(options.webSocketPath())) {
            throw new IllegalArgumentException("plumb.rpc.websocket.path must differ from plumb.rpc.path ("
                    + options.path() + ")");
        }
        return options;
    }

    /** The HTTP endpoint, at {@link HttpRpcOptions#path()}. */
    @Bean
    @ConditionalOnMissingBean(name = "plumbRpcRouterFunction")
    public RouterFunction<ServerResponse> plumbRpcRouterFunction(RpcRouter router, HttpRpcOptions options) {
        return WebFluxRpc.routerFunction(router, options.webSocketPath(null));
    }

    /** The WebSocket endpoint; {@code plumb.rpc.websocket.enabled=false} leaves it out. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "plumb.rpc.websocket", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    public static class WebSocketEndpointConfiguration {

        /** The handler: the router, the options' limit and authenticator, and the peer settings. */
        @Bean
        @ConditionalOnMissingBean
        public RpcWebSocketHandler plumbRpcWebSocketHandler(RpcRouter router, HttpRpcOptions options,
                                                            PlumbRpcProperties properties,
                                                            ObjectProvider<RpcPeerCustomizer> peerCustomizers,
                                                            ObjectProvider<RpcConnectListener> listeners) {
            HttpRpcOptions served = options.webSocketPath() != null ? options
                    : options.webSocketPath(properties.getWebsocket().getPath());
            List<RpcPeerCustomizer> customizers = peerCustomizers.orderedStream().toList();
            List<RpcConnectListener> onConnect = listeners.orderedStream().toList();
            UnaryOperator<RpcPeer.Builder> settings = builder -> {
                RpcPeer.Builder b = applyProperties(builder, properties);
                for (RpcPeerCustomizer customizer : customizers) {
                    b = customizer.customize(b);
                }
                return b;
            };
            return new RpcWebSocketHandler(router, served, settings, peer -> {
                for (RpcConnectListener listener : onConnect) {
                    try {
                        listener.onConnect(peer);
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(RpcWebSocketHandler.class)
                                .warn("{}: an RpcConnectListener failed", peer.name(), e);
                    }
                }
            });
        }

        /** Routes {@link HttpRpcOptions#webSocketPath()} to the handler. */
        @Bean
        @ConditionalOnMissingBean(name = "plumbRpcWebSocketMapping")
        public HandlerMapping plumbRpcWebSocketMapping(RpcWebSocketHandler handler) {
            return handler.handlerMapping();
        }

        private static RpcPeer.Builder applyProperties(RpcPeer.Builder builder, PlumbRpcProperties properties) {
            PlumbRpcProperties.WebSocket ws = properties.getWebsocket();
            RpcPeer.Builder b = builder.timeout(ws.getTimeout())
                    .maxInboundInFlight(ws.getMaxInboundInFlight())
                    .maxQueuedOutboundFrames(ws.getMaxQueuedOutboundFrames())
                    .maxQueuedOutboundBytes(ws.getMaxQueuedOutboundSize().toBytes())
                    .maxConcurrentCalls(ws.getMaxConcurrentCalls());
            if (properties.getHandlerThreads() == PlumbRpcProperties.HandlerThreads.BOUNDED_ELASTIC) {
                b = b.handlerScheduler(Schedulers.boundedElastic());
            }
            return b;
        }
    }
}
