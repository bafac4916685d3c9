package dev.plumb.rpc.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A minimal application: the starter, one service bean and no routing code. (Spring Security is on the test
 * classpath for the secured variant; this application leaves it out, as an application without it would be.)
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration"})
public class PlumbApp {
}
