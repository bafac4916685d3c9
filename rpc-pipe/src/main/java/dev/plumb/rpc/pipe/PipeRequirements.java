package dev.plumb.rpc.pipe;

import dev.plumb.rpc.pipe.internal.VersionOrder;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a pipe's welcome header must promise for the connection to be accepted: a minimum version and/or a
 * trusted channel. Immutable; {@link #none()} accepts everything. A requirement that fails makes
 * {@link PipeTransport#connect()} fail with a {@link PipeStartException} saying what was expected and what came.
 *
 * <p>Versions compare numerically part by part ({@code 5.9 < 5.10}); a pre-release part such as {@code alpha1}
 * ranks below any number, so {@code 5.80.alpha1 < 5.80 == 5.80.0 < 5.80.1}.
 */
public final class PipeRequirements {

    private static final PipeRequirements NONE = new PipeRequirements(new Settings());

    private final Settings settings;

    private PipeRequirements(Settings settings) {
        this.settings = settings;
    }

    /** No requirements (the default). */
    public static PipeRequirements none() {
        return NONE;
    }

    /**
     * A copy that requires the header's version to be at least {@code version}, e.g. {@code "5.51"}. Default: any
     * version, or none.
     */
    public PipeRequirements minimumVersion(String version) {
        Objects.requireNonNull(version, "version");
        return with(s -> s.minimumVersion = version);
    }

    /** A copy that requires a trusted channel ({@code "t":"trusted"}). Default: any channel. */
    public PipeRequirements requireTrusted() {
        return with(s -> s.trusted = true);
    }

    /** Throws {@link PipeStartException} when {@code header} does not meet these requirements. */
    public void check(WelcomeHeader header, String pipe) {
        String minimumVersion = settings.minimumVersion;
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
        if (settings.trusted && !header.trusted()) {
            throw new PipeStartException(pipe + ": a trusted channel is required, but the welcome header says "
                    + header.trust().name().toLowerCase(java.util.Locale.ROOT) + ": " + header.line());
        }
    }

    /** Whether any requirement is set (a header is then needed to check it). */
    public boolean isEmpty() {
        return settings.minimumVersion == null && !settings.trusted;
    }

    @Override
    public String toString() {
        return "PipeRequirements[minimumVersion=" + settings.minimumVersion + ", trusted=" + settings.trusted + "]";
    }

    private PipeRequirements with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new PipeRequirements(copy);
    }

    /** Every requirement with its default (none); copied once per change. */
    private static final class Settings implements Cloneable {
        @Nullable String minimumVersion;
        boolean trusted;

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
