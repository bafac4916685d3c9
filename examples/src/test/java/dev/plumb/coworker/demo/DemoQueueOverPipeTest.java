package dev.plumb.coworker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.coworker.internal.PipeCommands;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.CiviPipe;
import dev.plumb.rpc.pipe.PipeConnection;
import dev.plumb.rpc.RpcErrorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The demo queue as a real {@code demo-queue} process, spoken to like coworker speaks to {@code cv pipe}. */
@Timeout(60)
class DemoQueueOverPipeTest {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Path db;
    PipeConnection connection;
    RpcPeer pipe;

    @BeforeEach
    void start() {
        db = dir.resolve("q.db");
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            new DemoSeed(6, "noop", 0, 1, 1, 3, 60, 0).applyTo(store);
            store.addItems(List.of(new DemoQueueStore.NewItem("demo-1", null, "always_fail", null)));
        }
        connection = CiviPipe.dialect().transport(PipeCommands.transport(
                dev.plumb.coworker.RunCommand.demoPipeCommand(db), "test")).connect().block(T);
        pipe = CiviPipe.dialect().peer(RpcPeer.builder(connection).timeout(T)).connect();
    }

    @AfterEach
    void stop() {
        pipe.dispose();
        connection.stop(Duration.ofMillis(1500), Duration.ofMillis(1500)).block(T);
    }

    private JsonNode call(String method, Object params) {
        return pipe.call(method, params).block(T);
    }

    @Test
    void startsWithTheCiviPipeWelcomeHeaderAndAnswersEchoAndOptions() {
        var header = connection.welcomeHeader().orElseThrow();
        assertThat(header.version()).isEqualTo("5.80.0");
        assertThat(header.trusted()).isTrue();
        assertThat(header.login()).isTrue();
        assertThat(call("echo", List.of(1, "two")).toString()).isEqualTo("[1,\"two\"]");
        assertThat(call("options", Map.of()).path("bufferSize").asInt()).isEqualTo(524288);
        assertThat(call("options", Map.of("apiCheckPermissions", false)).toString())
                .isEqualTo("{\"apiCheckPermissions\":false}");
    }

    @Test
    void honoursAResponsePrefixNegotiatedByTheCiviPipeDialect() {
        CiviPipe civi = CiviPipe.dialect().responsePrefix("ZZ");
        PipeConnection c = civi.transport(PipeCommands.transport(
                dev.plumb.coworker.RunCommand.demoPipeCommand(db), "prefixed")).connect().block(T);
        RpcPeer peer = civi.peer(RpcPeer.builder(c).timeout(T)).connect();
        try {
            assertThat(civi.negotiate(peer).block(T).path("responsePrefix").asString()).isEqualTo("ZZ");
            assertThat(peer.call("echo", List.of("prefixed")).block(T).get(0).asString()).isEqualTo("prefixed");
        } finally {
            peer.dispose();
            c.stop(Duration.ofMillis(1500), Duration.ofMillis(1500)).block(T);
        }
    }

    @Test
    void queueApiClaimsAndRunsItemsInTheShapesOfCiviCrm() {
        JsonNode fields = call("api4", List.of("Queue", "getFields", Map.of("select", List.of("name"))));
        assertThat(fields.toString()).contains("{\"name\":\"agent\"}");
        JsonNode queues = call("api4", List.of("Queue", "get", Map.of("where",
                List.of(List.of("agent", "CONTAINS", "server"), List.of("status", "=", "active")))));
        assertThat(queues).hasSize(1);
        assertThat(queues.get(0).path("batch_limit").asInt()).isEqualTo(3);
        JsonNode items = call("api4", List.of("Queue", "claimItems",
                Map.of("queue", "demo-1", "select", List.of("id", "queue", "run_as"))));
        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("run_as").path("contactId").asLong()).isEqualTo(101);
        assertThat(call("login", Map.of("contactId", 101)).path("contactId").asLong()).isEqualTo(101);
        JsonNode results = call("api4", List.of("Queue", "runItems", Map.of("checkPermissions", false, "items",
                List.of(Map.of("id", 1, "queue", "demo-1"), Map.of("id", 2, "queue", "demo-1")))));
        assertThat(results.toString()).isEqualTo("[{\"outcome\":\"ok\",\"item\":{\"id\":1,\"queue\":\"demo-1\"}},"
                + "{\"outcome\":\"ok\",\"item\":{\"id\":2,\"queue\":\"demo-1\"}}]");
    }

    @Test
    void runItemsRefusesItemsOfAnotherRunAsContactAndKeepsServing() {
        call("login", Map.of("contactId", 999));
        assertThatThrownBy(() -> call("api4", List.of("Queue", "runItems",
                Map.of("items", List.of(Map.of("id", 1, "queue", "demo-1"))))))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(-32099);
                    assertThat(e.error().message()).contains("must run as contact 101");
                });
        assertThatThrownBy(() -> call("api4", List.of("Contact", "get")))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.error().code()).isEqualTo(-32099));
        assertThatThrownBy(() -> call("api4", Map.of("entity", "Queue")))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.error().code()).isEqualTo(-32602));
        assertThat(call("echo", List.of("still here")).get(0).asString()).isEqualTo("still here");
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            assertThat(store.runCounts()).isEmpty(); // the refused task did not run
        }
    }

    @Test
    void anItemWithoutRunAsFailsAfterItsRetriesAndEveryRunIsRecorded() {
        JsonNode out = call("api4", List.of("Queue", "runItems", Map.of("items", List.of(Map.of("id", 7, "queue", "demo-1")))));
        assertThat(out.get(0).path("outcome").asString()).isEqualTo("fail");
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            assertThat(store.runCounts()).containsEntry("fail", 1L);
        }
    }
}
