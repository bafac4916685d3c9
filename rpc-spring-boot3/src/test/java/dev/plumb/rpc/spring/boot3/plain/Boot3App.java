package dev.plumb.rpc.spring.boot3.plain;

import dev.plumb.rpc.spring.boot3.TallyService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A Boot 3.5 application with the starter and one service bean (Spring Security left out). */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration"})
public class Boot3App {

    @Bean
    TallyService tally() {
        return new TallyService();
    }
}
