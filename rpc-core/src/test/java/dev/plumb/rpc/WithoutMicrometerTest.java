package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Micrometer is optional: only {@code dev.plumb.rpc.observation} refers to it, and a peer runs without it. */
class WithoutMicrometerTest {

    @Test
    void onlyTheObservationPackageRefersToMicrometer() throws Exception {
        Path classes = Path.of(RpcPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> offenders = new ArrayList<>();
        List<String> observation = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(p).toString().replace(File.separatorChar, '/');
                boolean refers = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                        .contains("io/micrometer");
                if (refers && !name.startsWith("dev/plumb/rpc/observation/")) {
                    offenders.add(name);
                } else if (refers) {
                    observation.add(name);
                }
            }
        }
        assertThat(offenders).isEmpty();
        assertThat(observation).isNotEmpty(); // the scan does find references where they are
    }

    @Test
    void aPeerWithFiltersAndATapRunsWithoutMicrometerOnTheClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("micrometer")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(isolated.getResource("io/micrometer/observation/Observation.class")).isNull();
            @SuppressWarnings("unchecked")
            Callable<String> probe = (Callable<String>) isolated.loadClass(Probe.class.getName())
                    .getDeclaredConstructor().newInstance();
            assertThat(probe.call()).isEqualTo("5 acme 2");
        }
    }

    /** Runs a filtered, tapped call over an in-memory pair; loaded by a class loader without Micrometer. */
    public static final class Probe implements Callable<String> {
        @Override
        public String call() {
            RpcRouter router = RpcRouter.builder()
                    .method("add", int[].class, a -> reactor.core.publisher.Mono.just(a[0] + a[1]))
                    .method("tenant", () -> RpcMetadata.current().map(m -> m.get("tenant")))
                    .build();
            InMemoryTransport.Pair pair = InMemoryTransport.pair();
            RpcPeer server = RpcPeer.builder(pair.right()).router(router).connect();
            List<byte[]> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
            RpcPeer client = RpcPeer.builder(pair.left())
                    .filter((c, next) -> next.proceed(c.withMetadata("tenant", "acme")))
                    .wireTap((n, d, f) -> frames.add(f))
                    .connect();
            try {
                Integer sum = client.call("add", List.of(2, 3), Integer.class).block(java.time.Duration.ofSeconds(10));
                String tenant = client.call("tenant", null, String.class).block(java.time.Duration.ofSeconds(10));
                return sum + " " + tenant + " " + frames.size() / 2;
            } finally {
                client.dispose();
                server.dispose();
            }
        }
    }

}
