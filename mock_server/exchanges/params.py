"""Query parameters of the patient's exchange and event routes: strict, with French problems.

Unknown parameters, repeated single-valued ones, out-of-range numbers and unknown filter values are
each a 400 that names what is accepted. Filters are repeatable and comma-separated
(`outcome=denied,failed` = `outcome=denied&outcome=failed`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from mock_server.problems import Problem

MAX_ID: Final = 2**63 - 1
MAX_TEXT: Final = 100
_UNSIGNED = re.compile(r"[0-9]{1,19}")


class Params:
    """The query string of one request, checked against the parameters its route accepts."""

    def __init__(self, items: Iterable[tuple[str, str]], accepted: tuple[str, ...]) -> None:
        self._accepted = accepted
        self._values: dict[str, list[str]] = {}
        for name, value in items:
            if name not in accepted:
                possible = (f"paramètres possibles : {', '.join(accepted)}" if accepted
                            else "aucun paramètre n'est accepté ici")
                raise Problem(400, "Paramètre inconnu",
                              f"Le paramètre « {name[:40]} » n'existe pas ; {possible}.")
            self._values.setdefault(name, []).append(value)

    def _single(self, name: str) -> str | None:
        values = self._values.get(name)
        if values is None:
            return None
        if len(values) > 1:
            raise Problem(400, "Paramètre répété",
                          f"Le paramètre « {name} » ne peut être donné qu'une fois.")
        return values[0]

    def integer(self, name: str, low: int, high: int, default: int) -> int:
        """A whole number in [low, high], or `default` when absent."""
        value = self.optional_integer(name, low, high)
        return default if value is None else value

    def optional_integer(self, name: str, low: int, high: int) -> int | None:
        """A whole number in [low, high], or None when absent."""
        raw = self._single(name)
        return None if raw is None else parse_integer(name, raw, low, high)

    def choice(self, name: str, valid: tuple[str, ...], default: str) -> str:
        """One value among `valid`, or `default` when absent."""
        raw = self._single(name)
        if raw is None:
            return default
        if raw not in valid:
            raise Problem(400, "Paramètre invalide", f"Valeur « {raw[:40]} » inconnue pour le "
                          f"paramètre {name} ; valeurs possibles : {', '.join(valid)}.")
        return raw

    def _listed(self, name: str) -> list[str]:
        values = [v.strip() for raw in self._values.get(name, []) for v in raw.split(",")]
        if any(not v or len(v) > MAX_TEXT for v in values):
            raise Problem(400, "Filtre invalide", f"Le filtre {name} a une valeur vide ou de plus "
                          f"de {MAX_TEXT} caractères.")
        return values

    def among(self, name: str, valid: tuple[str, ...]) -> frozenset[str]:
        """The filter's values (empty = no filter), each one of `valid`."""
        values = self._listed(name)
        for value in values:
            if value not in valid:
                raise Problem(400, "Filtre invalide", f"Valeur « {value[:40]} » inconnue pour le "
                              f"filtre {name} ; valeurs possibles : {', '.join(valid)}.")
        return frozenset(values)

    def texts(self, name: str) -> frozenset[str]:
        """The filter's free values (identifiers), empty = no filter."""
        return frozenset(self._listed(name))


def parse_integer(name: str, raw: str, low: int, high: int) -> int:
    """`raw` as a whole number in [low, high], else a 400 problem naming `name`."""
    if not _UNSIGNED.fullmatch(raw) or not low <= int(raw) <= high:
        bounds = f"entre {low} et {high}" if high < MAX_ID else f"supérieur ou égal à {low}"
        raise Problem(400, "Paramètre invalide",
                      f"Le paramètre {name} doit être un entier {bounds} (reçu « {raw[:40]} »).")
    return int(raw)


def is_identifier(text: str) -> bool:
    """True when `text` can be an exchange or event id (a positive whole number)."""
    return bool(_UNSIGNED.fullmatch(text)) and 0 < int(text) <= MAX_ID
