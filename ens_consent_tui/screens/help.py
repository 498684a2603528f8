"""Aide: the keys of the screen underneath, and how the app works, on `?`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from ens_consent_tui.screens.base import EnsModal

GUIDE_KEYS = ("help.guide.navigation", "help.guide.palette", "help.guide.mouse",
              "help.guide.spaces", "help.guide.data", "help.guide.services",
              "exchanges.help.guide")


class HelpScreen(EnsModal[None]):
    """Keys first (what can I press here?), then a short guide."""

    AUTO_FOCUS = "#help-body"

    def __init__(self, bindings: Sequence[tuple[str, str]]) -> None:
        """`bindings`: (key as displayed, description in words) of the screen underneath."""
        super().__init__()
        self.bindings = tuple(dict.fromkeys(bindings))

    def compose(self) -> ComposeResult:
        t = self.t
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Label(t("help.title"), classes="dialog-title")
            yield Label(t("help.keys"), classes="help-heading")
            width = max((len(key) for key, _ in self.bindings), default=0)
            yield Static(Text("\n".join(f"{key.ljust(width)}  {description}"
                                        for key, description in self.bindings)),
                         id="help-keys")
            yield Label(t("help.guide"), classes="help-heading")
            yield Static(Text("\n\n".join(t(key) for key in GUIDE_KEYS)), id="help-guide")
            yield Static(t("help.close"), classes="dialog-help")
