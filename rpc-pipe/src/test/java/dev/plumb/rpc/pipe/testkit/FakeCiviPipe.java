package dev.plumb.rpc.pipe.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for CiviCRM's {@code Civi::pipe()}, written the way the PHP is (a blocking read-answer loop, no Plumb
 * code), with its quirks: a welcome header, replies to notifications (no id), id-less parse/invalid errors, the
 * {@code options.responsePrefix}, {@code bufferSize} chunking, requests one at a time. Methods: {@code echo},
 * {@code options}, {@code login}, {@code whoami}, {@code sleep [ms]}, {@code noisy} (prints a PHP warning line
 * first), {@code idless} (answers with an id-less -32700), {@code pipelined} (whether a request ever arrived before
 * the previous reply), {@code die [code]}. Args: {@code --flags vtl} (header flags), {@code --version V}.
 */
public final class FakeCiviPipe {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final InputStream in;
    private final PrintStream out;
    private String prefix = "";
    private int bufferSize = 524288;
    private boolean checkPermissions = true;
    private JsonNode loggedIn;
    private boolean pipelined;

    private FakeCiviPipe(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    /** Runs the fake on stdin/stdout. */
    public static void main(String[] args) throws IOException {
        String flags = "vtl";
        String version = "5.80.alpha1";
        for (int i = 0; i < args.length; i++) {
            if ("--flags".equals(args[i])) {
                flags = args[++i];
            } else if ("--version".equals(args[i])) {
                version = args[++i];
            }
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        FakeCiviPipe pipe = new FakeCiviPipe(new BufferedInputStream(System.in), out);
        out.print(header(flags, version) + "\n");
        out.flush();
        pipe.loop();
    }

    /** The argv that runs the fake with the current classpath. */
    public static List<String> command(String... args) {
        List<String> argv = new ArrayList<>(EchoServer.command());
        argv.set(argv.size() - 1, FakeCiviPipe.class.getName());
        argv.addAll(List.of(args));
        return argv;
    }

    static String header(String flags, String version) {
        ObjectNode body = MAPPER.createObjectNode();
        for (char f : flags.toCharArray()) {
            switch (f) {
                case 'v' -> body.put("v", version);
                case 'j' -> body.putArray("j").add("jsonrpc-2.0");
                case 'l' -> body.putArray("l").add("login");
                case 't' -> body.put("t", "trusted");
                case 'u' -> body.put("u", "untrusted");
                default -> body.putNull(String.valueOf(f));
            }
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.set("Civi::pipe", body);
        return root.toString();
    }

    private void loop() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\n') {
                line.write(b);
                if (line.size() >= bufferSize) { // PHP's fgets cuts here: each chunk gets a parse error
                    reply(null, null, error(-32700, "Parse error"));
                    line.reset();
                }
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isBlank() || text.equals("0")) {
                continue;
            }
            handle(text);
        }
        out.flush();
    }

    private void handle(String text) {
        JsonNode req;
        try {
            req = MAPPER.readTree(text);
        } catch (RuntimeException e) {
            reply(null, null, error(-32700, "Parse error"));
            return;
        }
        if (!req.isObject() || !req.path("method").isString() || !"2.0".equals(req.path("jsonrpc").asString(""))) {
            reply(null, null, error(-32600, "Invalid Request"));
            return;
        }
        JsonNode id = req.get("id");
        JsonNode params = req.get("params");
        String method = req.get("method").stringValue().replace('.', '_');
        try {
            Object result = switch (method) {
                case "echo" -> params == null ? MAPPER.createArrayNode() : params;
                case "options" -> options(params);
                case "login" -> {
                    loggedIn = params;
                    ObjectNode r = MAPPER.createObjectNode();
                    r.set("contactId", params == null ? null : params.get("contactId"));
                    r.put("userId", 1);
                    yield r;
                }
                case "whoami" -> loggedIn == null ? MAPPER.nullNode() : loggedIn;
                case "sleep" -> {
                    Thread.sleep(params.get(0).asLong());
                    yield params.get(0);
                }
                case "noisy" -> {
                    out.print("PHP Warning:  Undefined array key \"x\" in /srv/civi/Foo.php on line 12\n");
                    yield "ok";
                }
                case "idless" -> {
                    reply(null, null, error(-32700, "Parse error"));
                    yield null;
                }
                case "pipelined" -> pipelined;
                case "die" -> {
                    System.err.println("fatal: asked to die");
                    System.err.flush();
                    Runtime.getRuntime().halt(params.get(0).asInt());
                    yield null;
                }
                default -> throw new NoSuchMethodException(method);
            };
            if (!"idless".equals(method)) {
                reply(id, result, null);
            }
        } catch (NoSuchMethodException e) {
            reply(id, null, error(-32601, "Method not found"));
        } catch (Exception e) {
            reply(id, null, error(-32099, e.toString()));
        }
    }

    private JsonNode options(JsonNode params) {
        ObjectNode changed = MAPPER.createObjectNode();
        if (params != null && params.isObject() && !params.isEmpty()) {
            if (params.has("responsePrefix")) {
                prefix = params.get("responsePrefix").asString("");
                changed.put("responsePrefix", prefix);
            }
            if (params.has("bufferSize")) {
                bufferSize = params.get("bufferSize").asInt();
                changed.put("bufferSize", bufferSize);
            }
            if (params.has("apiCheckPermissions")) {
                checkPermissions = params.get("apiCheckPermissions").asBoolean();
                changed.put("apiCheckPermissions", checkPermissions);
            }
            return changed;
        }
        changed.put("apiCheckPermissions", checkPermissions);
        changed.put("apiError", "array");
        changed.put("bufferSize", bufferSize);
        changed.put("responsePrefix", prefix.isEmpty() ? null : prefix);
        return changed;
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        e.putNull("data");
        return e;
    }

    private void reply(JsonNode id, Object result, ObjectNode error) {
        try {
            if (in.available() > 0) {
                pipelined = true;
            }
        } catch (IOException ignored) {
            // stdin closed
        }
        ObjectNode r = MAPPER.createObjectNode();
        r.put("jsonrpc", "2.0");
        if (error != null) {
            r.set("error", error);
        } else {
            r.set("result", MAPPER.valueToTree(result));
        }
        if (id != null) {
            r.set("id", id);
        }
        out.print(prefix + r.toString().replace("/", "\\/") + "\n");
        out.flush();
    }
}
