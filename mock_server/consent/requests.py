"""The body of `PATCH /grants/{id}`: one change, checked field by field with French reasons.

Accepted (exactly one key per request):
`{"remove": [{"data_class", "subtype", "access"}, ...]}`,
`{"duration": "1m"|"6m"|"1y"|"revocation"}`, `{"valid_until": "<ISO date or dateTime>"}`,
`{"exclude": ["<DocumentReference id>", ...]}`,
`{"window": {"start": "<ISO>", "end": "<ISO>"}}`. A bare date as an end means the whole day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from pydantic import ValidationError

from mock_server.catalog import Permission
from mock_server.consent.changes import RECONNECT
from mock_server.consent.model import GrantError
from mock_server.consent.permissions import ACCESSES, DATA_CLASSES
from mock_server.consent.validity import DURATION_MONTHS, parse_moment

FIELDS: Final = ("remove", "duration", "valid_until", "exclude", "window")
MAX_ITEMS: Final = 100
_PERMISSION_FIELDS: Final = {"data_class", "subtype", "access"}


@dataclass(frozen=True)
class Remove:
    permissions: tuple[Permission, ...]


@dataclass(frozen=True)
class NewDuration:
    duration: str


@dataclass(frozen=True)
class NewEnd:
    until: datetime


@dataclass(frozen=True)
class Exclude:
    resource_ids: tuple[str, ...]


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


Change = Remove | NewDuration | NewEnd | Exclude | Window


def _invalid(detail: str) -> GrantError:
    return GrantError(422, detail)


def parse_change(body: bytes) -> Change:
    """The one change a PATCH body asks for; `GrantError` 400 (not JSON, widening) or 422."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" (ligne {exc.lineno}, colonne {exc.colno})" \
            if isinstance(exc, json.JSONDecodeError) else ""
        raise GrantError(400, f"Le corps de la requête n'est pas du JSON valide{where}.") from None
    if not isinstance(data, dict):
        raise _invalid('Le corps doit être un objet JSON, par exemple {"duration": "6m"}.')
    if "add" in data:
        raise GrantError(400, f"Une autorisation ne s'élargit pas ici : {RECONNECT} depuis son "
                              "application, qui vous demandera de nouveau votre accord.")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise _invalid(f"Champ(s) inconnu(s) : {', '.join(unknown)}. Champs possibles : "
                       f"{', '.join(FIELDS)}.")
    if len(data) != 1:
        raise _invalid(f"Indiquez une et une seule modification par requête parmi : "
                       f"{', '.join(FIELDS)}.")
    name, value = next(iter(data.items()))
    return _PARSERS[name](value)


def _remove(value: Any) -> Remove:
    items = _list(value, "remove", "de permissions à retirer")
    return Remove(tuple(_permission(item, index) for index, item in enumerate(items)))


def _permission(item: Any, index: int) -> Permission:
    place = f"remove[{index}]"
    if not isinstance(item, dict) or set(item) != _PERMISSION_FIELDS:
        raise _invalid(f"{place} : un objet avec exactement data_class, subtype et access est "
                       "attendu.")
    for name, allowed in (("data_class", DATA_CLASSES), ("access", ACCESSES)):
        if item[name] not in allowed:
            raise _invalid(f"{place}.{name} : valeur « {item[name]} » inconnue ; valeurs "
                           f"possibles : {', '.join(allowed)}.")
    if not isinstance(item["subtype"], str):
        raise _invalid(f"{place}.subtype : une chaîne est attendue (une mesure, un groupe de "
                       "documents ou all).")
    try:
        return Permission(**item)
    except ValidationError as exc:
        raise _invalid(f"{place} : {exc.errors()[0]['msg']}") from None


def _duration(value: Any) -> NewDuration:
    if value not in DURATION_MONTHS:
        raise _invalid(f"duration vaut l'une de ces valeurs : {', '.join(DURATION_MONTHS)}.")
    return NewDuration(value)


def _valid_until(value: Any) -> NewEnd:
    return NewEnd(_moment(value, "valid_until", end_of_day=True))


def _exclude(value: Any) -> Exclude:
    items = _list(value, "exclude", "d'identifiants de documents")
    if not all(isinstance(item, str) and 0 < len(item) <= 64 for item in items):
        raise _invalid("exclude : chaque élément est l'identifiant d'un document "
                       "(DocumentReference), une chaîne de 1 à 64 caractères.")
    return Exclude(tuple(items))


def _window(value: Any) -> Window:
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise _invalid('window : un objet {"start": "<date>", "end": "<date>"} est attendu.')
    return Window(_moment(value["start"], "window.start", end_of_day=False),
                  _moment(value["end"], "window.end", end_of_day=True))


def _list(value: Any, name: str, what: str) -> list:
    if not isinstance(value, list) or not value or len(value) > MAX_ITEMS:
        raise _invalid(f"{name} : une liste non vide {what} est attendue ({MAX_ITEMS} au plus).")
    return value


def _moment(value: Any, name: str, *, end_of_day: bool) -> datetime:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return parse_moment(value, end_of_day=end_of_day)
    except (ValueError, OverflowError):
        raise _invalid(f"{name} : date invalide ; formats acceptés AAAA-MM-JJ ou "
                       "AAAA-MM-JJThh:mm:ss+hh:mm.") from None


_PARSERS = {"remove": _remove, "duration": _duration, "valid_until": _valid_until,
            "exclude": _exclude, "window": _window}
