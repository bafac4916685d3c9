package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** HTTPS through reactor-netty's SSL support, with a certificate made by the JDK's keytool for this test. */
@Timeout(90)
class TlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void callsWorkOverHttps(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "plumb", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SslContext serverSsl = SslContextBuilder.forServer(kmf).build();
        SslContext clientSsl = SslContextBuilder.forClient()
                .trustManager((X509Certificate) ks.getCertificate("plumb")).build();

        DisposableServer server = HttpRpcServer.create().port(0).router(new SpecMethods().router())
                .ssl(spec -> spec.sslContext(serverSsl))
                .bindNow();
        try {
            HttpRpcClient client = HttpRpcClient.create("https://127.0.0.1:" + server.port() + "/rpc")
                    .httpClient(HttpClient.create().secure(spec -> spec.sslContext(clientSsl)));
            StepVerifier.create(client.call("subtract", List.of(42, 23), Integer.class))
                    .expectNext(19).expectComplete().verify(Duration.ofSeconds(20));
            StepVerifier.create(client.stream("count", List.of(3), Integer.class))
                    .expectNext(0, 1, 2).expectComplete().verify(Duration.ofSeconds(20));
        } finally {
            server.disposeNow();
        }
    }
}
