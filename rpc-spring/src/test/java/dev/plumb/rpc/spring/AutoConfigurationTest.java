package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.spring.app.Inventory;
import dev.plumb.rpc.spring.app.InventoryService;
import dev.plumb.rpc.web.BearerTokenAuthenticator;
import dev.plumb.rpc.web.HttpRpcClient;
import dev.plumb.rpc.web.HttpRpcOptions;
import dev.plumb.rpc.web.RpcAuthenticator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.web.reactive.HandlerMapping;
import reactor.core.publisher.Mono;

/** Which beans the starter contributes, and that the application's own beans and properties win. */
class AutoConfigurationTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PlumbRpcAutoConfiguration.class,
                    PlumbRpcSecurityAutoConfiguration.class));

    @Test
    void everyEndpointBeanIsThereByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RpcRouter.class).hasSingleBean(HttpRpcOptions.class)
                    .hasSingleBean(RpcWebSocketHandler.class).hasBean("plumbRpcRouterFunction")
                    .hasBean("plumbRpcWebSocketMapping")
                    .hasSingleBean(RpcAuthenticationEntryPoint.class).hasSingleBean(RpcAccessDeniedHandler.class)
                    .doesNotHaveBean(RpcAuthenticator.class);
            HttpRpcOptions options = context.getBean(HttpRpcOptions.class);
            assertThat(options.path()).isEqualTo("/rpc");
            assertThat(options.webSocketPath()).isEqualTo("/rpc/ws");
            assertThat(options.maxBodyBytes()).isEqualTo(16 * 1024 * 1024);
            assertThat(options.streaming()).isTrue();
        });
    }

    @Test
    void propertiesReachTheOptionsAndTheRouter() {
        runner.withPropertyValues("plumb.rpc.path=/api/rpc", "plumb.rpc.websocket.path=/api/ws",
                        "plumb.rpc.max-body-size=1MB", "plumb.rpc.streaming=false", "plumb.rpc.max-batch-members=2")
                .run(context -> {
                    HttpRpcOptions options = context.getBean(HttpRpcOptions.class);
                    assertThat(options.path()).isEqualTo("/api/rpc");
                    assertThat(options.webSocketPath()).isEqualTo("/api/ws");
                    assertThat(options.maxBodyBytes()).isEqualTo(1024 * 1024);
                    assertThat(options.streaming()).isFalse();
                    assertThat(context.getBean(RpcRouter.class).maxBatchMembers()).isEqualTo(2);
                });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        RpcRouter own = RpcRouter.builder().method("own", () -> Mono.just(1)).build();
        RpcAuthenticator token = BearerTokenAuthenticator.of("t");
        runner.withBean(RpcRouter.class, () -> own)
                .withBean(RpcAuthenticator.class, () -> token)
                .run(context -> {
                    assertThat(context.getBean(RpcRouter.class)).isSameAs(own);
                    assertThat(context.getBean(HttpRpcOptions.class).authenticator()).isSameAs(token);
                    assertThat(context.getBean(RpcWebSocketHandler.class).options().authenticator()).isSameAs(token);
                });
    }

    @Test
    void serviceBeansFiltersAndCustomizersMakeTheRouterButClientProxiesAreNotServed() {
        runner.withBean(InventoryService.class)
                .withBean("remoteInventory", Inventory.class,
                        () -> HttpRpcClient.create("http://127.0.0.1:9/rpc").proxy(Inventory.class))
                .withBean(RpcRouterCustomizer.class, () -> b -> b.method("ping", () -> Mono.just("pong")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RpcRouter router = context.getBean(RpcRouter.class);
                    assertThat(router.hasMethod("inventory/add")).isTrue();
                    assertThat(router.hasMethod("ping")).isTrue();
                });
    }

    @Test
    void aServiceBeanBehindAnAopProxyIsCalledThroughTheProxy() {
        java.util.concurrent.atomic.AtomicInteger advised = new java.util.concurrent.atomic.AtomicInteger();
        org.springframework.aop.framework.ProxyFactory factory =
                new org.springframework.aop.framework.ProxyFactory(new InventoryService());
        factory.setProxyTargetClass(true); // Boot's default: a CGLIB subclass, the interface only on its superclass
        factory.addAdvice((org.aopalliance.intercept.MethodInterceptor) invocation -> {
            advised.incrementAndGet();
            return invocation.proceed();
        });
        Object proxy = factory.getProxy();
        runner.withBean("inventoryService", InventoryService.class, () -> (InventoryService) proxy).run(context -> {
            byte[] answer = context.getBean(RpcRouter.class)
                    .respond("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/add\",\"params\":[\"p\",2],\"id\":1}"
                            .getBytes())
                    .block(Duration.ofSeconds(10));
            assertThat(new String(answer)).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":2,\"id\":1}");
            assertThat(advised.get()).isEqualTo(1);
        });
    }

    @Test
    void serviceDetectionCanBeTurnedOff() {
        runner.withBean(InventoryService.class).withPropertyValues("plumb.rpc.detect-services=false")
                .run(context -> assertThat(context.getBean(RpcRouter.class).hasMethod("inventory/add")).isFalse());
    }

    @Test
    void aHandlerTimeoutFailsSlowHandlersWithAnError() {
        runner.withPropertyValues("plumb.rpc.handler-timeout=100ms")
                .withBean(RpcRouterCustomizer.class, () -> b -> b.method("slow", () -> Mono.never()))
                .run(context -> {
                    RpcRouter router = context.getBean(RpcRouter.class);
                    byte[] answer = router.respond("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":1}".getBytes())
                            .block(Duration.ofSeconds(10));
                    assertThat(new String(answer)).contains("\"code\":-32603").contains("timed out after 100 ms");
                });
    }

    @Test
    void theWebSocketEndpointCanBeLeftOut() {
        runner.withPropertyValues("plumb.rpc.websocket.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RpcWebSocketHandler.class)
                    .doesNotHaveBean("plumbRpcWebSocketMapping").hasBean("plumbRpcRouterFunction");
            assertThat(context.getBean(HttpRpcOptions.class).webSocketPath()).isNull();
        });
    }

    @Test
    void theSamePathForBothEndpointsFailsAtStart() {
        runner.withPropertyValues("plumb.rpc.websocket.path=/rpc").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("plumb.rpc.websocket.path must differ from plumb.rpc.path"));
    }

    @Test
    void plumbCanBeTurnedOff() {
        runner.withPropertyValues("plumb.rpc.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(RpcRouter.class).doesNotHaveBean(HandlerMapping.class)
                        .doesNotHaveBean(RpcAuthenticationEntryPoint.class));
    }

    @Test
    void withSpringSecuritysWebFluxFiltersTheBridgeIsTheAuthenticator() {
        runner.withUserConfiguration(WithWebFluxSecurity.class).run(context -> {
            assertThat(context.getBean(RpcAuthenticator.class)).isInstanceOf(SpringSecurityRpcAuthenticator.class);
            assertThat(context.getBean(HttpRpcOptions.class).authenticator())
                    .isInstanceOf(SpringSecurityRpcAuthenticator.class);
        });
        runner.withUserConfiguration(WithWebFluxSecurity.class).withPropertyValues("plumb.rpc.security.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RpcAuthenticator.class));
    }

    /** Spring Security's WebFlux support, as {@code @EnableWebFluxSecurity} turns it on. */
    @org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity
    static class WithWebFluxSecurity {
        @org.springframework.context.annotation.Bean
        org.springframework.security.authentication.ReactiveAuthenticationManager nobody() {
            return authentication -> Mono.empty();
        }
    }

}
