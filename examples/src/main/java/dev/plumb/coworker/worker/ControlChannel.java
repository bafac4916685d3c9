package dev.plumb.coworker.worker;

import dev.plumb.coworker.channel.ProcessPipe;
import dev.plumb.coworker.channel.RpcChannel;
import dev.plumb.rpc.RpcConnectionClosedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The supervised control channel that polls and claims: a pipe that is restarted whenever it dies (unlimited
 * restarts, 0.5 s delay doubling to 10 s while starts keep failing), set up after every start (welcome header
 * checked for the minimum version and trust, {@code options {"apiCheckPermissions":false}},
 * {@code Queue.getFields} to choose the poll query) — or an HTTP endpoint, set up once.
 */
public final class ControlChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
    private static final String AGENT_WHERE = "[[\"agent\",\"CONTAINS\",\"server\"],[\"status\",\"=\",\"active\"]]";
    private static final String RUNNER_WHERE = "[[\"runner\",\"IS NOT EMPTY\"],[\"status\",\"=\",\"active\"]]";

    private final String pipeCommand;
    private final RpcChannel web;
    private final String minimumVersion;
    private final String pollQuery;
    private final Duration requestTimeout;
    private final AtomicInteger starts = new AtomicInteger();
    private RpcChannel current;
    private Mono<RpcChannel> starting;
    private volatile JsonNode pollWhere;
    private long lastStartNanos;
    private int failedStarts;
    private boolean stopped;

    private ControlChannel(String pipeCommand, RpcChannel web, String minimumVersion, String pollQuery,
                           Duration requestTimeout) {
        this.pipeCommand = pipeCommand;
        this.web = web;
        this.minimumVersion = minimumVersion;
        this.pollQuery = pollQuery;
        this.requestTimeout = requestTimeout;
    }

    /** A control pipe running {@code command}. */
    public static ControlChannel pipe(String command, String minimumVersion, String pollQuery, Duration timeout) {
        return new ControlChannel(command, null, minimumVersion, pollQuery, timeout);
    }

    /** A control channel over HTTP. */
    public static ControlChannel web(RpcChannel web, String pollQuery, Duration timeout) {
        return new ControlChannel(null, web, null, pollQuery, timeout);
    }

    /** How many times the control pipe was started (1 + restarts). */
    public int starts() {
        return starts.get();
    }

    /** The {@code where} clause of {@code Queue.get}, known after the first setup. */
    public JsonNode pollWhere() {
        return pollWhere;
    }

    /** Calls {@code method} on the (re)started channel with the request timeout. */
    public Mono<JsonNode> call(String method, Object params) {
        return ready().flatMap(ch -> ch.call(method, params, requestTimeout));
    }

    /** The channel, started and set up. */
    public Mono<RpcChannel> ready() {
        return Mono.defer(() -> {
            synchronized (this) {
                if (stopped) {
                    return Mono.error(new RpcConnectionClosedException("coworker is stopping"));
                }
                if (current != null && current.isAlive()) {
                    return Mono.just(current);
                }
                if (starting == null) {
                    starting = startAndSetUp().doOnEach(sig -> {
                        synchronized (this) {
                            if (sig.isOnNext()) {
                                current = sig.get();
                                failedStarts = 0;
                            }
                            if (sig.isOnNext() || sig.isOnError()) {
                                starting = null;
                            }
                            if (sig.isOnError()) {
                                failedStarts++;
                            }
                        }
                    }).cache();
                }
                return starting;
            }
        });
    }

    private Mono<RpcChannel> startAndSetUp() {
        if (web != null) {
            return setUp(web).thenReturn(web);
        }
        long delayMillis;
        synchronized (this) {
            long sinceLast = (System.nanoTime() - lastStartNanos) / 1_000_000;
            long wanted = failedStarts == 0 && starts.get() == 0 ? 0
                    : Math.min(10_000, 500L << Math.min(failedStarts, 5));
            delayMillis = Math.max(0, wanted - sinceLast);
        }
        Mono<Long> delay = delayMillis == 0 ? Mono.just(0L) : Mono.delay(Duration.ofMillis(delayMillis));
        return delay.then(Mono.defer(() -> {
            synchronized (this) {
                lastStartNanos = System.nanoTime();
            }
            int n = starts.incrementAndGet();
            if (n > 1) {
                LOG.warn("restarting the control pipe (start #{})", n);
            }
            return ProcessPipe.start(pipeCommand, "control", true, requestTimeout);
        })).flatMap(pipe -> pipe.welcomeHeader()
                .doOnNext(this::checkHeader)
                .then(setUp(pipe))
                .thenReturn((RpcChannel) pipe)
                .doOnError(e -> pipe.kill()));
    }

    private void checkHeader(JsonNode header) {
        String version = header.path("v").asString("");
        if (minimumVersion != null && compareVersions(version, minimumVersion) < 0) {
            throw new RpcConnectionClosedException("the pipe speaks CiviCRM " + version + ", coworker needs "
                    + minimumVersion + " or newer (option civicrmVersion)");
        }
        if (!"trusted".equals(header.path("t").asString(""))) {
            throw new RpcConnectionClosedException("the pipe is not trusted (header t=" + header.get("t")
                    + "); coworker needs a trusted pipe such as 'cv pipe' with the t flag");
        }
    }

    /** Compares dotted versions numerically ({@code 5.80.alpha1} counts as 5.80). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? leadingNumber(x[i]) : 0;
            int q = i < y.length ? leadingNumber(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int leadingNumber(String s) {
        int n = 0;
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            n = n * 10 + (s.charAt(i++) - '0');
        }
        return n;
    }

    private Mono<Void> setUp(RpcChannel ch) {
        Mono<JsonNode> options = web != null ? Mono.empty()
                : ch.call("options", Map.of("apiCheckPermissions", false), requestTimeout);
        return options.then(ch.call("api4", List.of("Queue", "getFields", Map.of("select", List.of("name"))),
                        requestTimeout))
                .doOnNext(fields -> {
                    boolean hasAgent = false;
                    for (JsonNode f : fields) {
                        hasAgent |= "agent".equals(f.path("name").asString(""));
                    }
                    pollWhere = where(hasAgent);
                    LOG.debug("control channel {} ready; poll where {}", ch.description(), pollWhere);
                }).then();
    }

    private JsonNode where(boolean hasAgent) {
        JsonMapper m = JsonMapper.builder().build();
        switch (pollQuery) {
            case "auto":
                return m.readTree(hasAgent ? AGENT_WHERE : RUNNER_WHERE);
            case "agent":
                return m.readTree(AGENT_WHERE);
            case "runner":
                return m.readTree(RUNNER_WHERE);
            default:
                return m.readTree(pollQuery);
        }
    }

    /** Stops the control channel gracefully. */
    public Mono<Void> stop() {
        RpcChannel c;
        synchronized (this) {
            stopped = true;
            c = current;
            current = null;
        }
        return c == null ? Mono.empty() : c.stop();
    }

    /** Stops the control channel at once. */
    public void kill() {
        RpcChannel c;
        synchronized (this) {
            stopped = true;
            c = current;
        }
        if (c != null) {
            c.kill();
        }
    }
}
