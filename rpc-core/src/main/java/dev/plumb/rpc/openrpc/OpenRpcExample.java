package dev.plumb.rpc.openrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final String name;
    private final String description;
    private final List<Map.Entry<String, Object>> params;
    private final boolean hasResult;
    private final Object result;

    private OpenRpcExample(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.params = java.util.Collections.unmodifiableList(new ArrayList<>(b.params));
        this.hasResult = b.hasResult;
        this.result = b.result;
    }

    /** Starts an example called {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** The example's name. */
    public String name() {
        return name;
    }

    /** Its description, or {@code null}. */
    public @Nullable String description() {
        return description;
    }

    /** The param values with their parameter's name, in position order. */
    public List<Map.Entry<String, Object>> params() {
        return params;
    }

    /** Whether the example shows a result (notifications' examples do not). */
    public boolean hasResult() {
        return hasResult;
    }

    /** The result value (may be {@code null}, meaning JSON {@code null}, when {@link #hasResult()}). */
    public @Nullable Object result() {
        return result;
    }

    /** Builds an {@link OpenRpcExample}. */
    public static final class Builder {
        private final String name;
        private String description;
        private final List<Map.Entry<String, Object>> params = new ArrayList<>();
        private boolean hasResult;
        private Object result;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("an example needs a name");
            }
        }

        /** A description of the example; default none. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * Adds the value of the parameter {@code name}, after those added before (a variadic parameter's name may
         * be given several times, once per value).
         */
        public Builder param(String name, @Nullable Object value) {
            params.add(new java.util.AbstractMap.SimpleImmutableEntry<>(Objects.requireNonNull(name, "name"), value));
            return this;
        }

        /** The result the call gives; without it the example shows none (as for a notification). */
        public Builder result(@Nullable Object value) {
            this.hasResult = true;
            this.result = value;
            return this;
        }

        /** The example. */
        public OpenRpcExample build() {
            return new OpenRpcExample(this);
        }
    }
}
