package dev.plumb.rpc.spring.internal;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Jackson 3 still uses the 2.x {@code jackson-annotations}, and needs a recent one; Spring Boot 3.5 manages an older
 * one (2.19.2), which fails deep in the first serialization with {@code NoClassDefFoundError:
 * com/fasterxml/jackson/annotation/JsonSerializeAs}. This check fails at startup instead, saying what to pin.
 */
public final class JacksonAnnotationsCheck {

    /** A class that Jackson 3.1 and 3.2 need and jackson-annotations before 2.21 lacks. */
    static final String PROBE = "com.fasterxml.jackson.annotation.JsonSerializeAs";

    private JacksonAnnotationsCheck() {
    }

    /** Throws {@link IllegalStateException} naming the fix when {@link #PROBE} cannot be loaded. */
    public static void check(ClassLoader loader) {
        try {
            Class.forName(PROBE, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            Package p = JsonProperty.class.getPackage();
            String found = p == null || p.getImplementationVersion() == null ? "an older version"
                    : p.getImplementationVersion();
            String wanted = tools.jackson.databind.cfg.PackageVersion.VERSION.toString();
            throw new IllegalStateException("Plumb's Jackson " + wanted + " needs a newer"
                    + " com.fasterxml.jackson.core:jackson-annotations than the " + found + " on the classpath (Spring"
                    + " Boot 3.5 manages 2.19.2): pin the version Jackson " + wanted + "'s jackson-bom names (2.22"
                    + " for Jackson 3.2, 2.21 for 3.1) in your dependency management. See docs/spring.md.", e);
        }
    }
}
