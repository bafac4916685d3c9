package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcDialect;
import dev.plumb.rpc.RpcPeer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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

    private final int bufferSize;
    private final String responsePrefix;
    private final PipeRequirements requirements;
    private final Map<String, Object> options;
    private final boolean headerOptional;

    private CiviPipe(int bufferSize, String responsePrefix, PipeRequirements requirements,
                     Map<String, Object> options, boolean headerOptional) {
        this.bufferSize = bufferSize;
        this.responsePrefix = responsePrefix;
        this.requirements = requirements;
        this.options = Map.copyOf(options);
        this.headerOptional = headerOptional;
    }

    /** The dialect with Civi's defaults: buffer 524288 bytes, no response prefix, no requirements. */
    public static CiviPipe dialect() {
        return new CiviPipe(DEFAULT_BUFFER_SIZE, null, PipeRequirements.none(), Map.of(), false);
    }

    /** A copy for a pipe whose {@code bufferSize} is {@code bytes} (set on the child by {@link #negotiate}). */
    public CiviPipe bufferSize(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("bufferSize must be at least 2");
        }
        return new CiviPipe(bytes, responsePrefix, requirements, options, headerOptional);
    }

    /** A copy that asks the child for {@code prefix} before each reply line and strips it. */
    public CiviPipe responsePrefix(String prefix) {
        return new CiviPipe(bufferSize, prefix == null || prefix.isEmpty() ? null : prefix, requirements, options,
                headerOptional);
    }

    /** A copy checking the welcome header against {@code requirements}. */
    public CiviPipe requirements(PipeRequirements requirements) {
        return new CiviPipe(bufferSize, responsePrefix, Objects.requireNonNull(requirements), options,
                headerOptional);
    }

    /** A copy that also sets {@code name} to {@code value} with {@code options} (e.g. apiCheckPermissions false). */
    public CiviPipe option(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(options);
        more.put(name, value);
        return new CiviPipe(bufferSize, responsePrefix, requirements, more, headerOptional);
    }

    /**
     * A copy for children that may or may not print the welcome header (e.g. {@code cv pipe} and a plain
     * JSON-RPC stdio server behind the same option): the pipe is ready at once and a first line that is a
     * {@code {"Civi::pipe":…}} object is taken as the header ({@link PipeTransport#detectWelcomeHeader()}).
     * Ignored when there are {@link #requirements requirements}: checking them needs the header.
     */
    public CiviPipe headerOptional(boolean optional) {
        return new CiviPipe(bufferSize, responsePrefix, requirements, options, optional);
    }

    /** The largest frame sent: {@code bufferSize - 1}, leaving room for the newline. */
    public int maxOutboundFrameBytes() {
        return bufferSize - 1;
    }

    /**
     * {@code transport} made to expect the welcome header (or to detect it, see {@link #headerOptional}), check
     * the requirements and drop non-JSON noise.
     */
    public PipeTransport transport(PipeTransport transport) {
        PipeTransport t = headerOptional && requirements.isEmpty()
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
                .inboundPrefix(responsePrefix)
                .replyToInvalidFrames(false)
                .idlessErrorsToSoleCall(true);
    }

    /**
     * Tells the child the options this dialect needs ({@code responsePrefix}, a non-default {@code bufferSize},
     * and any {@link #option}); emits the changed options, or nothing when there is nothing to set.
     */
    public Mono<JsonNode> negotiate(RpcPeer peer) {
        Map<String, Object> wanted = new LinkedHashMap<>(options);
        if (responsePrefix != null) {
            wanted.put("responsePrefix", responsePrefix);
        }
        if (bufferSize != DEFAULT_BUFFER_SIZE) {
            wanted.put("bufferSize", bufferSize);
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
        return "CiviPipe[bufferSize=" + bufferSize + ", responsePrefix=" + responsePrefix + ", " + requirements
                + (headerOptional ? ", header optional" : "") + "]";
    }
}
