package dev.plumb.rpc.pipe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The welcome header a {@code Civi::pipe} child prints before any message, e.g.
 * {@code {"Civi::pipe":{"v":"5.80.alpha1","t":"trusted","l":["login"]}}}, as a value.
 *
 * @param version    the {@code v} value (the CiviCRM version), or {@code null} when absent
 * @param trust      whether the channel is trusted ({@code t}), untrusted ({@code u}) or neither
 * @param login      whether the {@code login} method is available ({@code l} contains {@code "login"})
 * @param flavours   the protocol flavours ({@code j}), e.g. {@code ["jsonrpc-2.0"]}; empty when absent
 * @param properties every key of the header object in order, unknown ones included, as JSON nodes
 * @param line       the header line as received
 */
public record WelcomeHeader(@Nullable String version, Trust trust, boolean login, List<String> flavours,
                            Map<String, JsonNode> properties, String line) {

    /** The single top-level key of a {@code Civi::pipe} header. */
    public static final String KEY = "Civi::pipe";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Whether the channel is trusted, as the header's {@code t}/{@code u} keys say. */
    public enum Trust {
        /** {@code "t":"trusted"}: login by principal, permission checks may be turned off. */
        TRUSTED,
        /** {@code "u":"untrusted"}: login needs a credential, permission checks forced. */
        UNTRUSTED,
        /** Neither key: only {@code echo} works. */
        UNSPECIFIED
    }

    /** Copies the collections so the header is immutable. */
    public WelcomeHeader {
        flavours = List.copyOf(flavours);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Whether the channel is trusted. */
    public boolean trusted() {
        return trust == Trust.TRUSTED;
    }

    /** The header property {@code key} (one of the flag letters, e.g. {@code "v"}), if present. */
    public Optional<JsonNode> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** Parses a header line; throws {@link PipeStartException} when it is not a {@code Civi::pipe} header. */
    public static WelcomeHeader parse(byte[] line) {
        return parse(new String(line, StandardCharsets.UTF_8));
    }

    /** Parses a header line; throws {@link PipeStartException} when it is not a {@code Civi::pipe} header. */
    public static WelcomeHeader parse(String line) {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new PipeStartException("welcome header is not JSON: " + abbreviate(line), e);
        }
        JsonNode body = root == null ? null : root.get(KEY);
        if (body == null || !body.isObject()) {
            throw new PipeStartException("expected a welcome header {\"" + KEY + "\":{...}}, got: " + abbreviate(line));
        }
        Map<String, JsonNode> props = new LinkedHashMap<>();
        body.forEachEntry(props::put);
        JsonNode v = body.get("v");
        String version = v != null && v.isString() ? v.stringValue() : null;
        Trust trust = Trust.UNSPECIFIED;
        if (isString(body.get("t"), "trusted")) {
            trust = Trust.TRUSTED;
        } else if (isString(body.get("u"), "untrusted")) {
            trust = Trust.UNTRUSTED;
        }
        boolean login = strings(body.get("l")).contains("login");
        return new WelcomeHeader(version, trust, login, strings(body.get("j")), props, line);
    }

    private static boolean isString(JsonNode node, String expected) {
        return node != null && node.isString() && expected.equals(node.stringValue());
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode n : node.values()) {
                if (n.isString()) {
                    out.add(n.stringValue());
                }
            }
        }
        return out;
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
