package dev.plumb.coworker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Merges coworker's option sources, in rising precedence: defaults &lt; config files ({@code -c}, JSON or YAML,
 * later files win) &lt; environment ({@code COWORKER_*}) &lt; {@code -d KEY=VALUE} (later wins) &lt; explicit
 * flags. Unknown option names are an error, so a typo never passes silently.
 */
public final class SettingsLoader {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    /** A loader holding the defaults of every {@link CoworkerOption}. */
    public SettingsLoader() {
        for (CoworkerOption<?> o : CoworkerOption.all()) {
            values.put(o.name(), o.defaultText());
        }
    }

    /** Applies a config file: a JSON or YAML object of option → value ({@code .json} is JSON, anything else YAML). */
    public SettingsLoader file(Path file) {
        JsonNode root;
        try {
            String text = Files.readString(file);
            ObjectMapper mapper = file.toString().endsWith(".json") ? JsonMapper.builder().build()
                    : YAMLMapper.builder().build();
            root = mapper.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config file " + file + " is not valid JSON/YAML: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return this;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("config file " + file + " must hold an object of option: value");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            put(e.getKey(), v.isNull() ? "" : v.isValueNode() ? v.asString() : v.toString(), "config file " + file);
        }
        return this;
    }

    /** Applies the {@code COWORKER_*} variables found in {@code environment}. */
    public SettingsLoader environment(Map<String, String> environment) {
        for (CoworkerOption<?> o : CoworkerOption.all()) {
            String v = environment.get(o.environment());
            if (v != null) {
                put(o.name(), v, "environment " + o.environment());
            }
        }
        return this;
    }

    /** Applies {@code -d KEY=VALUE} definitions in order. */
    public SettingsLoader defines(List<String> defines) {
        for (String d : defines) {
            int eq = d.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("-d needs KEY=VALUE, got: " + d);
            }
            put(d.substring(0, eq).trim(), d.substring(eq + 1), "-d " + d.substring(0, eq).trim());
        }
        return this;
    }

    /** Applies one explicit flag's value (ignored when null). */
    public SettingsLoader flag(CoworkerOption<?> option, String value, String flagName) {
        if (value != null) {
            put(option.name(), value, flagName);
        }
        return this;
    }

    private void put(String key, String value, String source) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("unknown option '" + key + "' (from " + source + "); known: "
                    + String.join(", ", values.keySet()));
        }
        values.put(key, value);
        sources.put(key, source);
    }

    /** The merged settings. */
    public CoworkerSettings settings() {
        return CoworkerSettings.parse(values, sources);
    }

    /** Where each non-default value came from. */
    public Map<String, String> sources() {
        return Map.copyOf(sources);
    }
}
