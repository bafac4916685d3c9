package dev.plumb.rpc.spring;

import dev.plumb.rpc.RpcRouter;

/**
 * Registers methods, filters and settings on the auto-configured {@link RpcRouter}: every bean of this type is
 * applied, in {@code @Order}, after the {@code @RpcService} beans and the {@code RpcFilter} beans were added.
 *
 * <pre>{@code
 * @Bean
 * RpcRouterCustomizer ping() {
 *     return router -> router.method("ping", () -> Mono.just("pong"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RpcRouterCustomizer {

    /**
     * Adds to or changes {@code builder} and returns the result: the builder is immutable, so return what its
     * methods return ({@code builder -> builder.method(…)}).
     */
    RpcRouter.Builder customize(RpcRouter.Builder builder);
}
