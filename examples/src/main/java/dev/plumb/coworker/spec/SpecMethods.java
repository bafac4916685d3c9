package dev.plumb.coworker.spec;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcRouter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The example methods of the JSON-RPC 2.0 specification: {@code subtract} (positional and named), {@code sum},
 * {@code get_data}, {@code update}, {@code notify_hello}, {@code notify_sum}, plus {@code echo}.
 */
public final class SpecMethods {

    private static final Logger LOG = LoggerFactory.getLogger(SpecMethods.class);

    private SpecMethods() {
    }

    /** {@code subtract}'s params: positional {@code [minuend, subtrahend]} or named. */
    public record Subtract(int minuend, int subtrahend) {
    }

    /** The router with the specification's methods. */
    public static RpcRouter router() {
        return RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .handler("sum", call -> Mono.just(sum(call.params().asNode())))
                .method("get_data", () -> Mono.just(List.of("hello", 5)))
                .handler("update", call -> {
                    LOG.info("update {}", call.params());
                    return Mono.empty();
                })
                .handler("notify_hello", call -> {
                    LOG.info("notify_hello {}", call.params());
                    return Mono.empty();
                })
                .handler("notify_sum", call -> Mono.just(sum(call.params().asNode())))
                .handler("echo", call -> Mono.just(call.params().isAbsent() ? RawJson.NULL : call.params().raw()))
                .build();
    }

    private static long sum(JsonNode params) {
        if (params == null || !params.isArray()) {
            throw new RpcErrorException(RpcError.invalidParams("sum takes a list of numbers"));
        }
        long s = 0;
        for (JsonNode n : params) {
            if (!n.isNumber()) {
                throw new RpcErrorException(RpcError.invalidParams("sum takes a list of numbers"));
            }
            s += n.asLong();
        }
        return s;
    }
}
