package dev.plumb.rpc.pipe;

/** Small shell children that speak just enough JSON-RPC for the tests (each answers with its pid). */
final class Scripts {

    private Scripts() {
    }

    /** Reads requests; answers each with {@code $$} as result; on a line mentioning "die" exits 3 after a stderr line. */
    static final String PID_SERVER = String.join("\n",
            "while IFS= read -r line; do",
            "  id=$(printf '%s' \"$line\" | sed -n 's/.*\"id\":\\([0-9][0-9]*\\).*/\\1/p')",
            "  case \"$line\" in *'\"die\"'*) echo \"dying on request $id\" >&2; exit 3;; esac",
            "  [ -n \"$id\" ] && printf '{\"jsonrpc\":\"2.0\",\"result\":%s,\"id\":%s}\\n' $$ \"$id\"",
            "done");

    /** Ignores SIGTERM and stdin EOF; only SIGKILL ends it. */
    static final String STUBBORN = "trap '' TERM; while :; do sleep 0.05; done";
}
