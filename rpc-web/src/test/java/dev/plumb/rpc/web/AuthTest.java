package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/** Bearer-token authentication: who gets in, who does not, and that a refused request runs nothing. */
@Timeout(60)
class AuthTest {

    private static final String SECRET = "s3cret-token";
    private static final SpecMethods METHODS = new SpecMethods();
    private static final AtomicInteger FILTER_SAW_ALICE = new AtomicInteger();
    private static DisposableServer server;
    private static URI rpc;

    private static final String WHOAMI = "{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":1}";

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().port(0)
                .router(METHODS.builder()
                        .filter((call, next) -> RpcPrincipal.current()
                                .doOnNext(p -> {
                                    if (p.name().equals("alice")) {
                                        FILTER_SAW_ALICE.incrementAndGet();
                                    }
                                })
                                .then(next.proceed(call)))
                        .build())
                .authenticator(BearerTokenAuthenticator.of(SECRET, RpcPrincipal.of("alice")))
                .bindNow();
        rpc = URI.create("http://127.0.0.1:" + server.port() + "/rpc");
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @Test
    void aBearerHeaderIsAcceptedAndThePrincipalReachesHandlersAndFilters() {
        int before = FILTER_SAW_ALICE.get();
        HttpResponse<String> r = RawHttp.post(rpc, WHOAMI, "Authorization", "Bearer " + SECRET);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"alice\",\"id\":1}");
        assertThat(FILTER_SAW_ALICE.get()).isEqualTo(before + 1);
    }

    @Test
    void aTokenQueryParameterIsAccepted() {
        HttpResponse<String> r = RawHttp.post(URI.create(rpc + "?token=" + SECRET), WHOAMI);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("alice");
    }

    @Test
    void aWrongTokenGets401WithAJsonRpcErrorAndRunsNoHandler() {
        int before = METHODS.handlerRuns.get();
        HttpResponse<String> r = RawHttp.post(rpc, WHOAMI, "Authorization", "Bearer s3cret-tokeX");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(r.body()).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Unauthorized\"},\"id\":null}");
        assertThat(METHODS.handlerRuns.get()).isEqualTo(before);
    }

    @Test
    void noCredentialsGet401AndRunNoHandler() {
        int before = METHODS.handlerRuns.get();
        HttpResponse<String> r = RawHttp.post(rpc, "[" + WHOAMI + "," + WHOAMI.replace("1}", "2}") + "]");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(METHODS.handlerRuns.get()).isEqualTo(before);
    }

    @Test
    void aWrongTokenInTheQueryIsRefused() {
        HttpResponse<String> r = RawHttp.post(URI.create(rpc + "?token=nope"), WHOAMI);
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void aFailingAuthenticatorRefusesInsteadOfCrashing() {
        DisposableServer s = HttpRpcServer.create().port(0).router(METHODS.router())
                .authenticator(req -> Mono.error(new IllegalStateException("directory down")))
                .bindNow();
        try {
            HttpResponse<String> r = RawHttp.post(URI.create("http://127.0.0.1:" + s.port() + "/rpc"), WHOAMI);
            assertThat(r.statusCode()).isEqualTo(401);
        } finally {
            s.disposeNow();
        }
    }

    @Test
    void theClientSendsTheTokenFromItsUrl() {
        HttpRpcClient client = HttpRpcClient.create(rpc + "?token=" + SECRET);
        assertThat(client.call("whoami", null, String.class).block(java.time.Duration.ofSeconds(10)))
                .isEqualTo("alice");
    }
}
