"""The footer of every screen: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's `Footer`, recomposed only when what it shows changes.

    Textual's footer rebuilds all its keys whenever the screen's bindings may have changed: at
    every focus change, every `refresh_bindings`. Each new key widget is styled as it mounts,
    which made the footer about a tenth of the app's work in a scenario run
    (`benchmarks/scenarios_headless.py`), while the keys shown are most often the same. Here
    the keys shown (with whether each is enabled and its tooltip) are compared first."""

    _shown: Hashable = None

    def _keys(self) -> Hashable:
        """What `compose` would show: the bindings shown, in order, each with its state."""
        palette = self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        return (self.compact, palette, tuple(
            (binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or (palette and key == self.app.COMMAND_PALETTE_BINDING)))

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys()
        yield from super().compose()
