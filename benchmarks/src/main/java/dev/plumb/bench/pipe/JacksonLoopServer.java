package dev.plumb.bench.pipe;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline of the pipe benchmark: the read-parse-write loop a careful engineer writes without a library, on one
 * thread, with Jackson's tree model.
 *
 * <ul>
 *   <li>stdin is read in bulk ({@code read(byte[])} of up to 64 KiB straight from the file descriptor, no
 *       {@code BufferedInputStream} in between); complete frames are found with a tight scan of that buffer and
 *       parsed in place ({@code mapper.readTree(buf, off, len)}, no copy of the line);</li>
 *   <li>each reply is a tree ({@code {"jsonrpc":"2.0","result":<params>,"id":<id>}}) serialised into one reusable
 *       byte buffer; the buffer goes to stdout in one {@code write} when the read buffer holds no further complete
 *       frame (that is, right before the next read, which may block) or when it passes 64 KiB — never a
 *       per-frame {@code available()} or {@code flush()} system call;</li>
 *   <li>frames split across reads, and frames larger than the read buffer (it grows), are handled.</li>
 * </ul>
 *
 * <p>Framing: one JSON text per line (default), or {@code --content-length} for LSP-style
 * {@code Content-Length: N\r\n\r\n<body>} frames (other headers are skipped).
 *
 * <p>{@code --mcp} answers the same way an MCP server over stdio (revision 2025-11-25) whose one tool, {@code echo},
 * returns its {@code text} argument as text content: {@code initialize} (the client's version if it is one we know,
 * else the newest), {@code ping}, {@code tools/list}, {@code tools/call}; notifications are not answered; requests
 * other than {@code initialize} and {@code ping} before {@code notifications/initialized} get -32000, as Plumb's
 * {@code Mcp} dialect answers them. Same tree model, same reading and writing.
 */
public final class JacksonLoopServer {

    private static final int READ_CHUNK = 1 << 16;
    private static final int WRITE_THRESHOLD = 1 << 16;
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final boolean contentLength;
    private final boolean mcp;
    private boolean initialized;
    private final InputStream in;
    private final OutputStream out;
    /** Replies waiting to be written: one {@code write} per burst. */
    private final Sink pending = new Sink(WRITE_THRESHOLD + 4096);
    /** One serialised reply body (Content-Length mode needs its length before the header). */
    private final Sink body = new Sink(4096);

    private byte[] buf = new byte[READ_CHUNK];
    private int start; // first byte of the current (incomplete) frame
    private int end; // end of the bytes read so far

    private JacksonLoopServer(boolean contentLength, boolean mcp, InputStream in, OutputStream out) {
        this.contentLength = contentLength;
        this.mcp = mcp;
        this.in = in;
        this.out = out;
    }

    /**
     * Echoes {@code params} as {@code result} for every request on stdin; {@code --content-length} for LSP framing,
     * {@code --mcp} for an MCP server's answers (see above).
     */
    public static void main(String[] args) throws IOException {
        java.util.List<String> options = java.util.List.of(args);
        new JacksonLoopServer(options.contains("--content-length"), options.contains("--mcp"),
                new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out)).run();
    }

    private void run() throws IOException {
        int scan = 0; // where the search for the end of the current frame resumes (no byte is scanned twice)
        int bodyStart = -1; // Content-Length mode: body offset of the current frame once its headers are read
        int bodyLength = 0;
        while (true) {
            // answer every complete frame in buf[start, end)
            while (true) {
                if (!contentLength) {
                    int nl = indexOf(buf, (byte) '\n', scan, end);
                    if (nl < 0) {
                        scan = end;
                        break;
                    }
                    int len = nl - start;
                    if (len > 0 && buf[nl - 1] == '\r') {
                        len--;
                    }
                    if (len > 0) {
                        answer(buf, start, len);
                    }
                    start = nl + 1;
                    scan = start;
                } else {
                    if (bodyStart < 0) {
                        int headersEnd = indexOfBlankLine(buf, Math.max(start, scan - 3), end);
                        if (headersEnd < 0) {
                            scan = end;
                            break;
                        }
                        bodyLength = contentLengthOf(buf, start, headersEnd);
                        bodyStart = headersEnd + 4;
                    }
                    if (end - bodyStart < bodyLength) {
                        break;
                    }
                    answer(buf, bodyStart, bodyLength);
                    start = bodyStart + bodyLength;
                    scan = start;
                    bodyStart = -1;
                }
            }
            // no complete frame left: write the burst's replies before the read that may block
            if (pending.count > 0) {
                pending.writeTo(out);
            }
            int shift = start;
            // room for at least one more byte, or for the whole body once its length is known
            compactOrGrow(bodyStart >= 0 ? bodyStart - start + bodyLength + 1 : end - start + 1);
            scan -= shift;
            if (bodyStart >= 0) {
                bodyStart -= shift;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                break;
            }
            end += n;
        }
        if (pending.count > 0) {
            pending.writeTo(out);
        }
    }

    /**
     * Moves the current (incomplete) frame to the front of the buffer, and grows the buffer if it cannot hold
     * {@code need} bytes from there (a frame larger than the buffer).
     */
    private void compactOrGrow(int need) {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (need > buf.length || end == buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    private void answer(byte[] frame, int off, int len) throws IOException {
        JsonNode request = mapper.readTree(frame, off, len);
        ObjectNode response;
        if (mcp) {
            response = mcpResponse(request);
            if (response == null) {
                return;
            }
        } else {
            response = mapper.createObjectNode();
            response.put("jsonrpc", "2.0");
            response.set("result", request.get("params"));
            response.set("id", request.get("id"));
        }
        if (contentLength) {
            body.count = 0;
            mapper.writeValue(body, response);
            pending.writeAscii("Content-Length: ");
            pending.writeAscii(Integer.toString(body.count));
            pending.writeAscii("\r\n\r\n");
            pending.write(body.bytes, 0, body.count);
        } else {
            mapper.writeValue(pending, response);
            pending.write('\n');
        }
        if (pending.count >= WRITE_THRESHOLD) {
            pending.writeTo(out);
        }
    }

    /** The MCP answer to {@code request}, or null for a notification (nothing to send). */
    private ObjectNode mcpResponse(JsonNode request) {
        JsonNode id = request.get("id");
        String method = request.path("method").asString();
        if (id == null) {
            if ("notifications/initialized".equals(method)) {
                initialized = true;
            }
            return null;
        }
        ObjectNode response = mapper.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id);
        if (!initialized && !"initialize".equals(method) && !"ping".equals(method)) {
            ObjectNode error = response.putObject("error");
            error.put("code", -32000);
            error.put("message", "Server not initialized");
            return response;
        }
        switch (method) {
            case "tools/call" -> {
                JsonNode params = request.path("params");
                ObjectNode result = response.putObject("result");
                if ("echo".equals(params.path("name").asString())) {
                    result.putArray("content").addObject().put("type", "text")
                            .set("text", params.path("arguments").path("text"));
                    result.put("isError", false);
                } else {
                    result.putArray("content").addObject().put("type", "text").put("text", "unknown tool");
                    result.put("isError", true);
                }
            }
            case "initialize" -> {
                String asked = request.path("params").path("protocolVersion").asString();
                ObjectNode result = response.putObject("result");
                result.put("protocolVersion", asked.equals("2025-11-25") || asked.equals("2025-06-18")
                        || asked.equals("2025-03-26") || asked.equals("2024-11-05") ? asked : "2025-11-25");
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "jackson-loop").put("version", "1");
            }
            case "tools/list" -> {
                ObjectNode tool = response.putObject("result").putArray("tools").addObject();
                tool.put("name", "echo");
                tool.put("description", "Returns its text argument");
                ObjectNode schema = tool.putObject("inputSchema");
                schema.put("type", "object");
                schema.putObject("properties").putObject("text").put("type", "string");
                schema.putArray("required").add("text");
            }
            case "ping" -> response.putObject("result");
            default -> {
                ObjectNode error = response.putObject("error");
                error.put("code", -32601);
                error.put("message", "Method not found");
            }
        }
        return response;
    }

    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The offset of the {@code \r\n\r\n} that ends the headers, or -1. */
    private static int indexOfBlankLine(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLengthOf(byte[] b, int from, int to) {
        int line = from;
        while (line < to) {
            int eol = indexOf(b, (byte) '\r', line, to);
            if (eol < 0) {
                eol = to;
            }
            if (eol - line > CONTENT_LENGTH.length && startsWithIgnoreCase(b, line, CONTENT_LENGTH)) {
                int value = 0;
                for (int i = line + CONTENT_LENGTH.length; i < eol; i++) {
                    if (b[i] >= '0' && b[i] <= '9') {
                        value = value * 10 + (b[i] - '0');
                    }
                }
                return value;
            }
            line = eol + 2;
        }
        throw new IllegalStateException("no Content-Length header");
    }

    private static boolean startsWithIgnoreCase(byte[] b, int off, byte[] lowerPrefix) {
        for (int i = 0; i < lowerPrefix.length; i++) {
            int c = b[off + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A reusable, growable byte buffer; {@code flush}/{@code close} do nothing (Jackson calls them). */
    private static final class Sink extends OutputStream {
        byte[] bytes;
        int count;

        Sink(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(int b) {
            if (count == bytes.length) {
                bytes = Arrays.copyOf(bytes, count * 2);
            }
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(count + len, bytes.length * 2));
            }
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        void writeAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
        }

        void writeTo(OutputStream target) throws IOException {
            target.write(bytes, 0, count);
            count = 0;
        }
    }
}
