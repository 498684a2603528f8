"""The row of top-level sections (Accueil, Catalogue, Mes données...), clickable and keyed."""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message
from textual.widgets import Tab, Tabs


class SectionTabs(Tabs):
    """Tabs naming every section of the app; choosing another one asks to go there.

    The active tab is shown bold and reversed under the underline bar, and each label carries
    its key, so neither colour nor the mouse is needed to find one's way.
    """

    DEFAULT_CSS = """
    SectionTabs {
        height: 2;
    }
    SectionTabs Tab.-active {
        text-style: bold reverse;
    }
    """

    class SectionChosen(Message):
        """The person picked another section (by mouse or arrow keys + Enter)."""

        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, sections: Sequence[tuple[str, str]], active: str) -> None:
        """`sections`: (mode, label) pairs; `active`: the mode of the screen showing the tabs."""
        tabs = [Tab(label, id=f"section-{mode}") for mode, label in sections]
        super().__init__(*tabs, active=f"section-{active}", id="section-tabs")
        self._current = f"section-{active}"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab.id and event.tab.id != self._current:
            self.post_message(self.SectionChosen(event.tab.id.removeprefix("section-")))
            self.active = self._current
