package dev.plumb.rpc.examples.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The part of MCP's schema (revision 2025-11-25) the examples use, as plain records: the dialect
 * ({@code dev.plumb.rpc.pipe.Mcp}) carries no schema, the application writes what it needs. Optional members are
 * null and left out of the JSON; {@code _meta} is a map, passed through as it came.
 */
public final class McpSchema {

    private McpSchema() {
    }

    /** A client's or a server's name and version. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Implementation(String name, String version) {
    }

    /** {@code initialize} params. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InitializeParams(String protocolVersion, Map<String, Object> capabilities,
                                   Implementation clientInfo, @JsonProperty("_meta") Map<String, Object> meta) {
    }

    /** {@code initialize} result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InitializeResult(String protocolVersion, Map<String, Object> capabilities,
                                   Implementation serverInfo, String instructions) {
    }

    /** {@code tools/list} params: a pagination cursor. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ListToolsParams(String cursor, @JsonProperty("_meta") Map<String, Object> meta) {
    }

    /** One tool: its name, what it does, and the JSON Schema of its arguments. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tool(String name, String description, Map<String, Object> inputSchema) {
    }

    /** {@code tools/list} result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ListToolsResult(List<Tool> tools, String nextCursor) {
    }

    /** {@code tools/call} params. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallToolParams(String name, Map<String, Object> arguments,
                                 @JsonProperty("_meta") Map<String, Object> meta) {
    }

    /** Text content (the only kind of content these examples produce). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Content(String type, String text) {
        /** Text content of {@code text}. */
        public static Content text(String text) {
            return new Content("text", text);
        }
    }

    /** {@code tools/call} result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallToolResult(List<Content> content, Boolean isError) {
        /** A successful result of one text. */
        public static CallToolResult text(String text) {
            return new CallToolResult(List.of(Content.text(text)), false);
        }

        /** A tool error (reported in the result, as MCP asks, not as a JSON-RPC error). */
        public static CallToolResult error(String text) {
            return new CallToolResult(List.of(Content.text(text)), true);
        }

        /** The text of the first content, or null. */
        public String firstText() {
            return content == null || content.isEmpty() ? null : content.get(0).text();
        }
    }

    /** A root the client exposes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Root(String uri, String name) {
    }

    /** {@code roots/list} params. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ListRootsParams(@JsonProperty("_meta") Map<String, Object> meta) {
    }

    /** {@code roots/list} result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ListRootsResult(List<Root> roots) {
    }

    /** A message of a sampling conversation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SamplingMessage(String role, Content content) {
    }

    /** {@code sampling/createMessage} params. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateMessageParams(List<SamplingMessage> messages, Integer maxTokens, String systemPrompt,
                                      @JsonProperty("_meta") Map<String, Object> meta) {
    }

    /** {@code sampling/createMessage} result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateMessageResult(String role, Content content, String model, String stopReason) {
    }

    /** {@code notifications/message} params: a log message from the server. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoggingMessageParams(String level, String logger, Object data) {
    }
}
