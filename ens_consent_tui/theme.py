"""Themes offered in the palette, including a high-contrast one (white on black, yellow focus)."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="ens-contraste",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#FFFFFF",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF8080",
    dark=True,
    variables={
        "border": "#FFFFFF",
        "border-blurred": "#C0C0C0",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-selection-background": "#FFFF00 40%",
    },
)

DEFAULT_THEME = "textual-dark"
THEMES = ("textual-dark", "textual-light", HIGH_CONTRAST.name)
"""Theme names the palette offers (labels: `theme.<name>`)."""
