package dev.plumb.rpc.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code plumb.rpc.*} properties of {@link PlumbRpcAutoConfiguration}, every default written beside its
 * property. Limits apply to both endpoints unless the name says otherwise.
 *
 * <pre>
 * plumb.rpc.path=/rpc                       # POST endpoint
 * plumb.rpc.websocket.path=/rpc/ws          # WebSocket endpoint (plumb.rpc.websocket.enabled=false: none)
 * plumb.rpc.max-body-size=16MB              # largest HTTP body and WebSocket message
 * plumb.rpc.max-batch-members=1000
 * plumb.rpc.handler-threads=event-loop      # or bounded-elastic for handlers that block
 * </pre>
 */
@ConfigurationProperties(prefix = "plumb.rpc")
public class PlumbRpcProperties {

    /** Where handlers run. */
    public enum HandlerThreads {
        /** On the event-loop thread that read the request or message: fastest; handlers must not block. */
        EVENT_LOOP,
        /**
         * On Reactor's bounded-elastic scheduler, for handlers that block. Over WebSocket this gives up the
         * arrival order of a connection's messages (see {@code RpcPeer.Builder.handlerScheduler}).
         */
        BOUNDED_ELASTIC
    }

    /** Whether Plumb's JSON-RPC endpoints are configured at all. Default true. */
    private boolean enabled = true;

    /** The path where JSON-RPC POST requests are answered. Default /rpc. */
    private String path = "/rpc";

    /**
     * The largest HTTP request body accepted (larger ones get 413), and the largest WebSocket message (larger
     * ones close the connection with status 1009). Default 16MB.
     */
    private DataSize maxBodySize = DataSize.ofMegabytes(16);

    /**
     * Whether a method returning a Flux answers a client that sends
     * Accept: application/x-ndjson with a newline-delimited stream. Default true.
     */
    private boolean streaming = true;

    /** Where handlers run. Default event-loop. */
    private HandlerThreads handlerThreads = HandlerThreads.EVENT_LOOP;

    /**
     * The longest a handler may take to answer before the call fails with -32603 ("timed out"); for a
     * Flux method, the time to start the stream. Default none (no limit).
     */
    private Duration handlerTimeout;

    /** The most members one inbound batch may have; a larger batch is answered with one -32600 error. Default 1000. */
    private int maxBatchMembers = 1000;

    /** How many members of one batch run at once. Default 16. */
    private int batchConcurrency = 16;

    /**
     * Whether every bean implementing an @RpcService interface is served (client proxies of such
     * interfaces excepted). Default true.
     */
    private boolean detectServices = true;

    /** The WebSocket endpoint. */
    private final WebSocket websocket = new WebSocket();

    /** The Spring Security bridge, used when Spring Security's WebFlux support is active. */
    private final Security security = new Security();

    /** Whether Plumb's endpoints are configured at all; default {@code true}. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Sets {@link #isEnabled()}; default {@code true}. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The HTTP endpoint's path; default {@code /rpc}. */
    public String getPath() {
        return path;
    }

    /** Sets the HTTP endpoint's path (starts with {@code /}); default {@code /rpc}. */
    public void setPath(String path) {
        this.path = path;
    }

    /** The largest HTTP body and WebSocket message; default 16 MB. */
    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    /** Sets the largest HTTP body and WebSocket message; default 16 MB. */
    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    /** Whether ndjson streaming over HTTP is on; default {@code true}. */
    public boolean isStreaming() {
        return streaming;
    }

    /** Turns ndjson streaming over HTTP on or off; default {@code true}. */
    public void setStreaming(boolean streaming) {
        this.streaming = streaming;
    }

    /** Where handlers run; default {@link HandlerThreads#EVENT_LOOP}. */
    public HandlerThreads getHandlerThreads() {
        return handlerThreads;
    }

    /** Sets where handlers run; default {@link HandlerThreads#EVENT_LOOP}. */
    public void setHandlerThreads(HandlerThreads handlerThreads) {
        this.handlerThreads = handlerThreads;
    }

    /** The handler timeout, or {@code null} for none; default none. */
    public Duration getHandlerTimeout() {
        return handlerTimeout;
    }

    /** Sets the handler timeout ({@code null} or zero: none); default none. */
    public void setHandlerTimeout(Duration handlerTimeout) {
        this.handlerTimeout = handlerTimeout;
    }

    /** The most members of one inbound batch; default 1000. */
    public int getMaxBatchMembers() {
        return maxBatchMembers;
    }

    /** Sets the most members of one inbound batch; default 1000. */
    public void setMaxBatchMembers(int maxBatchMembers) {
        this.maxBatchMembers = maxBatchMembers;
    }

    /** How many members of one batch run at once; default 16. */
    public int getBatchConcurrency() {
        return batchConcurrency;
    }

    /** Sets how many members of one batch run at once; default 16. */
    public void setBatchConcurrency(int batchConcurrency) {
        this.batchConcurrency = batchConcurrency;
    }

    /** Whether {@code @RpcService} beans are served without registration; default {@code true}. */
    public boolean isDetectServices() {
        return detectServices;
    }

    /** Turns the detection of {@code @RpcService} beans on or off; default {@code true}. */
    public void setDetectServices(boolean detectServices) {
        this.detectServices = detectServices;
    }

    /** The WebSocket endpoint's settings. */
    public WebSocket getWebsocket() {
        return websocket;
    }

    /** The Spring Security bridge's settings. */
    public Security getSecurity() {
        return security;
    }

    /** The {@code plumb.rpc.websocket.*} properties: the endpoint and each connection's peer. */
    public static class WebSocket {

        /** Whether the WebSocket endpoint is served. Default true. */
        private boolean enabled = true;

        /** The WebSocket endpoint's path; it must differ from plumb.rpc.path. Default /rpc/ws. */
        private String path = "/rpc/ws";

        /** How long the server's own calls to a client wait for the answer; zero for no limit. Default 30s. */
        private Duration timeout = Duration.ofSeconds(30);

        /**
         * The most inbound messages one connection has in hand at once; past it the connection is read no
         * further until one finishes. Default 256.
         */
        private int maxInboundInFlight = 256;

        /** The server's own calls to a client wait while this many outbound frames are queued. Default 1024. */
        private int maxQueuedOutboundFrames = 1024;

        /** The server's own calls to a client wait while this many outbound bytes are queued. Default 16MB. */
        private DataSize maxQueuedOutboundSize = DataSize.ofMegabytes(16);

        /** The most calls the server has in flight to one client at once; 0 for no limit. Default 0. */
        private int maxConcurrentCalls = 0;

        /** Whether the WebSocket endpoint is served; default {@code true}. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Turns the WebSocket endpoint on or off; default {@code true}. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The WebSocket endpoint's path; default {@code /rpc/ws}. */
        public String getPath() {
            return path;
        }

        /** Sets the WebSocket endpoint's path; default {@code /rpc/ws}. */
        public void setPath(String path) {
            this.path = path;
        }

        /** The timeout of the server's calls to a client; default 30 s. */
        public Duration getTimeout() {
            return timeout;
        }

        /** Sets the timeout of the server's calls to a client (zero: none); default 30 s. */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** The most inbound messages in hand per connection; default 256. */
        public int getMaxInboundInFlight() {
            return maxInboundInFlight;
        }

        /** Sets the most inbound messages in hand per connection; default 256. */
        public void setMaxInboundInFlight(int maxInboundInFlight) {
            this.maxInboundInFlight = maxInboundInFlight;
        }

        /** The outbound frame queue bound; default 1024. */
        public int getMaxQueuedOutboundFrames() {
            return maxQueuedOutboundFrames;
        }

        /** Sets the outbound frame queue bound; default 1024. */
        public void setMaxQueuedOutboundFrames(int maxQueuedOutboundFrames) {
            this.maxQueuedOutboundFrames = maxQueuedOutboundFrames;
        }

        /** The outbound byte queue bound; default 16 MB. */
        public DataSize getMaxQueuedOutboundSize() {
            return maxQueuedOutboundSize;
        }

        /** Sets the outbound byte queue bound; default 16 MB. */
        public void setMaxQueuedOutboundSize(DataSize maxQueuedOutboundSize) {
            this.maxQueuedOutboundSize = maxQueuedOutboundSize;
        }

        /** The most server-to-client calls in flight per connection (0: no limit); default 0. */
        public int getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        /** Sets the most server-to-client calls in flight per connection (0: no limit); default 0. */
        public void setMaxConcurrentCalls(int maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }
    }

    /** The {@code plumb.rpc.security.*} properties. */
    public static class Security {

        /**
         * Whether the authenticated Spring Security principal is required and passed to handlers as their
         * RpcPrincipal, when Spring Security's WebFlux support is active. Default true.
         */
        private boolean enabled = true;

        /**
         * Whether a request without an authenticated, non-anonymous principal is refused with 401 and a JSON-RPC
         * error, whatever the application's security rules let through. When false, such requests run
         * with the principal anonymous. Default true.
         */
        private boolean requireAuthenticated = true;

        /** Whether the Spring Security bridge is on; default {@code true}. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Turns the Spring Security bridge on or off; default {@code true}. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** Whether anonymous requests are refused; default {@code true}. */
        public boolean isRequireAuthenticated() {
            return requireAuthenticated;
        }

        /** Sets whether anonymous requests are refused; default {@code true}. */
        public void setRequireAuthenticated(boolean requireAuthenticated) {
            this.requireAuthenticated = requireAuthenticated;
        }
    }
}
