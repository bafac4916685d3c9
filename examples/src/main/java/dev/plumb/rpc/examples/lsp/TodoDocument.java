package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.examples.lsp.LspTypes.Diagnostic;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbol;
import dev.plumb.rpc.examples.lsp.LspTypes.Hover;
import dev.plumb.rpc.examples.lsp.LspTypes.MarkupContent;
import dev.plumb.rpc.examples.lsp.LspTypes.Position;
import dev.plumb.rpc.examples.lsp.LspTypes.Range;
import dev.plumb.rpc.examples.lsp.LspTypes.Severity;
import dev.plumb.rpc.examples.lsp.LspTypes.SymbolKind;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One version of a to-do list document, parsed. The language, line by line:
 *
 * <pre>
 * # Groceries                      a section heading
 * - [ ] milk                       an open task
 * - [x] eggs due:2026-12-01        a done task ([X] too), with an optional due date
 *                                  blank lines are fine
 * </pre>
 *
 * <p>Anything else is an error, and so are an unknown box ({@code - [?] …}), a heading without a title and a due
 * date that is not {@code YYYY-MM-DD}; a task without text is a warning. Immutable.
 */
public final class TodoDocument {

    /** The {@code source} of every diagnostic. */
    public static final String SOURCE = "todo";

    private static final Pattern TASK = Pattern.compile("- \\[(.)\\](?: (.*))?");
    private static final Pattern DUE = Pattern.compile("\\bdue:(\\S*)");

    /** What a line is. */
    enum Kind { BLANK, HEADING, TASK, INVALID }

    /** One parsed line; {@code text} is the heading's title or the task's text. */
    record Line(int number, Kind kind, String raw, String text, int textStart, boolean done, LocalDate due) {
    }

    private final String uri;
    private final int version;
    private final List<Line> lines;
    private final List<Diagnostic> diagnostics;

    private TodoDocument(String uri, int version, List<Line> lines, List<Diagnostic> diagnostics) {
        this.uri = uri;
        this.version = version;
        this.lines = lines;
        this.diagnostics = diagnostics;
    }

    /** Parses {@code text}, version {@code version} of the document {@code uri}. */
    public static TodoDocument parse(String uri, int version, String text) {
        List<Line> lines = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int n = 0; n < raw.length; n++) {
            String line = raw[n].endsWith("\r") ? raw[n].substring(0, raw[n].length() - 1) : raw[n];
            lines.add(parseLine(n, line, problems));
        }
        return new TodoDocument(uri, version, List.copyOf(lines), List.copyOf(problems));
    }

    private static Line parseLine(int n, String line, List<Diagnostic> problems) {
        if (line.isBlank()) {
            return new Line(n, Kind.BLANK, line, "", 0, false, null);
        }
        if (line.startsWith("#")) {
            int start = 0;
            while (start < line.length() && line.charAt(start) == '#') {
                start++;
            }
            String title = line.substring(start).strip();
            if (title.isEmpty()) {
                problems.add(error(n, 0, line.length(), "a heading needs a title: '# Title'"));
                return new Line(n, Kind.INVALID, line, "", 0, false, null);
            }
            return new Line(n, Kind.HEADING, line, title, line.indexOf(title, start), false, null);
        }
        Matcher task = TASK.matcher(line);
        if (!task.matches()) {
            problems.add(error(n, 0, line.length(),
                    "expected a task ('- [ ] text' or '- [x] text'), a heading ('# Title') or a blank line"));
            return new Line(n, Kind.INVALID, line, "", 0, false, null);
        }
        char box = task.group(1).charAt(0);
        if (box != ' ' && box != 'x' && box != 'X') {
            problems.add(error(n, 2, 5, "unknown box '[" + box + "]': use '[ ]' for an open task or '[x]' for a done one"));
            return new Line(n, Kind.INVALID, line, "", 0, false, null);
        }
        String text = task.group(2) == null ? "" : task.group(2).strip();
        int textStart = task.group(2) == null ? line.length() : task.start(2);
        if (text.isEmpty()) {
            problems.add(new Diagnostic(Range.of(n, 0, line.length()), Severity.WARNING, SOURCE, "empty task"));
        }
        LocalDate due = null;
        Matcher d = DUE.matcher(line);
        if (d.find(textStart)) {
            try {
                due = LocalDate.parse(d.group(1));
            } catch (DateTimeParseException e) {
                problems.add(error(n, d.start(), d.end(), "not a date: '" + d.group(1) + "' (write due:YYYY-MM-DD)"));
            }
        }
        return new Line(n, Kind.TASK, line, text, textStart, box != ' ', due);
    }

    private static Diagnostic error(int line, int from, int to, String message) {
        return new Diagnostic(Range.of(line, from, to), Severity.ERROR, SOURCE, message);
    }

    /** The document's uri. */
    public String uri() {
        return uri;
    }

    /** The version this text is. */
    public int version() {
        return version;
    }

    /** Its problems, in line order. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Its top-level symbols: sections with their tasks as children, and the tasks before the first section. */
    public List<DocumentSymbol> symbols() {
        List<DocumentSymbol> top = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.kind() == Kind.TASK) {
                top.add(taskSymbol(l));
            } else if (l.kind() == Kind.HEADING) {
                int end = sectionEnd(i);
                List<DocumentSymbol> tasks = new ArrayList<>();
                for (int j = i + 1; j <= end; j++) {
                    if (lines.get(j).kind() == Kind.TASK) {
                        tasks.add(taskSymbol(lines.get(j)));
                    }
                }
                Line last = lines.get(end);
                top.add(new DocumentSymbol(l.text(), counts(i), SymbolKind.NAMESPACE,
                        new Range(new Position(i, 0), new Position(end, last.raw().length())),
                        Range.of(i, l.textStart(), l.textStart() + l.text().length()), tasks));
                i = end;
            }
        }
        return top;
    }

    private static DocumentSymbol taskSymbol(Line l) {
        String name = l.text().isEmpty() ? "(empty task)" : l.text();
        String detail = (l.done() ? "done" : "open") + (l.due() != null ? ", due " + l.due() : "");
        Range whole = Range.of(l.number(), 0, l.raw().length());
        return new DocumentSymbol(name, detail, l.done() ? SymbolKind.CONSTANT : SymbolKind.EVENT, whole, whole,
                null);
    }

    /** The last line of the section whose heading is line {@code heading}. */
    private int sectionEnd(int heading) {
        int end = heading;
        for (int j = heading + 1; j < lines.size() && lines.get(j).kind() != Kind.HEADING; j++) {
            if (lines.get(j).kind() != Kind.BLANK) {
                end = j;
            }
        }
        return end;
    }

    private String counts(int heading) {
        int open = 0;
        int done = 0;
        for (int j = heading + 1; j <= sectionEnd(heading); j++) {
            Line l = lines.get(j);
            if (l.kind() == Kind.TASK) {
                if (l.done()) {
                    done++;
                } else {
                    open++;
                }
            }
        }
        return open + " open, " + done + " done";
    }

    /** What to show for {@code position}: a task's state and due date, a section's counts; null elsewhere. */
    public Hover hover(Position position) {
        if (position.line() < 0 || position.line() >= lines.size()) {
            return null;
        }
        Line l = lines.get(position.line());
        Range whole = Range.of(l.number(), 0, l.raw().length());
        return switch (l.kind()) {
            case TASK -> new Hover(MarkupContent.markdown((l.done() ? "**Done**" : "**Open task**")
                    + (l.text().isEmpty() ? "" : ": " + l.text())
                    + (l.due() != null ? "\n\nDue " + l.due() : "")), whole);
            case HEADING -> new Hover(MarkupContent.markdown("**" + l.text() + "**: " + counts(l.number())), whole);
            default -> null;
        };
    }
}
