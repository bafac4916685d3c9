package dev.plumb.coworker.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Writes a prefix before every line, read when the line starts: how a {@code Civi::pipe} peer honours
 * {@code options {"responsePrefix":"ZZ"}} (the reply to that very call included) on top of a plain stdio server.
 */
public final class PrefixingOutputStream extends FilterOutputStream {

    private final Supplier<String> prefix;
    private boolean atLineStart = true;

    /** Wraps {@code out}; {@code prefix} returns null or empty for no prefix. */
    public PrefixingOutputStream(OutputStream out, Supplier<String> prefix) {
        super(out);
        this.prefix = prefix;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        startLine();
        out.write(b);
        atLineStart = b == '\n';
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                startLine();
                out.write(b, start, i + 1 - start);
                atLineStart = true;
                start = i + 1;
            }
        }
        if (start < end) {
            startLine();
            out.write(b, start, end - start);
            atLineStart = false;
        }
    }

    private void startLine() throws IOException {
        if (atLineStart) {
            String p = prefix.get();
            if (p != null && !p.isEmpty()) {
                out.write(p.getBytes(StandardCharsets.UTF_8));
            }
            atLineStart = false;
        }
    }
}
