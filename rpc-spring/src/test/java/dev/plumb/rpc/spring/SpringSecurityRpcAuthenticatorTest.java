package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.web.RpcAuthRequest;
import dev.plumb.rpc.web.RpcPrincipal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;

/** Plumb's own check behind the application's security rules: only an authenticated principal gets in. */
class SpringSecurityRpcAuthenticatorTest {

    private static final RpcAuthRequest REQUEST = new RpcAuthRequest() {
        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String queryParam(String name) {
            return null;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }
    };

    private static RpcPrincipal run(SpringSecurityRpcAuthenticator authenticator, Authentication authentication) {
        var principal = authenticator.authenticate(REQUEST);
        if (authentication != null) {
            principal = principal.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
        }
        return principal.block(Duration.ofSeconds(5));
    }

    private static final Authentication ALICE = UsernamePasswordAuthenticationToken.authenticated("alice", null,
            List.of(new SimpleGrantedAuthority("ROLE_RPC")));
    private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("key", "anonymousUser",
            List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS")));

    @Test
    void anAuthenticatedPrincipalGetsIn() {
        RpcPrincipal p = run(new SpringSecurityRpcAuthenticator(), ALICE);
        assertThat(p.name()).isEqualTo("alice");
        assertThat(p.attributes()).containsEntry("authorities", List.of("ROLE_RPC")).containsEntry("authentication", ALICE);
    }

    @Test
    void noAuthenticationAnAnonymousOneOrAnUnauthenticatedOneIsRefused() {
        SpringSecurityRpcAuthenticator strict = new SpringSecurityRpcAuthenticator();
        assertThat(run(strict, null)).isNull();
        assertThat(run(strict, ANONYMOUS)).isNull();
        assertThat(run(strict, UsernamePasswordAuthenticationToken.unauthenticated("mallory", "pw"))).isNull();
    }

    @Test
    void withoutRequiringAuthenticationTheOthersRunAsAnonymous() {
        SpringSecurityRpcAuthenticator lenient = new SpringSecurityRpcAuthenticator(false);
        assertThat(run(lenient, ANONYMOUS)).isEqualTo(SpringSecurityRpcAuthenticator.ANONYMOUS);
        assertThat(run(lenient, null)).isEqualTo(SpringSecurityRpcAuthenticator.ANONYMOUS);
        assertThat(run(lenient, ALICE).name()).isEqualTo("alice");
    }
}
