package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * {@link RpcFilter#skips} (a peer answers a call without a filter that would only pass it on, and sees the peer's
 * context when asking), and two things records bound as params must do for protocols like MCP: a {@link RawJson}
 * component is the slice of the params as sent, and a component renamed with {@code @JsonProperty} (MCP's
 * {@code _meta}) binds by that name.
 */
@Timeout(30)
class FilterSkipAndRecordBindingTest {

    record Args(String name, RawJson arguments, @JsonProperty("_meta") Map<String, Object> meta) {
    }

    @Test
    void aFilterThatSkipsACallIsNotRunForItAndTheAnswerIsTheSame() {
        AtomicInteger filtered = new AtomicInteger();
        AtomicInteger askedWithPeer = new AtomicInteger();
        RpcFilter counting = new RpcFilter() {
            @Override
            public Mono<RpcReply> filter(RpcCall call, Next next) {
                filtered.incrementAndGet();
                return next.proceed(call);
            }

            @Override
            public boolean skips(RpcCall call, ContextView context) {
                if (context.hasKey(RpcPeer.class)) {
                    askedWithPeer.incrementAndGet();
                }
                return call.method().equals("fast");
            }
        };
        RpcRouter router = RpcRouter.builder().filter(counting)
                .method("fast", Integer.class, i -> Mono.just(i + 1))
                .method("slow", Integer.class, i -> Mono.just(i + 2))
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = RpcPeer.builder(pair.left()).router(router).connect();
        RpcPeer client = RpcPeer.builder(pair.right()).connect();
        try {
            assertThat(client.call("fast", java.util.List.of(1), Integer.class).block(Duration.ofSeconds(10))).isEqualTo(2);
            assertThat(filtered).hasValue(0);
            assertThat(client.call("slow", java.util.List.of(1), Integer.class).block(Duration.ofSeconds(10))).isEqualTo(3);
            assertThat(filtered).hasValue(1);
            assertThat(askedWithPeer).hasValue(2);
            // dispatch (HTTP, batches) may still run the filter: the same answer either way
            assertThat(new String(router.respond("{\"jsonrpc\":\"2.0\",\"method\":\"fast\",\"params\":[1],\"id\":7}"
                    .getBytes()).block(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"result\":2");
        } finally {
            client.dispose();
            server.dispose();
        }
    }

    @Test
    void aRawJsonComponentIsTheParamsSliceAndJsonPropertyNamesBind() {
        RpcRouter router = RpcRouter.builder()
                .method("tools/call", Args.class, a -> Mono.just(a.name() + " " + a.arguments() + " " + a.meta()))
                .build();
        String frame = "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{\"text\": \"a\\\"b\", \"n\":[1, 2]},\"_meta\":{\"progressToken\":7}},\"id\":1}";
        String reply = new String(router.respond(frame.getBytes()).block(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(reply).contains("echo {\\\"text\\\": \\\"a\\\\\\\"b\\\", \\\"n\\\":[1, 2]} {progressToken=7}");
        // the same through a second binding of the raw params (RpcParams.as, not the envelope pass)
        RpcParams params = new RpcParams(RawJson.of("{\"arguments\":[true, null],\"_meta\":{}}"), RpcCodec.defaults());
        Args a = params.as(Args.class);
        assertThat(a.arguments()).hasToString("[true, null]");
        assertThat(a.meta()).isEmpty();
    }
}
