package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcDialect;
import dev.plumb.rpc.RpcPeer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The {@code Civi::pipe} dialect: what a client must do to talk to CiviCRM's pipe (see {@code docs/pipes.md}).
 * An immutable value; apply it to the transport, the peer, and (for {@code options}) the first call:
 *
 * <pre>{@code
 * CiviPipe civi = CiviPipe.dialect().responsePrefix("ZZ")
 *     .requirements(PipeRequirements.none().minimumVersion("5.51").requireTrusted());
 * RunningCoprocess cv = civi.coprocess(PipeTransport.shell("cv pipe")).restart(RestartPolicy.unlimited()).start();
 * }</pre>
 *
 * <p>It makes the transport wait for the welcome header (checked against the requirements) and drop stdout lines
 * that are not JSON (PHP notices) instead of answering them — Civi would answer our parse-error reply with an
 * id-less error that could be taken for the reply to the call in flight; it makes the peer send one request at a
 * time, never send a line over {@code bufferSize}, and strip the response prefix; and {@link #negotiate(RpcPeer)}
 * sends {@code options} so that the child uses the same prefix and buffer size. The peer's side of it is one
 * {@link RpcDialect} ({@link #peerDialect()}): the prefix stripped, noise dropped, and an id-less error given to
 * the one call in flight.
 */
public final class CiviPipe {

    /** Civi's default {@code bufferSize}: 524288 bytes. */
    public static final int DEFAULT_BUFFER_SIZE = 524288;

    private static final CiviPipe DEFAULT = new CiviPipe(new Settings());

    private final Settings settings;

    private CiviPipe(Settings settings) {
        this.settings = settings;
    }

    /** The dialect with Civi's defaults: buffer 524288 bytes, no response prefix, no requirements. */
    public static CiviPipe dialect() {
        return DEFAULT;
    }

    /**
     * A copy for a pipe whose {@code bufferSize} is {@code bytes} (set on the child by {@link #negotiate}).
     * Default: {@value #DEFAULT_BUFFER_SIZE}.
     */
    public CiviPipe bufferSize(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("bufferSize must be at least 2");
        }
        return with(s -> s.bufferSize = bytes);
    }

    /**
     * A copy that asks the child for {@code prefix} before each reply line and strips it; null or empty: none.
     * Default: none.
     */
    public CiviPipe responsePrefix(@Nullable String prefix) {
        String chosen = prefix == null || prefix.isEmpty() ? null : prefix;
        return with(s -> s.responsePrefix = chosen);
    }

    /** A copy checking the welcome header against {@code requirements}. Default: {@link PipeRequirements#none()}. */
    public CiviPipe requirements(PipeRequirements requirements) {
        Objects.requireNonNull(requirements, "requirements");
        return with(s -> s.requirements = requirements);
    }

    /**
     * A copy that also sets {@code name} to {@code value} with {@code options} (e.g. apiCheckPermissions false).
     * Default: no options beyond the prefix and buffer size.
     */
    public CiviPipe option(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with(s -> {
            Map<String, Object> more = new LinkedHashMap<>(s.options);
            more.put(name, value);
            s.options = Collections.unmodifiableMap(more);
        });
    }

    /**
     * A copy for children that may or may not print the welcome header (e.g. {@code cv pipe} and a plain
     * JSON-RPC stdio server behind the same option): the pipe is ready at once and a first line that is a
     * {@code {"Civi::pipe":…}} object is taken as the header ({@link PipeTransport#detectWelcomeHeader()}).
     * Ignored when there are {@link #requirements requirements}: checking them needs the header. Default:
     * {@code false}, the header is required.
     */
    public CiviPipe headerOptional(boolean optional) {
        return with(s -> s.headerOptional = optional);
    }

    /** The largest frame sent: {@code bufferSize - 1}, leaving room for the newline. */
    public int maxOutboundFrameBytes() {
        return settings.bufferSize - 1;
    }

    /**
     * {@code transport} made to expect the welcome header (or to detect it, see {@link #headerOptional}), check
     * the requirements and drop non-JSON noise.
     */
    public PipeTransport transport(PipeTransport transport) {
        PipeRequirements requirements = settings.requirements;
        PipeTransport t = settings.headerOptional && requirements.isEmpty()
                ? transport.requirements(requirements).detectWelcomeHeader()
                : transport.welcomeHeader(true).requirements(requirements);
        return t.inboundFilter(this::looksLikeJson);
    }

    /**
     * {@code builder} made to send one request at a time, never over the buffer size, strip the prefix, and drop
     * (log) lines that are not valid messages instead of answering them: Civi would answer our error reply with an
     * id-less error, which would land on the call in flight.
     */
    public RpcPeer.Builder peer(RpcPeer.Builder builder) {
        return builder.maxConcurrentCalls(1)
                .maxOutboundFrameBytes(maxOutboundFrameBytes())
                .dialect(peerDialect());
    }

    /**
     * The {@code Civi::pipe} dialect: strips the {@code responsePrefix}, drops (logs) lines that are not valid
     * messages instead of answering them, and gives an id-less error to the one call in flight (Civi answers a
     * line it could not read that way).
     */
    public RpcDialect peerDialect() {
        return RpcDialect.strict()
                .inboundPrefix(settings.responsePrefix)
                .replyToInvalidFrames(false)
                .idlessErrorsToSoleCall(true);
    }

    /**
     * Tells the child the options this dialect needs ({@code responsePrefix}, a non-default {@code bufferSize},
     * and any {@link #option}); emits the changed options, or nothing when there is nothing to set.
     */
    public Mono<JsonNode> negotiate(RpcPeer peer) {
        Settings c = settings;
        Map<String, Object> wanted = new LinkedHashMap<>(c.options);
        if (c.responsePrefix != null) {
            wanted.put("responsePrefix", c.responsePrefix);
        }
        if (c.bufferSize != DEFAULT_BUFFER_SIZE) {
            wanted.put("bufferSize", c.bufferSize);
        }
        return wanted.isEmpty() ? Mono.empty() : peer.call("options", wanted);
    }

    /** A {@link Coprocess} of {@code transport} with this dialect applied and {@link #negotiate} as initialiser. */
    public Coprocess coprocess(PipeTransport transport) {
        return Coprocess.of(transport(transport)).peer(this::peer).initializer(this::negotiate);
    }

    /** Calls {@code login} with {@code credentials}, e.g. {@code {"contactId": 202}}; emits the login result. */
    public static Mono<JsonNode> login(RpcPeer peer, Map<String, ?> credentials) {
        return peer.call("login", credentials);
    }

    private boolean looksLikeJson(byte[] frame) {
        int i = 0;
        String responsePrefix = settings.responsePrefix;
        if (responsePrefix != null) {
            byte[] p = responsePrefix.getBytes(StandardCharsets.UTF_8);
            if (startsWith(frame, p)) {
                i = p.length;
            }
        }
        while (i < frame.length && (frame[i] == ' ' || frame[i] == '\t')) {
            i++;
        }
        return i < frame.length && (frame[i] == '{' || frame[i] == '[');
    }

    private static boolean startsWith(byte[] frame, byte[] prefix) {
        if (frame.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (frame[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        Settings c = settings;
        return "CiviPipe[bufferSize=" + c.bufferSize + ", responsePrefix=" + c.responsePrefix + ", " + c.requirements
                + (c.headerOptional ? ", header optional" : "") + "]";
    }

    private CiviPipe with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new CiviPipe(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        int bufferSize = DEFAULT_BUFFER_SIZE;
        @Nullable String responsePrefix;
        PipeRequirements requirements = PipeRequirements.none();
        Map<String, Object> options = Map.of();
        boolean headerOptional;

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
