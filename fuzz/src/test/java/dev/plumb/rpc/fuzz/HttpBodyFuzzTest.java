package dev.plumb.rpc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.web.HttpRpcOptions;
import dev.plumb.rpc.web.internal.HttpReply;
import dev.plumb.rpc.web.internal.HttpRpcService;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The HTTP body path (what {@code HttpRpcServer} and {@code WebFluxRpc} run once a body is admitted) on any body,
 * with the {@code Accept} of a JSON client, an ndjson streaming client or none: 200 with a valid reply, 204 with no
 * body, or a 200 ndjson stream whose last line is a valid reply; never an exception, never a Java name.
 */
class HttpBodyFuzzTest {

    private static final HttpRpcService SERVICE = new HttpRpcService(FuzzRouter.build(), HttpRpcOptions.defaults());
    private static final String[] ACCEPTS = {"application/json", HttpRpcOptions.NDJSON, null};

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void everyBodyGetsAValidReplyOrNoContent(byte[] body) {
        LoggedErrors.clear();
        String accept = ACCEPTS[body.length % ACCEPTS.length];
        Object answered = SERVICE.answerEagerly(body, accept, null, java.util.Map.of());
        HttpReply reply = answered instanceof HttpReply r ? r
                : ((Mono<?>) answered).cast(HttpReply.class).block(Duration.ofSeconds(10));
        assertThat(reply).isNotNull();
        if (reply.status() == 204) {
            assertThat(reply.body()).isNull();
            assertThat(reply.stream()).isNull();
        } else {
            assertThat(reply.status()).isEqualTo(200);
            if (reply.stream() != null) {
                assertThat(reply.contentType()).isEqualTo(HttpRpcOptions.NDJSON);
                List<byte[]> lines = reply.stream().collectList().block(Duration.ofSeconds(10));
                assertThat(lines).isNotEmpty();
                byte[] last = lines.get(lines.size() - 1);
                ReplyCheck.reply(body, trimNewline(last));
                for (byte[] line : lines) {
                    ReplyCheck.leaks(body, new String(line, java.nio.charset.StandardCharsets.UTF_8));
                }
            } else {
                assertThat(reply.contentType()).isEqualTo(HttpRpcService.JSON);
                ReplyCheck.reply(body, reply.body());
            }
        }
        LoggedErrors.assertNone();
    }

    private static byte[] trimNewline(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\n' ? java.util.Arrays.copyOf(line, line.length - 1) : line;
    }
}
