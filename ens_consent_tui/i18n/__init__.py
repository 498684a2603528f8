"""The app's words: one catalogue per language (French first, English), same keys in both.

Keys are dotted names (`login.title`); values are `str.format` templates. A binding's description
is a key too: screens translate it when the footer asks (see `screens.base`).

A language is its main module (`fr`, `en`) plus one part per feature (`PARTS`: `scenario_fr`,
`scenario_en`...), merged here; a key defined twice is an error, caught at import.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType

PARTS: tuple[str, ...] = ("scenario", "runner", "guide", "journal")
"""Feature parts: module `<part>_<lang>` of this package, each with a `MESSAGES` dict."""


def _language(lang: str) -> Mapping[str, str]:
    messages = dict(importlib.import_module(f"ens_consent_tui.i18n.{lang}").MESSAGES)
    for part in PARTS:
        extra = importlib.import_module(f"ens_consent_tui.i18n.{part}_{lang}").MESSAGES
        twice = messages.keys() & extra.keys()
        if twice:
            raise ValueError(f"i18n keys defined twice ({part}_{lang}): {sorted(twice)}")
        messages.update(extra)
    return MappingProxyType(messages)


LANGUAGES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {lang: _language(lang) for lang in ("fr", "en")})
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
