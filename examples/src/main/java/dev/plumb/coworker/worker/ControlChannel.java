package dev.plumb.coworker.worker;

import dev.plumb.coworker.internal.PipeCommands;
import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.CiviPipe;
import dev.plumb.rpc.pipe.LifecycleEvent;
import dev.plumb.rpc.pipe.PipeRequirements;
import dev.plumb.rpc.pipe.RestartPolicy;
import dev.plumb.rpc.pipe.RunningCoprocess;
import dev.plumb.rpc.web.HttpRpcClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The channel that polls and claims. Over a pipe it is a supervised {@link RunningCoprocess} in the
 * {@link CiviPipe} dialect: the welcome header must meet the minimum version and be trusted, every (re)start sends
 * {@code options {"apiCheckPermissions":false}} and {@code Queue.getFields} (to choose the poll query), and a
 * dead child is restarted without limit (0.5 s delay, doubling to 10 s while starts fail). Over HTTP it is an
 * {@link HttpRpcClient}, set up on first use.
 */
public final class ControlChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String AGENT_WHERE = "[[\"agent\",\"CONTAINS\",\"server\"],[\"status\",\"=\",\"active\"]]";
    private static final String RUNNER_WHERE = "[[\"runner\",\"IS NOT EMPTY\"],[\"status\",\"=\",\"active\"]]";
    private static final Object GET_FIELDS = List.of("Queue", "getFields", Map.of("select", List.of("name")));

    private final RunningCoprocess pipe;
    private final HttpRpcClient web;
    private final String pollQuery;
    private final Duration requestTimeout;
    private volatile JsonNode pollWhere;
    private volatile Mono<Void> webSetUp;

    private ControlChannel(RunningCoprocess pipe, HttpRpcClient web, String pollQuery, Duration requestTimeout) {
        this.pipe = pipe;
        this.web = web;
        this.pollQuery = pollQuery;
        this.requestTimeout = requestTimeout;
        where(false); // a bad pollQuery fails here, not at every poll
    }

    /** A supervised control pipe running shell command {@code command}. */
    public static ControlChannel pipe(String command, String minimumVersion, String pollQuery, Duration timeout) {
        CiviPipe civi = CiviPipe.dialect().option("apiCheckPermissions", false)
                .requirements(PipeRequirements.none().minimumVersion(minimumVersion).requireTrusted());
        ControlChannel[] self = new ControlChannel[1];
        RunningCoprocess cv = civi.coprocess(PipeCommands.transport(command, "control"))
                .restart(RestartPolicy.unlimited()).restartDelay(Duration.ofMillis(500))
                .backoff(2.0, Duration.ofSeconds(10)).readinessTimeout(timeout)
                .peer(b -> civi.peer(b).timeout(timeout).name("control"))
                .initializer(peer -> civi.negotiate(peer)
                        .then(peer.call("api4", GET_FIELDS))
                        .doOnNext(fields -> self[0].choosePollQuery(fields)))
                .start();
        cv.events().filter(e -> e.type() == LifecycleEvent.Type.RESTARTING)
                .subscribe(e -> LOG.warn("restarting the control pipe: {}", e));
        self[0] = new ControlChannel(cv, null, pollQuery, timeout);
        return self[0];
    }

    /** A control channel over HTTP. */
    public static ControlChannel web(HttpRpcClient client, String pollQuery, Duration timeout) {
        return new ControlChannel(null, client.timeout(timeout), pollQuery, timeout);
    }

    /** How many times the control pipe was started (1 + restarts); 1 over HTTP. */
    public int starts() {
        return pipe == null ? 1 : pipe.generation();
    }

    /** The {@code where} clause of {@code Queue.get}, known once the channel is ready. */
    public JsonNode pollWhere() {
        return pollWhere;
    }

    /** Completes once the channel is started and set up (waits at most the request timeout). */
    public Mono<Void> ready() {
        if (pipe != null) {
            return pipe.peer().timeout(requestTimeout)
                    .onErrorMap(TimeoutException.class, e -> new RpcConnectionClosedException(
                            "the control pipe is not ready after " + requestTimeout.toSeconds() + " s"))
                    .then();
        }
        Mono<Void> s = webSetUp;
        if (s == null) {
            s = web.call("api4", GET_FIELDS).doOnNext(this::choosePollQuery).then()
                    .doOnError(e -> webSetUp = null).cache();
            webSetUp = s;
        }
        return s;
    }

    /** Calls {@code method} with the request timeout on the ready channel. */
    public Mono<JsonNode> call(String method, Object params) {
        if (pipe == null) {
            return ready().then(web.call(method, params));
        }
        return pipe.peer().timeout(requestTimeout)
                .onErrorMap(TimeoutException.class, e -> new RpcConnectionClosedException(
                        "the control pipe is not ready after " + requestTimeout.toSeconds() + " s"))
                .flatMap(p -> p.call(method, params));
    }

    private void choosePollQuery(JsonNode fields) {
        boolean hasAgent = false;
        for (JsonNode f : fields) {
            hasAgent |= "agent".equals(f.path("name").asString(""));
        }
        pollWhere = where(hasAgent);
        LOG.debug("poll query: {}", pollWhere);
    }

    private JsonNode where(boolean hasAgent) {
        switch (pollQuery) {
            case "auto":
                return JSON.readTree(hasAgent ? AGENT_WHERE : RUNNER_WHERE);
            case "agent":
                return JSON.readTree(AGENT_WHERE);
            case "runner":
                return JSON.readTree(RUNNER_WHERE);
            default:
                try {
                    JsonNode w = JSON.readTree(pollQuery);
                    if (!w.isArray()) {
                        throw new IllegalArgumentException("pollQuery must be auto, agent, runner or a JSON list");
                    }
                    return w;
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("pollQuery is not auto, agent, runner or a JSON where clause: "
                            + pollQuery, e);
                }
        }
    }

    /** Stops the control channel gracefully. */
    public Mono<Void> stop() {
        return pipe == null ? Mono.empty() : pipe.stop();
    }

    /** Stops the control channel at once. */
    public void kill() {
        if (pipe != null) {
            pipe.connection().ifPresent(c -> c.kill());
            pipe.stop().subscribe(null, e -> { });
        }
    }

    /** The peer of the current control pipe, for tests and diagnostics. */
    Mono<RpcPeer> peer() {
        return pipe == null ? Mono.empty() : pipe.peer();
    }
}
