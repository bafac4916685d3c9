package dev.plumb.rpc.examples.lsp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The Language Server Protocol structures this example uses, as records holding only the fields it reads or
 * writes (members a peer sends beyond them are ignored when binding). Names follow the LSP specification.
 */
public final class LspTypes {

    private LspTypes() {
    }

    /** A zero-based line and UTF-16 character offset (Java's {@code String} indices are UTF-16 too). */
    public record Position(int line, int character) {
    }

    /** A range of a document: {@code start} inclusive, {@code end} exclusive. */
    public record Range(Position start, Position end) {

        /** The range of {@code line} from character {@code from} to {@code to}. */
        public static Range of(int line, int from, int to) {
            return new Range(new Position(line, from), new Position(line, to));
        }
    }

    /** Names a document. */
    public record TextDocumentIdentifier(String uri) {
    }

    /** Names a document at a version. */
    public record VersionedTextDocumentIdentifier(String uri, int version) {
    }

    /** A document as opened: its uri, language, version and whole text. */
    public record TextDocumentItem(String uri, String languageId, int version, String text) {
    }

    /** One change of {@code textDocument/didChange}; with full sync, the whole new text. */
    public record TextDocumentContentChangeEvent(String text) {
    }

    /** Params of {@code initialize} (only what the example reads). */
    public record InitializeParams(Integer processId, ClientInfo clientInfo, JsonNode capabilities) {
    }

    /** The client's name and version, if it sends them. */
    public record ClientInfo(String name, String version) {
    }

    /** The result of {@code initialize}. */
    public record InitializeResult(ServerCapabilities capabilities, ServerInfo serverInfo) {
    }

    /** What the server can do: {@code textDocumentSync} 1 is full-text sync. */
    public record ServerCapabilities(int textDocumentSync, boolean hoverProvider, boolean documentSymbolProvider) {
    }

    /** The server's name and version. */
    public record ServerInfo(String name, String version) {
    }

    /** Params of {@code textDocument/didOpen}. */
    public record DidOpenTextDocumentParams(TextDocumentItem textDocument) {
    }

    /** Params of {@code textDocument/didChange}. */
    public record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier textDocument,
                                              List<TextDocumentContentChangeEvent> contentChanges) {
    }

    /** Params of {@code textDocument/didClose}. */
    public record DidCloseTextDocumentParams(TextDocumentIdentifier textDocument) {
    }

    /** Params of {@code textDocument/hover}. */
    public record HoverParams(TextDocumentIdentifier textDocument, Position position) {
    }

    /** Markdown or plain text. */
    public record MarkupContent(String kind, String value) {

        /** Markdown text. */
        public static MarkupContent markdown(String value) {
            return new MarkupContent("markdown", value);
        }
    }

    /** The result of {@code textDocument/hover}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hover(MarkupContent contents, Range range) {
    }

    /**
     * Params of {@code textDocument/documentSymbol}; with a {@code partialResultToken} the symbols come as
     * {@code $/progress} notifications and the response is {@code []}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DocumentSymbolParams(TextDocumentIdentifier textDocument, Object partialResultToken) {
    }

    /** LSP's {@code SymbolKind} numbers the example uses. */
    public static final class SymbolKind {
        /** A section heading. */
        public static final int NAMESPACE = 3;
        /** An open task. */
        public static final int EVENT = 24;
        /** A done task. */
        public static final int CONSTANT = 14;

        private SymbolKind() {
        }
    }

    /** A symbol of a document, with its children (a section's tasks). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DocumentSymbol(String name, String detail, int kind, Range range, Range selectionRange,
                                 List<DocumentSymbol> children) {
    }

    /** LSP's {@code DiagnosticSeverity} numbers. */
    public static final class Severity {
        /** An error. */
        public static final int ERROR = 1;
        /** A warning. */
        public static final int WARNING = 2;

        private Severity() {
        }
    }

    /** A problem in a document. */
    public record Diagnostic(Range range, int severity, String source, String message) {
    }

    /**
     * Params of {@code textDocument/publishDiagnostics}: all the diagnostics of one version of a document
     * ({@code version} null when they belong to no version, as when a closed document's are cleared).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PublishDiagnosticsParams(String uri, Integer version, List<Diagnostic> diagnostics) {
    }

    /** Params of {@code window/logMessage}: {@code type} 1 error, 2 warning, 3 info, 4 log. */
    public record LogMessageParams(int type, String message) {
    }
}
