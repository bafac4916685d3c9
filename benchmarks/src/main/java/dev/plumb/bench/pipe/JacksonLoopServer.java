package dev.plumb.bench.pipe;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline of the pipe benchmark: a hand-written read-parse-write loop with Jackson's tree model, one thread,
 * flushing whenever no more input is waiting. What a careful programmer writes without a library.
 */
public final class JacksonLoopServer {

    private JacksonLoopServer() {
    }

    /** Echoes {@code params} as {@code result} for every request line on stdin. */
    public static void main(String[] args) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        InputStream in = new BufferedInputStream(System.in, 65536);
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 65536);
        byte[] line = new byte[4096];
        int len = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\n') {
                if (len == line.length) {
                    line = Arrays.copyOf(line, len * 2);
                }
                line[len++] = (byte) b;
                continue;
            }
            if (len > 0) {
                JsonNode request = mapper.readTree(line, 0, len);
                ObjectNode response = mapper.createObjectNode();
                response.put("jsonrpc", "2.0");
                response.set("result", request.get("params"));
                response.set("id", request.get("id"));
                out.write(mapper.writeValueAsBytes(response));
                out.write('\n');
            }
            len = 0;
            if (in.available() == 0) {
                out.flush();
            }
        }
        out.flush();
    }
}
