package dev.plumb.rpc.pipe;

import dev.plumb.rpc.pipe.internal.VersionOrder;
import java.util.Objects;

/**
 * What a pipe's welcome header must promise for the connection to be accepted: a minimum version and/or a
 * trusted channel. Immutable; {@link #none()} accepts everything. A requirement that fails makes
 * {@link PipeTransport#connect()} fail with a {@link PipeStartException} saying what was expected and what came.
 *
 * <p>Versions compare numerically part by part ({@code 5.9 < 5.10}); a pre-release part such as {@code alpha1}
 * ranks below any number, so {@code 5.80.alpha1 < 5.80 == 5.80.0 < 5.80.1}.
 */
public final class PipeRequirements {

    private static final PipeRequirements NONE = new PipeRequirements(null, false);

    private final String minimumVersion;
    private final boolean trusted;

    private PipeRequirements(String minimumVersion, boolean trusted) {
        this.minimumVersion = minimumVersion;
        this.trusted = trusted;
    }

    /** No requirements (the default). */
    public static PipeRequirements none() {
        return NONE;
    }

    /** A copy that requires the header's version to be at least {@code version}, e.g. {@code "5.51"}. */
    public PipeRequirements minimumVersion(String version) {
        return new PipeRequirements(Objects.requireNonNull(version, "version"), trusted);
    }

    /** A copy that requires a trusted channel ({@code "t":"trusted"}). */
    public PipeRequirements requireTrusted() {
        return new PipeRequirements(minimumVersion, true);
    }

    /** Throws {@link PipeStartException} when {@code header} does not meet these requirements. */
    public void check(WelcomeHeader header, String pipe) {
        if (minimumVersion != null) {
            if (header.version() == null) {
                throw new PipeStartException(pipe + ": version " + minimumVersion
                        + " or later required, but the welcome header has no version: " + header.line());
            }
            if (VersionOrder.compare(header.version(), minimumVersion) < 0) {
                throw new PipeStartException(pipe + ": version " + minimumVersion + " or later required, but it is "
                        + header.version());
            }
        }
        if (trusted && !header.trusted()) {
            throw new PipeStartException(pipe + ": a trusted channel is required, but the welcome header says "
                    + header.trust().name().toLowerCase(java.util.Locale.ROOT) + ": " + header.line());
        }
    }

    /** Whether any requirement is set (a header is then needed to check it). */
    public boolean isEmpty() {
        return minimumVersion == null && !trusted;
    }

    @Override
    public String toString() {
        return "PipeRequirements[minimumVersion=" + minimumVersion + ", trusted=" + trusted + "]";
    }
}
