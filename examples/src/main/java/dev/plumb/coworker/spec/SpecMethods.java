package dev.plumb.coworker.spec;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.openrpc.OpenRpcExample;
import dev.plumb.rpc.openrpc.OpenRpcInfo;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc.ParamStructure;
import dev.plumb.rpc.openrpc.OpenRpcParam;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The example methods of the JSON-RPC 2.0 specification: {@code subtract} (positional and named), {@code sum},
 * {@code get_data}, {@code update}, {@code notify_hello}, {@code notify_sum}, plus {@code echo}; and
 * {@code rpc.discover}, their OpenRPC document.
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
                .discovery(OpenRpcInfo.of("JSON-RPC 2.0 specification examples", "1.0.0").withDescription(
                        "The example methods of https://www.jsonrpc.org/specification, served by coworker spec-server."))
                .describe("subtract", OpenRpcMethodDoc.builder()
                        .summary("minuend - subtrahend")
                        .result(int.class)
                        .example(OpenRpcExample.named("by position").param("minuend", 42).param("subtrahend", 23)
                                .result(19).build())
                        .build())
                .describe("sum", OpenRpcMethodDoc.builder()
                        .summary("Adds any number of integers")
                        .params(OpenRpcParam.variadic("addend", long.class))
                        .paramStructure(ParamStructure.BY_POSITION)
                        .result(long.class)
                        .example(OpenRpcExample.named("1 + 2 + 4")
                                .param("addend", 1).param("addend", 2).param("addend", 4).result(7).build())
                        .build())
                .describe("get_data", OpenRpcMethodDoc.builder()
                        .summary("Answers [\"hello\", 5]")
                        .result(List.class)
                        .example(OpenRpcExample.named("get_data").result(List.of("hello", 5)).build())
                        .build())
                .describe("update", notification("Logs its params", Object.class))
                .describe("notify_hello", notification("Logs its params", Object.class))
                .describe("notify_sum", notification("Adds its params and drops the sum (answers it when called as"
                        + " a request)", long.class))
                .describe("echo", OpenRpcMethodDoc.builder()
                        .summary("Answers its params unchanged")
                        .description("Any params, by position or by name; `null` without params.")
                        .params(OpenRpcParam.variadic("value", Object.class))
                        .paramStructure(ParamStructure.EITHER)
                        .result(Object.class, "the params as received")
                        .build())
                .build();
    }

    private static OpenRpcMethodDoc notification(String summary, Class<?> itemType) {
        return OpenRpcMethodDoc.builder().summary(summary).notification()
                .params(OpenRpcParam.variadic("value", itemType))
                .paramStructure(ParamStructure.BY_POSITION)
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
