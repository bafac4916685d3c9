package dev.plumb.rpc.spring.spec;

import dev.plumb.rpc.spring.RpcRouterCustomizer;
import dev.plumb.rpc.test.SpecRouter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** An application serving the methods the specification's examples assume, through a customizer bean. */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration"})
public class SpecApp {

    /** The specification's methods, from rpc-test's reference router. */
    @Bean
    RpcRouterCustomizer specMethods() {
        return SpecRouter::addTo;
    }
}
