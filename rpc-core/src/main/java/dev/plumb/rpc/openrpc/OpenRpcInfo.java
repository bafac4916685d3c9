package dev.plumb.rpc.openrpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code info} object of an OpenRPC document: what the API is called and its version (of the API, not of
 * OpenRPC), with an optional description.
 *
 * @param title       the API's title; required
 * @param version     the API's version, e.g. {@code "1.0.0"}; required
 * @param description a longer description, or {@code null} for none
 */
public record OpenRpcInfo(String title, String version, @Nullable String description) {

    /** Checks that title and version are given. */
    public OpenRpcInfo {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(version, "version");
    }

    /** An info with no description. */
    public static OpenRpcInfo of(String title, String version) {
        return new OpenRpcInfo(title, version, null);
    }

    /** This info with {@code description}. */
    public OpenRpcInfo withDescription(String description) {
        return new OpenRpcInfo(title, version, description);
    }
}
