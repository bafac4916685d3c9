package dev.plumb.rpc.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Bytes exactly as written, over a plain socket to 127.0.0.1: for requests no HTTP client would send. */
final class RawSocket {

    private RawSocket() {
    }

    /** {@code head} (CRLF line endings added) then {@code body}; every byte read until the server closes or 10 s. */
    static String exchange(int port, String head, byte[] body) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write((head.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            return readUntilClosed(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code head} (CRLF line endings added), then the response head only: the socket is closed after it. */
    static String head(int port, String head) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write((head.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            for (int c; !sb.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0; ) {
                sb.append((char) c);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every byte read until the end of the stream, or what arrived before 10 s passed without any. */
    static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // keep what arrived
        } catch (IOException e) {
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A {@code POST /rpc} head for a JSON body of {@code length} bytes, with {@code extra} header lines. */
    static String post(String target, int length, String... extra) {
        StringBuilder sb = new StringBuilder("POST " + target + " HTTP/1.1\nHost: 127.0.0.1\n"
                + "Content-Type: application/json\nConnection: close\nContent-Length: " + length + "\n");
        for (String line : extra) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** A WebSocket handshake for {@code target} with {@code extra} header lines. */
    static String upgrade(String target, String... extra) {
        StringBuilder sb = new StringBuilder("GET " + target + " HTTP/1.1\nHost: 127.0.0.1\nUpgrade: websocket\n"
                + "Connection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n");
        for (String line : extra) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
