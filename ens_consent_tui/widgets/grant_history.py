"""A grant's history as a timeline: each version, when, by whom, and what changed in words."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from ens_consent_tui.grant_wording import HistoryEntry

NODE = "●"
LINK = "│"


class GrantHistory(Static):
    """Newest first; one node per version, its details under it along the line."""

    DEFAULT_CSS = """
    GrantHistory {
        height: auto;
        padding: 0 1;
    }
    """

    def show(self, entries: Sequence[HistoryEntry]) -> None:
        t = self.app.i18n
        text = Text()
        for index, entry in enumerate(entries):
            if index:
                text.append(f"{LINK}\n")
            text.append(f"{NODE} ")
            text.append(t("history.version", version=entry.version), style="bold")
            text.append(" · " + t("history.when_who", when=entry.when, who=entry.who) + "\n")
            text.append(f"{LINK}   ")
            text.append(entry.what, style="bold")
            for detail in entry.details:
                text.append(f"\n{LINK}   {detail}")
            text.append("\n")
        self.update(text if entries else t("history.empty"))
