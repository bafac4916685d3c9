package dev.plumb.rpc.openrpc;

import dev.plumb.rpc.RpcError;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Hand-written OpenRPC metadata for one method, attached with
 * {@link dev.plumb.rpc.RpcRouter.Builder#describe(String, OpenRpcMethodDoc)}. Every field is optional; what is
 * set replaces what discovery would generate, what is not set keeps it:
 *
 * <ul>
 *   <li>{@code summary}, {@code description}: replace those of {@code @RpcDoc} (default none);</li>
 *   <li>{@code params}: replace the generated params (default: generated from the registration; none for a
 *       method registered with {@code handler(...)}, whose params the router cannot know);</li>
 *   <li>{@code result}: replaces the generated result (default: from the return type for services, any value
 *       ({@code {}}) otherwise);</li>
 *   <li>{@code notification()}: marks the method a notification (no result, {@code "x-notification": true});
 *       default: only {@code void} and {@code notification = true} service methods are;</li>
 *   <li>{@code paramStructure}: default {@link ParamStructure#EITHER} unless generated otherwise;</li>
 *   <li>{@code errors} and {@code examples} are added to those declared with {@code @RpcErrorDoc} (default
 *       none).</li>
 * </ul>
 *
 * <pre>{@code
 * OpenRpcMethodDoc.builder()
 *     .summary("Adds numbers")
 *     .params(OpenRpcParam.variadic("addend", long.class))
 *     .result(long.class)
 *     .paramStructure(OpenRpcMethodDoc.ParamStructure.BY_POSITION)
 *     .example(OpenRpcExample.named("1 + 2 + 4").param("addend", 1).param("addend", 2).param("addend", 4).result(7).build())
 *     .build();
 * }</pre>
 */
public final class OpenRpcMethodDoc {

    /** How the method takes its params: OpenRPC's {@code paramStructure}. */
    public enum ParamStructure {
        /** Only an array, in the order of the params. */
        BY_POSITION("by-position"),
        /** Only an object, members named as the params. */
        BY_NAME("by-name"),
        /** Either; OpenRPC's default. */
        EITHER("either");

        private final String wire;

        ParamStructure(String wire) {
            this.wire = wire;
        }

        /** The value in the document: {@code by-position}, {@code by-name} or {@code either}. */
        public String wireName() {
            return wire;
        }
    }

    private final Settings settings;

    private OpenRpcMethodDoc(Settings settings) {
        this.settings = settings;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder(new Settings());
    }

    /** The summary, or {@code null}. */
    public @Nullable String summary() {
        return settings.summary;
    }

    /** The description, or {@code null}. */
    public @Nullable String description() {
        return settings.description;
    }

    /** The params, or {@code null} to keep the generated ones. */
    public @Nullable List<OpenRpcParam> params() {
        return settings.params;
    }

    /** The result's type, or {@code null} to keep the generated result. */
    public @Nullable Type resultType() {
        return settings.resultType;
    }

    /** The result's description, or {@code null}. */
    public @Nullable String resultDescription() {
        return settings.resultDescription;
    }

    /** Whether the method is declared a notification. */
    public boolean notification() {
        return settings.notification;
    }

    /** The param structure, or {@code null} to keep the generated one. */
    public @Nullable ParamStructure paramStructure() {
        return settings.paramStructure;
    }

    /** The application errors the method may answer with. */
    public List<RpcError> errors() {
        return settings.errors;
    }

    /** The examples. */
    public List<OpenRpcExample> examples() {
        return settings.examples;
    }

    /** Builds an {@link OpenRpcMethodDoc}; immutable, each method returns a new builder. */
    public static final class Builder {
        private final Settings settings;

        private Builder(Settings settings) {
            this.settings = settings;
        }

        /** A short summary. Default: none. */
        public Builder summary(@Nullable String summary) {
            return with(s -> s.summary = summary);
        }

        /** A longer description (CommonMark). Default: none. */
        public Builder description(@Nullable String description) {
            return with(s -> s.description = description);
        }

        /**
         * The method's params, in position order; replaces the generated ones ({@code params()} with no arguments
         * declares that the method takes none). Names must be distinct, and only the last may be variadic.
         * Default: the generated params.
         */
        public Builder params(OpenRpcParam... params) {
            List<OpenRpcParam> list = List.of(params);
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                OpenRpcParam p = list.get(i);
                if (!names.add(p.name())) {
                    throw new IllegalArgumentException("two params are named '" + p.name() + "'");
                }
                if (p.variadic() && i != list.size() - 1) {
                    throw new IllegalArgumentException("only the last param may be variadic: " + p.name());
                }
            }
            return with(s -> s.params = list);
        }

        /** The result's Java type ({@code Object.class}: any value); replaces the generated result. */
        public Builder result(Type type) {
            return result(type, null);
        }

        /** The result's Java type and a description of it. Default: the generated result, no description. */
        public Builder result(Type type, @Nullable String description) {
            Objects.requireNonNull(type, "type");
            return with(s -> {
                s.resultType = type;
                s.resultDescription = description;
            });
        }

        /**
         * Declares the method a notification: it answers nothing, so the document gives it no result. Default: a
         * request.
         */
        public Builder notification() {
            return with(s -> s.notification = true);
        }

        /** How the method takes its params. Default: the generated structure. */
        public Builder paramStructure(ParamStructure structure) {
            Objects.requireNonNull(structure, "structure");
            return with(s -> s.paramStructure = structure);
        }

        /** Adds an application error the method may answer with. Default: none. */
        public Builder error(int code, String message) {
            return error(new RpcError(code, message));
        }

        /** Adds an application error (its {@code data}, if any, is published too). Default: none. */
        public Builder error(RpcError error) {
            Objects.requireNonNull(error, "error");
            return with(s -> s.errors = append(s.errors, error));
        }

        /** Adds an example call. Default: none. */
        public Builder example(OpenRpcExample example) {
            Objects.requireNonNull(example, "example");
            return with(s -> s.examples = append(s.examples, example));
        }

        /** The doc. */
        public OpenRpcMethodDoc build() {
            if (settings.notification && settings.resultType != null) {
                throw new IllegalStateException("a notification has no result");
            }
            return new OpenRpcMethodDoc(settings);
        }

        private Builder with(Consumer<Settings> change) {
            Settings copy = settings.copy();
            change.accept(copy);
            return new Builder(copy);
        }

        private static <T> List<T> append(List<T> list, T item) {
            List<T> more = new ArrayList<>(list);
            more.add(item);
            return List.copyOf(more);
        }
    }

    /** Every field with its default; copied once per change (the lists are immutable, replaced when added to). */
    private static final class Settings implements Cloneable {
        @Nullable String summary;
        @Nullable String description;
        @Nullable List<OpenRpcParam> params;
        @Nullable Type resultType;
        @Nullable String resultDescription;
        boolean notification;
        @Nullable ParamStructure paramStructure;
        List<RpcError> errors = List.of();
        List<OpenRpcExample> examples = List.of();

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
