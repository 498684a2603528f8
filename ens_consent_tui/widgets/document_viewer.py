"""A readable view of one document: what it is, who wrote it, then its text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ens_consent_tui.client.records import Document
from ens_consent_tui.formatting import format_date


class DocumentViewer(VerticalScroll):
    """The document's heading and its full text, scrollable with the keyboard."""

    DEFAULT_CSS = """
    DocumentViewer {
        height: 1fr;
        padding: 0 1;
        border: round $primary;
    }
    DocumentViewer:focus {
        border: double $accent;
    }
    DocumentViewer > #document-heading {
        text-style: bold;
        margin-bottom: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)

    def compose(self) -> ComposeResult:
        yield Static(id="document-heading")
        yield Static(id="document-text")

    def on_mount(self) -> None:
        self.border_title = self.app.i18n("documents.viewer.title")
        self.query_one("#document-text", Static).update(self.app.i18n("documents.viewer.empty"))

    def show(self, document: Document, text: str) -> None:
        t = self.app.i18n
        heading = t("documents.viewer.heading", title=document.title, type=document.type_label,
                    date=format_date(t, document.date), author=document.author or "—",
                    custodian=document.custodian or "—")
        self.query_one("#document-heading", Static).update(Text(heading))
        self.query_one("#document-text", Static).update(Text(text))
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """What the viewer shows now (heading and text), for tests and copy."""
        heading = self.query_one("#document-heading", Static).render()
        body = self.query_one("#document-text", Static).render()
        return f"{heading}\n{body}"
