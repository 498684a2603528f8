"""Widgets of the patient app; each owns its look in DEFAULT_CSS (theme variables only)."""
