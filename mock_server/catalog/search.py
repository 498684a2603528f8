"""Searching and filtering the store: accent- and case-insensitive, sorted the French way.

Within one filter the values are alternatives (`pricing=gratuit,freemium`); different filters all
apply. `data_class` and `access` describe the same permission: `data_class=measures&access=write`
finds services that write measures, not services that read measures and write an agenda.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mock_server.catalog.labels import LABELS
from mock_server.catalog.models import (
    Access,
    Catalog,
    DataClass,
    PlatformName,
    Pricing,
    ServiceSheet,
    UseCase,
    codes,
)
from mock_server.problems import Problem

FILTERS = {"use_case": UseCase, "data_class": DataClass, "access": Access, "pricing": Pricing,
           "platform": PlatformName}
"""Filter parameter -> the vocabulary of its values."""

SEARCH_PARAMETERS = ("q", *FILTERS)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed: 'Glycémie' and 'GLYCEMIE' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare).strip()


@dataclass(frozen=True)
class StoreQuery:
    """A parsed search: words that must all appear, and the values allowed per filter."""

    words: tuple[str, ...] = ()
    filters: dict[str, frozenset[str]] = field(default_factory=dict)

    def accepts(self, service: ServiceSheet, haystack: str) -> bool:
        return all(w in haystack for w in self.words) and self._filters_accept(service)

    def _filters_accept(self, service: ServiceSheet) -> bool:
        wanted = self.filters
        if "use_case" in wanted and wanted["use_case"].isdisjoint(service.use_cases):
            return False
        if "pricing" in wanted and service.pricing not in wanted["pricing"]:
            return False
        if "platform" in wanted and wanted["platform"].isdisjoint(service.platforms):
            return False
        return any(
            p.data_class in wanted.get("data_class", {p.data_class})
            and p.access in wanted.get("access", {p.access})
            for p in service.permissions
        )


def parse_query(items: Iterable[tuple[str, str]]) -> StoreQuery:
    """Build a query from URL parameters; `Problem` 400 for an unknown parameter or value."""
    words: list[str] = []
    chosen: dict[str, set[str]] = {}
    for name, raw in items:
        if name == "q":
            words.extend(fold(raw).split())
        elif name in FILTERS:
            chosen.setdefault(name, set()).update(_values(name, raw))
        else:
            raise Problem(400, "Paramètre inconnu", f"Le paramètre « {name} » n'existe pas ; "
                          f"paramètres possibles : {', '.join(SEARCH_PARAMETERS)}.")
    return StoreQuery(tuple(words), {k: frozenset(v) for k, v in chosen.items() if v})


def _values(name: str, raw: str) -> list[str]:
    values = [v.strip() for v in raw.split(",") if v.strip()]
    valid = codes(FILTERS[name])
    for value in values:
        if value not in valid:
            raise Problem(400, "Filtre invalide", f"Valeur « {value} » inconnue pour le filtre "
                          f"{name} ; valeurs possibles : {', '.join(valid)}.")
    return values


def sort_key(service: ServiceSheet) -> tuple[str, str]:
    """Alphabetical by name, ignoring case and accents (ties broken by the exact name)."""
    return fold(service.name), service.name


class CatalogIndex:
    """The catalogue ready to search: services sorted by name with their folded text."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        ordered = sorted(catalog.services, key=sort_key)
        self._entries = [(service, _haystack(service)) for service in ordered]

    def search(self, query: StoreQuery) -> list[ServiceSheet]:
        return [service for service, text in self._entries if query.accepts(service, text)]


def _haystack(service: ServiceSheet) -> str:
    use_case_labels: Sequence[str] = [LABELS[lang]["use_cases"][code]
                                      for code in service.use_cases for lang in LABELS]
    parts = [service.name, service.editor.legal_name, service.short_description,
             service.description, *use_case_labels]
    return " ".join(fold(part) for part in parts)
