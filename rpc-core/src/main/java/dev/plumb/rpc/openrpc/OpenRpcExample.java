package dev.plumb.rpc.openrpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One example call of a method, published as an OpenRPC example pairing: named param values in order and the
 * result they give. Values are anything the router's codec can write (records, maps, lists, numbers, strings,
 * {@code RawJson}). A notification's example has no result.
 *
 * <pre>{@code
 * OpenRpcExample.named("subtract 42 - 23").param("minuend", 42).param("subtrahend", 23).result(19).build()
 * }</pre>
 */
public final class OpenRpcExample {

    private final Settings settings;

    private OpenRpcExample(Settings settings) {
        this.settings = settings;
    }

    /** Starts an example called {@code name}. */
    public static Builder named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an example needs a name");
        }
        return new Builder(new Settings(name));
    }

    /** The example's name. */
    public String name() {
        return settings.name;
    }

    /** Its description, or {@code null}. */
    public @Nullable String description() {
        return settings.description;
    }

    /** The param values with their parameter's name, in position order. */
    public List<Map.Entry<String, @Nullable Object>> params() {
        return settings.params;
    }

    /** Whether the example shows a result (notifications' examples do not). */
    public boolean hasResult() {
        return settings.hasResult;
    }

    /** The result value (may be {@code null}, meaning JSON {@code null}, when {@link #hasResult()}). */
    public @Nullable Object result() {
        return settings.result;
    }

    /** Builds an {@link OpenRpcExample}; immutable, each method returns a new builder. */
    public static final class Builder {
        private final Settings settings;

        private Builder(Settings settings) {
            this.settings = settings;
        }

        /** A description of the example. Default: none. */
        public Builder description(@Nullable String description) {
            return with(s -> s.description = description);
        }

        /**
         * Adds the value of the parameter {@code name}, after those added before (a variadic parameter's name may
         * be given several times, once per value). Default: no params.
         */
        public Builder param(String name, @Nullable Object value) {
            Objects.requireNonNull(name, "name");
            return with(s -> {
                List<Map.Entry<String, @Nullable Object>> more = new ArrayList<>(s.params);
                more.add(new java.util.AbstractMap.SimpleImmutableEntry<>(name, value));
                s.params = Collections.unmodifiableList(more);
            });
        }

        /** The result the call gives; without it the example shows none (as for a notification). Default: none. */
        public Builder result(@Nullable Object value) {
            return with(s -> {
                s.hasResult = true;
                s.result = value;
            });
        }

        /** The example. */
        public OpenRpcExample build() {
            return new OpenRpcExample(settings);
        }

        private Builder with(Consumer<Settings> change) {
            Settings copy = settings.copy();
            change.accept(copy);
            return new Builder(copy);
        }
    }

    /** Every field with its default; copied once per change (the param list is replaced when added to). */
    private static final class Settings implements Cloneable {
        final String name;
        @Nullable String description;
        List<Map.Entry<String, @Nullable Object>> params = List.of();
        boolean hasResult;
        @Nullable Object result;

        Settings(String name) {
            this.name = name;
        }

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
