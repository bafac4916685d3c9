package dev.plumb.rpc.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON-RPC 2.0 specification's examples (section 7, verbatim) and a second tier of supplementary vectors,
 * as data: {@link #all()} reads them from the copy inside this jar ({@code dev/plumb/rpc/test/jsonrpc-spec.txt}).
 * Serve them with {@link SpecRouter} and check each answer with {@link SpecExample#assertAnswer(String)}:
 *
 * <pre>{@code
 * for (SpecExample example : SpecExamples.all()) {
 *     example.assertAnswer(post(example.request()));   // null or "" when nothing came back
 * }
 * }</pre>
 *
 * <p>or, one test each, a JUnit {@code @ParameterizedTest} with
 * {@code @MethodSource("dev.plumb.rpc.test.SpecExamples#all")}.
 *
 * <p>The file's format: a line {@code ===== title} starts a section (a line {@code =====} followed by spaces
 * continues the title); {@code -->} starts a request and {@code <--} an answer, either running on over the next
 * lines up to a blank one; an answer marked {@code strict:} is what a strict server says, one marked
 * {@code lenient:} what a lenient one may say instead; {@code <-- //…} and {@code <-- (nothing)} mean that nothing
 * is returned; lines starting with {@code #} are comments.
 */
public final class SpecExamples {

    /** Where the file is, on the class path. */
    public static final String RESOURCE = "/dev/plumb/rpc/test/jsonrpc-spec.txt";

    private SpecExamples() {
    }

    /** Every exchange, in the file's order: the 12 sections of the specification, then S1 to S11. */
    public static List<SpecExample> all() {
        try (InputStream in = SpecExamples.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every exchange of {@code text}, written in the format above. */
    public static List<SpecExample> parse(String text) {
        return new Parser().parse(text);
    }

    /** Reads the file line by line; one instance per parse. */
    private static final class Parser {
        private final List<SpecExample> out = new ArrayList<>();
        private String section = "";
        private int n;
        private StringBuilder request;
        private final List<String> strict = new ArrayList<>();
        private final List<String> lenient = new ArrayList<>();
        private StringBuilder block; // the request or answer being read, until a blank line
        private boolean blockIsLenient;

        List<SpecExample> parse(String text) {
            for (String line : text.split("\r?\n")) {
                if (line.startsWith("#")) {
                    endBlock();
                } else if (line.startsWith("=====")) {
                    endExample();
                    if (!line.startsWith("=====     ")) {
                        section = line.substring(5).trim();
                        n = 0;
                    }
                } else if (line.startsWith("-->")) {
                    endExample();
                    request = new StringBuilder(line.substring(3));
                    block = request;
                } else if (line.startsWith("<--")) {
                    endBlock();
                    answer(line.substring(3).trim());
                } else if (line.isBlank()) {
                    endBlock();
                } else if (block != null) {
                    block.append('\n').append(line);
                }
            }
            endExample();
            return out;
        }

        private void answer(String text) {
            if (text.startsWith("//") || text.startsWith("(nothing)")) {
                return;
            }
            blockIsLenient = text.startsWith("lenient:");
            if (blockIsLenient) {
                text = text.substring("lenient:".length()).trim();
            } else if (text.startsWith("strict:")) {
                text = text.substring("strict:".length()).trim();
            }
            block = new StringBuilder(text);
        }

        private void endBlock() {
            if (block != null && block != request) {
                (blockIsLenient ? lenient : strict).add(block.toString().trim());
            }
            block = null;
            blockIsLenient = false;
        }

        private void endExample() {
            endBlock();
            if (request != null) {
                List<String> accepted = new ArrayList<>(strict);
                accepted.addAll(lenient);
                out.add(new SpecExample(section + " #" + ++n, request.toString().trim(),
                        strict.isEmpty() ? null : strict.get(0), accepted));
            }
            request = null;
            strict.clear();
            lenient.clear();
        }
    }
}
