package dev.plumb.rpc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link RpcCodec#bind(RawJson, Class)} of a record, on any bytes: what a typed {@code call} gives its caller. It
 * reads plain records straight from the bytes; whatever it gives must be what {@code ObjectMapper.readValue}
 * gives — the same value, or a failure where Jackson fails.
 */
class ResultBindingFuzzTest {

    private static final RpcCodec CODEC = RpcCodec.defaults();

    /** A result of every plain kind read from bytes. */
    record Item(long id, String queue, String status, List<String> tags, Map<String, Object> extra, Integer n,
                boolean flag, double ratio, Object any) {
    }

    /** The same with a {@link RawJson} component, which is left to Jackson. */
    record WithRaw(long id, RawJson raw) {
    }

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void recordResultsBindAsJacksonBindsThem(byte[] input) {
        for (Class<?> type : List.of(Item.class, WithRaw.class)) {
            Object jackson = outcome(() -> CODEC.mapper().readValue(input, type));
            Object ours = outcome(() -> CODEC.bind(RawJson.wrap(input, 0, input.length), type));
            assertThat(ours).as(type.getSimpleName()).isEqualTo(jackson);
        }
    }

    /** The value, or the class of the failure. */
    private static Object outcome(Supplier<Object> bind) {
        try {
            return bind.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
