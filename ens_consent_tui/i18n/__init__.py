"""The app's words: one catalogue per language (French first, English), same keys in both.

Keys are dotted names (`login.title`); values are `str.format` templates. A binding's description
is a key too: screens translate it when the footer asks (see `screens.base`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ens_consent_tui.i18n import en, fr

LANGUAGES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"fr": fr.MESSAGES, "en": en.MESSAGES})
DEFAULT_LANGUAGE = "fr"


class Catalogue:
    """The messages of one language."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        if lang not in LANGUAGES:
            raise ValueError(lang)
        self.lang = lang
        self._messages = LANGUAGES[lang]

    def __call__(self, key: str, /, **values: object) -> str:
        """The message for `key`, filled with `values`; the key itself if it is unknown (tests
        make sure none is), so a slip never stops the app."""
        template = self._messages.get(key)
        if template is None:
            return key
        return template.format(**values) if values else template

    def __contains__(self, key: object) -> bool:
        return key in self._messages

    def maybe(self, text: str) -> str:
        """`text` translated when it is a key of the catalogue, else unchanged."""
        return self(text) if text in self._messages else text
