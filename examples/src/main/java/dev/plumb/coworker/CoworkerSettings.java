package dev.plumb.coworker;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed options of {@code coworker run}: one value per {@link CoworkerOption}, read with
 * {@link #get(CoworkerOption)}. Built by {@link SettingsLoader} from, in rising precedence: defaults, config files
 * ({@code -c}), environment ({@code COWORKER_*}), {@code -d KEY=VALUE}, explicit flags ({@code --pipe}, {@code --web},
 * {@code --channel}, {@code --log}, {@code -v}, {@code --until-empty}). What each option means, its default and its
 * environment variable are written once, in {@link CoworkerOption}.
 */
public final class CoworkerSettings {

    private final Map<CoworkerOption<?>, Object> values;
    private final String channel;

    private CoworkerSettings(Map<CoworkerOption<?>, Object> values, String channel) {
        this.values = values;
        this.channel = channel;
    }

    /** The value of {@code option}; null where the option says "none". */
    @SuppressWarnings("unchecked")
    public <T> T get(CoworkerOption<T> option) {
        return (T) values.get(option);
    }

    /**
     * The channel in effect: {@link CoworkerOption#CHANNEL} when given, otherwise {@code web} when only a web URL
     * is given and {@code pipe} else.
     */
    public String channel() {
        return channel;
    }

    /**
     * Parses the merged text values (option name → text) of every option; a bad value fails with a message naming
     * the option, its value and its source ({@code sources}: option name → where the value came from).
     */
    public static CoworkerSettings parse(Map<String, String> texts, Map<String, String> sources) {
        Map<CoworkerOption<?>, Object> values = new HashMap<>();
        for (CoworkerOption<?> o : CoworkerOption.all()) {
            String text = texts.getOrDefault(o.name(), o.defaultText());
            try {
                values.put(o, o.parse(text));
            } catch (IllegalArgumentException e) {
                throw bad(o, texts, sources, e.getMessage());
            }
        }
        String pipe = (String) values.get(CoworkerOption.PIPE);
        String web = (String) values.get(CoworkerOption.WEB);
        String channel = (String) values.get(CoworkerOption.CHANNEL);
        if (channel == null) {
            channel = web != null && pipe == null ? "web" : "pipe";
        }
        if (channel.contains("web") && web == null) {
            throw bad(CoworkerOption.CHANNEL, texts, sources, "needs --web URL");
        }
        if (channel.equals("pipe,web") && pipe == null) {
            throw bad(CoworkerOption.CHANNEL, texts, sources, "pipe,web needs --pipe CMD as well");
        }
        return new CoworkerSettings(Collections.unmodifiableMap(values), channel);
    }

    private static IllegalArgumentException bad(CoworkerOption<?> o, Map<String, String> texts,
                                                Map<String, String> sources, String why) {
        return new IllegalArgumentException("option " + o.name() + "=" + texts.getOrDefault(o.name(), o.defaultText())
                + " (from " + sources.getOrDefault(o.name(), "defaults") + ") " + why);
    }

    /** The settings as option → value, for {@code --show-config} (durations in seconds, secrets masked). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (CoworkerOption<?> o : CoworkerOption.all()) {
            m.put(o.name(), o == CoworkerOption.CHANNEL ? channel : o.shown(values.get(o)));
        }
        return m;
    }
}
