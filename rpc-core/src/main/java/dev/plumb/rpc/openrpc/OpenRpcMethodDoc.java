package dev.plumb.rpc.openrpc;

import dev.plumb.rpc.RpcError;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

    private final String summary;
    private final String description;
    private final List<OpenRpcParam> params;
    private final Type resultType;
    private final String resultDescription;
    private final boolean notification;
    private final ParamStructure paramStructure;
    private final List<RpcError> errors;
    private final List<OpenRpcExample> examples;

    private OpenRpcMethodDoc(Builder b) {
        this.summary = b.summary;
        this.description = b.description;
        this.params = b.params == null ? null : List.copyOf(b.params);
        this.resultType = b.resultType;
        this.resultDescription = b.resultDescription;
        this.notification = b.notification;
        this.paramStructure = b.paramStructure;
        this.errors = List.copyOf(b.errors);
        this.examples = List.copyOf(b.examples);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The summary, or {@code null}. */
    public @Nullable String summary() {
        return summary;
    }

    /** The description, or {@code null}. */
    public @Nullable String description() {
        return description;
    }

    /** The params, or {@code null} to keep the generated ones. */
    public @Nullable List<OpenRpcParam> params() {
        return params;
    }

    /** The result's type, or {@code null} to keep the generated result. */
    public @Nullable Type resultType() {
        return resultType;
    }

    /** The result's description, or {@code null}. */
    public @Nullable String resultDescription() {
        return resultDescription;
    }

    /** Whether the method is declared a notification. */
    public boolean notification() {
        return notification;
    }

    /** The param structure, or {@code null} to keep the generated one. */
    public @Nullable ParamStructure paramStructure() {
        return paramStructure;
    }

    /** The application errors the method may answer with. */
    public List<RpcError> errors() {
        return errors;
    }

    /** The examples. */
    public List<OpenRpcExample> examples() {
        return examples;
    }

    /** Builds an {@link OpenRpcMethodDoc}. */
    public static final class Builder {
        private String summary;
        private String description;
        private List<OpenRpcParam> params;
        private Type resultType;
        private String resultDescription;
        private boolean notification;
        private ParamStructure paramStructure;
        private final List<RpcError> errors = new ArrayList<>();
        private final List<OpenRpcExample> examples = new ArrayList<>();

        private Builder() {
        }

        /** A short summary. */
        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        /** A longer description (CommonMark). */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * The method's params, in position order; replaces the generated ones ({@code params()} with no arguments
         * declares that the method takes none). Names must be distinct, and only the last may be variadic.
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
            this.params = list;
            return this;
        }

        /** The result's Java type ({@code Object.class}: any value); replaces the generated result. */
        public Builder result(Type type) {
            return result(type, null);
        }

        /** The result's Java type and a description of it. */
        public Builder result(Type type, String description) {
            this.resultType = Objects.requireNonNull(type, "type");
            this.resultDescription = description;
            return this;
        }

        /** Declares the method a notification: it answers nothing, so the document gives it no result. */
        public Builder notification() {
            this.notification = true;
            return this;
        }

        /** How the method takes its params. */
        public Builder paramStructure(ParamStructure structure) {
            this.paramStructure = Objects.requireNonNull(structure, "structure");
            return this;
        }

        /** Adds an application error the method may answer with. */
        public Builder error(int code, String message) {
            return error(new RpcError(code, message));
        }

        /** Adds an application error (its {@code data}, if any, is published too). */
        public Builder error(RpcError error) {
            errors.add(Objects.requireNonNull(error, "error"));
            return this;
        }

        /** Adds an example call. */
        public Builder example(OpenRpcExample example) {
            examples.add(Objects.requireNonNull(example, "example"));
            return this;
        }

        /** The doc. */
        public OpenRpcMethodDoc build() {
            if (notification && resultType != null) {
                throw new IllegalStateException("a notification has no result");
            }
            return new OpenRpcMethodDoc(this);
        }
    }
}
