package dev.plumb.rpc.spring.spec;

import dev.plumb.rpc.spring.RpcRouterCustomizer;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/** An application serving the methods the specification's examples assume, as plain handler beans. */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration"})
public class SpecApp {

    /** subtract's params, positional by component order or named. */
    record Subtract(int minuend, int subtrahend) {
    }

    /** sum's params. */
    record Sum(int a, int b, int c) {
    }

    /** The specification's methods. */
    @Bean
    RpcRouterCustomizer specMethods() {
        return router -> router
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("sum", Sum.class, p -> Mono.just(p.a() + p.b() + p.c()))
                .method("update", int[].class, p -> Mono.empty())
                .method("get_data", () -> Mono.just(List.of("hello", 5)))
                .method("notify_hello", int[].class, p -> Mono.empty())
                .method("notify_sum", int[].class, p -> Mono.empty());
    }
}
