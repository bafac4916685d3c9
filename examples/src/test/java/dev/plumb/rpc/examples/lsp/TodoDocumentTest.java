package dev.plumb.rpc.examples.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.examples.lsp.LspTypes.Diagnostic;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbol;
import dev.plumb.rpc.examples.lsp.LspTypes.Position;
import dev.plumb.rpc.examples.lsp.LspTypes.Range;
import dev.plumb.rpc.examples.lsp.LspTypes.Severity;
import org.junit.jupiter.api.Test;

class TodoDocumentTest {

    @Test
    void everyKindOfProblemIsReportedWithItsRange() {
        TodoDocument doc = TodoDocument.parse("file:///a.todo", 7, String.join("\r\n",
                "#",
                "- [ ] fine",
                "-[ ] no space",
                "- [ ]",
                "- [x] due:2026-02-30",
                "  indented text",
                ""));
        assertThat(doc.version()).isEqualTo(7);
        assertThat(doc.diagnostics()).extracting(Diagnostic::range, Diagnostic::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Range.of(0, 0, 1), Severity.ERROR),
                org.assertj.core.groups.Tuple.tuple(Range.of(2, 0, 13), Severity.ERROR),
                org.assertj.core.groups.Tuple.tuple(Range.of(3, 0, 5), Severity.WARNING),
                org.assertj.core.groups.Tuple.tuple(Range.of(4, 6, 20), Severity.ERROR),
                org.assertj.core.groups.Tuple.tuple(Range.of(5, 0, 15), Severity.ERROR));
        assertThat(doc.diagnostics().get(0).message()).contains("heading needs a title");
        assertThat(doc.diagnostics().get(3).message()).isEqualTo("not a date: '2026-02-30' (write due:YYYY-MM-DD)");
    }

    @Test
    void symbolsNestTasksUnderTheirSectionAndHoverCounts() {
        TodoDocument doc = TodoDocument.parse("file:///a.todo", 1, "- [ ] loose\n## Work\n- [X] report\n- [ ] mail\n");
        assertThat(doc.diagnostics()).isEmpty();
        assertThat(doc.symbols()).extracting(DocumentSymbol::name).containsExactly("loose", "Work");
        DocumentSymbol work = doc.symbols().get(1);
        assertThat(work.selectionRange()).isEqualTo(Range.of(1, 3, 7));
        assertThat(work.children()).extracting(DocumentSymbol::detail).containsExactly("done", "open");
        assertThat(doc.hover(new Position(1, 4)).contents().value()).isEqualTo("**Work**: 1 open, 1 done");
        assertThat(doc.hover(new Position(0, 0)).contents().value()).isEqualTo("**Open task**: loose");
        assertThat(doc.hover(new Position(4, 0))).isNull();
        assertThat(doc.hover(new Position(99, 0))).isNull();
    }
}
