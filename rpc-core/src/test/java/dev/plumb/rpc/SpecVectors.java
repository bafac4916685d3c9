package dev.plumb.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The JSON-RPC specification's examples (and the supplementary vectors) from {@code shared/vectors}, parsed into
 * request/expected-response pairs, and a router with the example methods. Used by every transport's tests.
 */
public final class SpecVectors {

    /**
     * One exchange.
     *
     * @param name     section title and position
     * @param request  the request text sent as one frame
     * @param response the expected response text, or {@code null} when nothing must be returned
     */
    public record Vector(String name, String request, String response) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Subtract(int minuend, int subtrahend) {
    }

    record Sum(int a, int b, int c) {
    }

    private SpecVectors() {
    }

    /** The router with the methods the vectors assume. */
    public static RpcRouter router() {
        return RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("sum", Sum.class, p -> Mono.just(p.a() + p.b() + p.c()))
                .method("get_data", () -> Mono.just(List.of("hello", 5)))
                .handler("update", call -> Mono.empty())
                .handler("notify_hello", call -> Mono.empty())
                .handler("notify_sum", call -> Mono.empty())
                .build();
    }

    /** Where the vectors file is: {@code ../shared/vectors} from the project, found from the working directory. */
    public static Path file() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared/vectors/jsonrpc-spec.txt");
            if (Files.exists(candidate)) {
                return candidate;
            }
            Path bundled = d.resolve("rpc-core/src/test/resources/jsonrpc-spec.txt");
            if (Files.exists(bundled)) {
                return bundled;
            }
        }
        throw new IllegalStateException("jsonrpc-spec.txt not found above " + dir);
    }

    /** All vectors, in file order. */
    public static List<Vector> all() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Vector> out = new ArrayList<>();
        String section = "";
        StringBuilder req = null;
        StringBuilder resp = null;
        boolean skipping = false;
        int n = 0;
        for (String line : lines) {
            if (line.startsWith("=====")) {
                if (req != null) {
                    out.add(vector(section, ++n, req, resp));
                    req = null;
                    resp = null;
                }
                if (!line.startsWith("=====     ")) {
                    section = line.substring(5).trim();
                    n = 0;
                }
            } else if (line.startsWith("#")) {
                continue;
            } else if (line.startsWith("-->")) {
                if (req != null) {
                    out.add(vector(section, ++n, req, resp));
                }
                req = new StringBuilder(line.substring(3));
                resp = null;
                skipping = false;
            } else if (line.startsWith("<--")) {
                String r = line.substring(3).trim();
                if (r.startsWith("lenient:")) {
                    skipping = true;
                    continue;
                }
                skipping = false;
                if (r.startsWith("strict:")) {
                    r = r.substring("strict:".length()).trim();
                }
                resp = new StringBuilder(r);
            } else if (!skipping && resp != null) {
                resp.append('\n').append(line);
            } else if (!skipping && req != null) {
                req.append('\n').append(line);
            }
        }
        if (req != null) {
            out.add(vector(section, ++n, req, resp));
        }
        return out;
    }

    private static Vector vector(String section, int n, StringBuilder req, StringBuilder resp) {
        String r = resp == null ? null : resp.toString().trim();
        if (r != null && (r.isEmpty() || r.startsWith("//") || r.startsWith("("))) {
            r = null;
        }
        return new Vector(section + " #" + n, req.toString().trim(), r);
    }
}
